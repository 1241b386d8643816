/// One change to the entities' fields, as `add field`, `rename field` and `drop field` make it and
/// the journal records it (a catalog change). Applied the same way by the statement and by the
/// replay of its journal record, so a file reopens to the same schema and columns.
public enum SchemaChange: Hashable, Sendable {
    /// A field appended to an entity, null in every record; for an enum, its values (kept in
    /// `Schema.enums` under the field type's name).
    case addField(entity: String, field: FieldDef, enumValues: [String]?)
    case renameField(entity: String, from: String, to: String)
    case dropField(entity: String, field: String)
    /// A new entity, empty, after the others; the values of its enum fields by enum name.
    case addEntity(EntityDef, enums: [String: [String]])

    public var entityName: String {
        switch self {
        case .addField(let e, _, _), .renameField(let e, _, _), .dropField(let e, _): e
        case .addEntity(let e, _): e.name
        }
    }

    /// Whether `field` of `entity` is one crmq defines (not added by a user): it cannot be dropped or renamed.
    public static func isStandard(_ field: String, of entity: String) -> Bool {
        Schema.standard.entity(named: entity)?.field(field) != nil
    }

    /// Why the change cannot be made to `schema`. Statements check the same with better words in
    /// the binder; this guards replaying a journal.
    public func problem(in schema: Schema) -> String? {
        if case .addEntity(let e, let enums) = self { return SchemaChange.problem(adding: e, enums: enums, to: schema) }
        guard let e = schema.entity(named: entityName), e.name == entityName else {
            return "entity \"\(entityName)\" is not defined"
        }
        switch self {
        case .addField(_, let f, let values):
            guard SegmentDefinition.isValidName(f.name), f.name == f.name.lowercased() else { return "\"\(f.name)\" is not a field name" }
            if e.field(f.name) != nil { return "\(e.name) already has a field \"\(f.name)\"" }
            switch f.type {
            case .enumeration(let name):
                guard let values, !values.isEmpty else { return "enum field \"\(f.name)\" has no values" }
                if schema.enums[name] != nil { return "enum \"\(name)\" is defined twice" }
            case .reference(let target):
                if schema.entity(named: target)?.name != target { return "field \"\(f.name)\" refers to an unknown entity \"\(target)\"" }
            default:
                if values != nil { return "field \"\(f.name)\" is not an enum but has values" }
            }
        case .renameField(_, let from, let to):
            guard let f = e.field(from), f.name != "id" else { return "\(e.name) has no field \"\(from)\"" }
            if SchemaChange.isStandard(from, of: e.name) { return "\(e.name).\(from) is a standard field" }
            if e.titleField == f.name { return "\(e.name).\(from) is its title field" }
            guard SegmentDefinition.isValidName(to), to == to.lowercased() else { return "\"\(to)\" is not a field name" }
            if e.field(to) != nil { return "\(e.name) already has a field \"\(to)\"" }
        case .dropField(_, let name):
            guard let f = e.field(name), f.name != "id" else { return "\(e.name) has no field \"\(name)\"" }
            if SchemaChange.isStandard(name, of: e.name) { return "\(e.name).\(name) is a standard field" }
            if e.titleField == f.name { return "\(e.name).\(name) is its title field" }
        case .addEntity:
            break
        }
        return nil
    }

    private static func problem(adding e: EntityDef, enums: [String: [String]], to schema: Schema) -> String? {
        for name in [e.name, e.singular] {
            guard SegmentDefinition.isValidName(name), name == name.lowercased() else { return "\"\(name)\" is not an entity name" }
            if schema.entity(named: name) != nil { return "entity \"\(name)\" is defined twice" }
        }
        guard e.fields.first?.name == "id", e.fields.count > 1 else { return "entity \"\(e.name)\" has no fields" }
        var seen: Set<String> = []
        for f in e.fields.dropFirst() {
            guard SegmentDefinition.isValidName(f.name), f.name == f.name.lowercased(), f.name != "id",
                  seen.insert(f.name).inserted else { return "entity \"\(e.name)\" has a bad or repeated field \"\(f.name)\"" }
            switch f.type {
            case .enumeration(let name):
                guard let values = enums[name], !values.isEmpty, schema.enums[name] == nil else { return "field \"\(f.name)\" has a bad enum" }
            case .reference(let target):
                if target != e.name && schema.entity(named: target)?.name != target { return "field \"\(f.name)\" refers to an unknown entity \"\(target)\"" }
            default:
                break
            }
        }
        guard e.field(e.titleField) != nil else { return "entity \"\(e.name)\" has no field \"\(e.titleField)\"" }
        return nil
    }
}

extension Database {
    /// Makes a change that `SchemaChange.problem(in:)` accepted: the schema, then the collection's
    /// columns and wanted indexes (a new field's index is built when a statement needs it).
    public mutating func applySchema(_ change: SchemaChange) {
        if case .addEntity(let e, let enums) = change {
            schema.entities.append(e)
            for (name, values) in enums { schema.enums[name] = values }
            self[e.name] = Collection(entity: e)
            return
        }
        guard let ei = schema.entities.firstIndex(where: { $0.name == change.entityName }) else { return }
        var e = schema.entities[ei]
        switch change {
        case .addField(_, let f, let values):
            if case .enumeration(let name) = f.type, let values { schema.enums[name] = values }
            e.fields.append(f)
            schema.entities[ei] = e
            let rows = self[e.name].count
            modify(e.name) { c in
                c.entity = e
                c.addColumn(f.type.isText ? .text(TextColumn(codes: Array(repeating: -1, count: rows), dictionary: [])) : .integers(IntColumn(repeating: nullInt, count: rows)),
                            indexed: f.indexed)
            }
        case .renameField(_, let from, let to):
            guard let fi = e.fieldIndex(from) else { return }
            let old = e.fields[fi].name
            e.fields[fi].name = to
            // A column is a field or a dot path starting at one (`parent.name`).
            e.defaultColumns = e.defaultColumns.map { c in
                c == old ? to : c.hasPrefix(old + ".") ? to + c.dropFirst(old.count) : c
            }
            if e.titleField == old { e.titleField = to }
            schema.entities[ei] = e
            modify(e.name) { $0.entity = e }
        case .dropField(_, let name):
            guard let fi = e.fieldIndex(name) else { return }
            let f = e.fields.remove(at: fi)
            e.defaultColumns.removeAll { $0 == f.name || $0.hasPrefix(f.name + ".") }
            schema.entities[ei] = e
            if case .enumeration(let en) = f.type,
               !schema.entities.contains(where: { $0.fields.contains { $0.type == f.type } }) {
                schema.enums[en] = nil
            }
            modify(e.name) { c in
                c.entity = e
                c.removeColumn(fi)
            }
        case .addEntity:
            break
        }
    }
}

extension Collection {
    /// Appends a column for a field just added to `entity` (the caller set `entity` first).
    mutating func addColumn(_ column: Column, indexed: Bool) {
        precondition(column.count == count && columns.count == entity.fields.count - 1, "one value per row, one column per field")
        columns.append(column)
        if indexed { indexedFields.insert(columns.count - 1) }
    }

    /// Removes the column of a dropped field: the fields after it move down one place, and their
    /// indexes and wanted indexes with them.
    mutating func removeColumn(_ field: Int) {
        precondition(field > 0 && field < columns.count, "ids are never dropped")
        columns.remove(at: field)
        func shifted(_ f: Int) -> Int { f > field ? f - 1 : f }
        indexedFields = Set(indexedFields.filter { $0 != field }.map(shifted))
        indexes = Dictionary(uniqueKeysWithValues: indexes.filter { $0.key != field }.map { (shifted($0.key), $0.value) })
    }
}

extension SchemaChange {
    /// The line a statement reports.
    public var summary: String {
        switch self {
        case .addField(let e, let f, _):
            let type = switch f.type {
            case .enumeration: "enum"
            case .reference(let t): "reference to \(t)"
            default: f.type.name
            }
            return "added field \(f.name) to \(e) as \(type)"
        case .renameField(let e, let from, let to):
            return "renamed field \(from) to \(to) in \(e)"
        case .dropField(let e, let f):
            return "dropped field \(f) from \(e)"
        case .addEntity(let e, _):
            return "added entity \(e.name) (\(e.singular)) with \(e.fields.count - 1) \(e.fields.count == 2 ? "field" : "fields")"
        }
    }
}
