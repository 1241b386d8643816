/// The data as a role may read it: every query, aggregate, report, 360 view and export of a
/// session runs on it (Session.data(for:)), so no path can reach past it.
/// - a collection keeps the rows some read grant of the role holds for (all with a grant without
///   a condition, none without a grant);
/// - a reference to a record left out reads as empty, so a dot path through it finds nothing and
///   a child collection counts only what is left;
/// - a field the role may not read is empty (the binder also refuses to name it).
/// A SQL backend would put the same conditions in each query's WHERE clause instead.
struct PermissionView: Sendable {
    /// The user and role the view is for; a session keeps it while these and the data stay.
    let user: Int64?
    let role: String
    private(set) var database: Database
    /// What the view did to each collection it changed, for `explain`.
    private(set) var steps: [String: String] = [:]
    /// The collections the view changed (rows left out, references or fields emptied); the
    /// others are the data's own.
    private(set) var changed: Set<String> = []

    /// Builds the view of `db` (every collection read) for `role`, binding its grants' conditions
    /// with `binder` (whose `me` is the session's user).
    init(of db: Database, user: Int64?, role: String, grants: Grants, binder: Binder,
         cancellation: Cancellation = .none) throws(Diagnostic) {
        self.user = user
        self.role = role
        database = db
        var kept: [String: [Int32]] = [:]
        for entity in db.schema.entities {
            let reads = grants.grants(role, .read, on: entity.name)
            if reads.contains(where: { $0.condition == nil }) { continue }
            let c = db[entity.name]
            var bits = Bitmap(count: c.count)
            for g in reads {
                try cancellation.check()
                bits.formUnion(try FilterEvaluator(db).evaluate(try PermissionView.filter(g, entity, binder), on: entity.name))
            }
            var rows: [Int32] = []
            for r in 0..<c.count where bits[r] { rows.append(Int32(r)) }
            kept[entity.name] = rows
            let condition = reads.isEmpty ? "no read grant" : "where " + reads.compactMap(\.condition).joined(separator: " or ")
            steps[entity.name] = "\(entity.name): \(condition) (\(AsOfView.rows(rows.count)) of \(CellText.grouped(String(c.count))))"
        }
        for (name, rows) in kept where rows.count < db[name].count {
            database[name] = AsOfView.keeping(rows, of: db[name], fields: Set(db[name].entity.fields.indices))
            changed.insert(name)
        }
        for entity in db.schema.entities {
            try cancellation.check()
            emptyInvisibleReferences(entity, sliced: kept)
            for field in grants.hiddenFields(role, .read, of: entity.name).sorted() {
                guard let f = entity.fieldIndex(field) else { continue }
                steps[entity.name, default: "\(entity.name): every row"] += "; \(field) empty"
                let n = database[entity.name].count
                database.modify(entity.name) { $0.set(f, rows: (0..<Int32(n)).map { $0 }, to: PermissionView.null(entity.fields[f].type)) }
                changed.insert(entity.name)
            }
        }
    }

    /// Takes the data's collections the view did not change again from `db` (the same data): the
    /// indexes a statement built there since serve the view too.
    mutating func share(from db: Database) {
        for name in db.schema.entityNames where !changed.contains(name) { database[name] = db[name] }
    }

    /// A read grant's condition, bound for the session's user.
    static func filter(_ g: Grant, _ entity: EntityDef, _ binder: Binder) throws(Diagnostic) -> BoundFilter {
        guard let text = g.condition else { return .all }
        do throws(Diagnostic) {
            return try binder.bindCondition(try Parser.storedCondition(text, name: "grant"), entity)
        } catch {
            throw Diagnostic(.binder, "the grant \"\(g.role) may \(g.text)\" cannot be used: \(error.message)",
                             hint: error.hint ?? "an admin can revoke it and grant it again: revoke \(g.action.rawValue) on \(g.entity) from \(g.role) where \(text)")
        }
    }

    /// Empties the references of `entity` to records the view left out of their collection.
    private mutating func emptyInvisibleReferences(_ entity: EntityDef, sliced: [String: [Int32]]) {
        for (f, field) in entity.fields.enumerated() {
            guard case .reference(let target) = field.type, sliced[target] != nil else { continue }
            let map = database[target].idMap
            let refs = database[entity.name].columns[f].integers
            var rows: [Int32] = []
            for r in 0..<refs.count where refs[r] != nullInt && map.row(refs[r]) < 0 { rows.append(Int32(r)) }
            if !rows.isEmpty {
                database.modify(entity.name) { $0.set(f, rows: rows, to: .null) }
                changed.insert(entity.name)
            }
        }
    }

    static func null(_ type: FieldType) -> StoredValue {
        type.isText ? .text(nil) : .null
    }
}
