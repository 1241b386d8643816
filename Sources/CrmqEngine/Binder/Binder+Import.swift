/// `import ENTITY from "FILE" ...`: the entity, every field named in `map`, `set` and `by`, and each
/// option checked before the file is read. The file's columns are matched when it is read
/// (ImportColumns.swift), since only the file knows them.
public struct BoundImport: Sendable {
    public enum Format: Sendable { case csv, vcards }
    public enum Encoding: String, Sendable { case utf8, latin1 }

    /// A `map COLUMN to FIELD`: the column as written and the field's position in the entity.
    public struct ColumnMap: Sendable {
        public var column: String
        public var columnRange: SourceRange
        public var field: Int
    }

    public var entity: String
    public var format: Format
    public var path: String
    public var pathRange: SourceRange
    public var maps: [ColumnMap]
    /// Columns left out on purpose, as written.
    public var ignores: [Name]
    /// `set` values, bound as `create` binds its assignments.
    public var sets: [BoundAssignment]
    /// `by` key fields (positions in the entity); empty to create every record.
    public var keys: [Int]
    public var keyRange: SourceRange?
    public var skipBadRows: Bool
    public var decimalComma: Bool
    public var dateFormat: ImportDateFormat?
    public var encoding: Encoding
    /// A byte (`,` `;` tab `|`), or nil to detect it from the header.
    public var delimiter: UInt8?
    public var withoutHistory: Bool
}

extension Binder {
    func bindImport(_ s: ImportSyntax) throws(Diagnostic) -> BoundImport {
        if s.path.allSatisfy(\.isWhitespace) {
            throw Diagnostic(.binder, "the file name is empty", at: s.pathRange, hint: "name a file, as in \"contacts.csv\"")
        }
        let entity: EntityDef
        if s.vcards {
            guard let contacts = schema.entity(named: "contacts") else {
                throw Diagnostic(.binder, "this data has no contacts to import vCards into", at: s.entity.range)
            }
            entity = contacts
        } else {
            guard let e = schema.entity(named: s.entity.text) else {
                let names = schema.entities.flatMap { [$0.name, $0.singular] } + ["vcards"]
                throw Diagnostic(.binder, "unknown entity \"\(s.entity.text)\"", at: s.entity.range,
                                 hint: Suggestions.didYouMean(s.entity.text, in: names)
                                     ?? "entities: \(schema.entityNames.joined(separator: ", ")), or vcards")
            }
            entity = e
        }
        var maps: [BoundImport.ColumnMap] = []
        for m in s.maps {
            let field = try importField(m.field, entity)
            if let other = maps.first(where: { $0.field == field }) {
                throw Diagnostic(.binder, "columns \"\(other.column)\" and \"\(m.column.text)\" both fill \(entity.fields[field].name)",
                                 at: m.field.range, hint: "map one column to each field")
            }
            if maps.contains(where: { $0.column.lowercased() == m.column.text.lowercased() }) {
                throw Diagnostic(.binder, "column \"\(m.column.text)\" is mapped twice", at: m.column.range,
                                 hint: "map each column to one field")
            }
            maps.append(BoundImport.ColumnMap(column: m.column.text, columnRange: m.column.range, field: field))
        }
        for i in s.ignores where maps.contains(where: { $0.column.lowercased() == i.text.lowercased() }) {
            throw Diagnostic(.binder, "column \"\(i.text)\" is both mapped and ignored", at: i.range,
                             hint: "leave out one of the two")
        }
        let sets = try bindAssignments(s.sets, entity, creating: true)
        for a in sets {
            if let m = maps.first(where: { $0.field == a.field }) {
                throw Diagnostic(.binder, "\(entity.fields[a.field].name) is both set and read from column \"\(m.column)\"",
                                 at: a.range, hint: "leave out the set, or the map")
            }
        }
        var keys: [Int] = []
        for k in s.keys {
            let field = try importField(k, entity)
            if keys.contains(field) {
                throw Diagnostic(.binder, "\"\(k.text)\" is named twice after by", at: k.range, hint: "name each key field once")
            }
            if sets.contains(where: { $0.field == field }) {
                throw Diagnostic(.binder, "a key field cannot be set for every row", at: k.range,
                                 hint: "a key must come from the file: leave \(k.text) out of set")
            }
            keys.append(field)
        }
        var dateFormat: ImportDateFormat?
        if let f = s.dateFormat {
            guard let parsed = ImportDateFormat(f.text) else {
                throw Diagnostic(.binder, "\"\(f.text)\" is not a date format crmq can read", at: f.range,
                                 hint: "use dd (or d) for the day, mm (or m) for the month and yyyy (or yy) once each, as in \"dd.mm.yyyy\"")
            }
            dateFormat = parsed
        }
        var encoding = BoundImport.Encoding.utf8
        if let e = s.encoding {
            let spelled = e.text.lowercased().replacingOccurrences("-", "")
            switch spelled {
            case "utf8": encoding = .utf8
            case "latin1", "iso88591": encoding = .latin1
            default:
                throw Diagnostic(.binder, "unknown encoding \"\(e.text)\"", at: e.range,
                                 hint: Suggestions.didYouMean(e.text, in: ["latin1", "utf8"]) ?? "use latin1 or utf8")
            }
        }
        var delimiter: UInt8?
        if let d = s.delimiter {
            switch d.text.lowercased() {
            case ",": delimiter = UInt8(ascii: ",")
            case ";": delimiter = UInt8(ascii: ";")
            case "\t", "tab": delimiter = UInt8(ascii: "\t")
            case "|": delimiter = UInt8(ascii: "|")
            default:
                throw Diagnostic(.binder, "\"\(d.text)\" cannot be a delimiter", at: d.range,
                                 hint: "use \",\", \";\", \"|\" or tab")
            }
        }
        if s.vcards, let d = s.delimiter ?? s.dateFormat ?? s.encoding {
            throw Diagnostic(.binder, "a vCard file has its own format: this option does not apply", at: d.range,
                             hint: "leave it out for import vcards")
        }
        if let range = s.withoutHistory, StageHistory(for: entity, in: schema) == nil {
            throw Diagnostic(.binder, "\(entity.name) have no stage history", at: range,
                             hint: "without history applies to deals (opportunities)")
        }
        let keyRange = s.keys.first.map { $0.range.union(s.keys.last!.range) }
        return BoundImport(entity: entity.name, format: s.vcards ? .vcards : .csv, path: s.path, pathRange: s.pathRange,
                           maps: maps, ignores: s.ignores, sets: sets, keys: keys, keyRange: keyRange,
                           skipBadRows: s.skipBadRows != nil, decimalComma: s.decimalComma != nil, dateFormat: dateFormat,
                           encoding: encoding, delimiter: delimiter, withoutHistory: s.withoutHistory != nil)
    }

    /// A field of the entity by its name, with did-you-mean over its fields.
    private func importField(_ name: Name, _ entity: EntityDef) throws(Diagnostic) -> Int {
        guard let f = entity.fieldIndex(name.text) else {
            let names = entity.fields.map(\.name)
            throw Diagnostic(.binder, "unknown field \"\(name.text)\" on \(entity.name)", at: name.range,
                             hint: Suggestions.didYouMean(name.text, in: names) ?? "its fields: \(names.joined(separator: ", "))")
        }
        return f
    }
}
