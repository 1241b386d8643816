/// One kind of record ("object" in CRM terms): its fields and how it is shown.
public struct EntityDef: Hashable, Sendable {
    /// The plural name used in queries: `opportunities`.
    public var name: String
    /// The singular name used by `create`: `opportunity`.
    public var singular: String
    /// The fields, `id` first.
    public var fields: [FieldDef]
    /// The columns `find` shows without `show`: field names or dot paths.
    public var defaultColumns: [String]
    /// The field that names a record to a person (`name`, `subject`, ...), used by dot paths' defaults.
    public var titleField: String

    public init(name: String, singular: String, fields: [FieldDef], defaultColumns: [String], titleField: String) {
        self.name = name
        self.singular = singular
        // `id` needs no index of its own: every collection maps ids to rows directly.
        self.fields = [FieldDef("id", .int, "the record's unique number", indexed: false)] + fields
        self.defaultColumns = defaultColumns
        self.titleField = titleField
    }

    public func fieldIndex(_ name: String) -> Int? {
        let n = name.lowercased()
        return fields.firstIndex { $0.name == n }
    }

    public func field(_ name: String) -> FieldDef? {
        fieldIndex(name).map { fields[$0] }
    }
}
