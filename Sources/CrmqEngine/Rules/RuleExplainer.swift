/// Words for what a rule would do: each change a line, values as a query shows them.
enum RuleExplainer {
    static func testsChanges(_ c: RuleCondition) -> Bool {
        switch c {
        case .changes: true
        case .filter: false
        case .and(let parts), .or(let parts): parts.contains(where: testsChanges)
        case .not(let inner): testsChanges(inner)
        }
    }

    /// At most `limit` lines, then how many more changes there are.
    static func describe(_ changes: [DataChange], in db: Database, limit: Int) -> [String] {
        var lines: [String] = []
        let changes = changes.flatMap { change -> [DataChange] in
            if case .insertBatch(let e, let batch) = change { return batch.rows(entity: e) }
            return [change]
        }
        for change in changes.prefix(limit) {
            switch change {
            case .insert(let e, let id, let values):
                let def = db[e].entity
                let set = zip(def.fields.dropFirst(), values).filter { $0.1 != .null && $0.1 != .text(nil) }
                    .map { "\($0.0.name) = \(text($0.1, $0.0, db.schema))" }
                lines.append("create \(def.singular) \(id): \(set.joined(separator: ", "))")
            case .assign(let e, let field, let value, let ids):
                let def = db[e].entity
                let which = ids.count == 1 ? "\(def.singular) \(ids[0])" : "\(ids.count) \(def.name)"
                lines.append("set \(def.fields[field].name) = \(text(value, def.fields[field], db.schema)) on \(which)")
            case .delete(let e, let ids):
                lines.append("delete \(ids.count) \(db[e].entity.name)")
            case .insertBatch, .catalog:
                break
            }
        }
        if changes.count > limit { lines.append("... and \(changes.count - limit) more changes") }
        return lines
    }

    static func text(_ v: StoredValue, _ field: FieldDef, _ schema: Schema) -> String {
        switch v {
        case .text(let s): return s.map { "\"\($0)\"" } ?? "null"
        case .integer(let n):
            if n == nullInt { return "null" }
            switch field.type {
            case .enumeration(let name):
                let names = schema.enumValues(name)
                return n >= 0 && Int(n) < names.count ? "\"\(names[Int(n)])\"" : String(n)
            case .money, .percent: return Value.decimalString(n, places: 2)
            case .date: return Day.format(n)
            case .datetime: return Day.formatDateTime(n)
            case .bool: return n == 0 ? "false" : "true"
            case .int, .reference, .text: return String(n)
            }
        }
    }
}
