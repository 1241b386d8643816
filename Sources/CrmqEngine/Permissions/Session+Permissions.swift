/// Roles in a session: the session's role (its user's; admin without one), the data as the role
/// may read it (PermissionView), and the check every change makes before it is applied.
extension Session {
    /// The role the session runs as: admin without a user, else the user's `role` (`no role` when
    /// it is empty: such a user reads and changes nothing).
    public var role: String {
        guard let user else { return Grants.admin }
        guard let users = database.schema.entity(named: "users"), let f = users.fieldIndex("role"),
              case .enumeration(let e) = users.fields[f].type,
              let row = database[users.name].row(ofId: user) else { return Session.noRole }
        let code = database[users.name].columns[f].integers[row]
        let values = database.schema.enumValues(e)
        return code >= 0 && code < values.count ? values[Int(code)] : Session.noRole
    }

    static let noRole = "no role"

    /// A binder for grants' conditions: `me` is the user, and no field is hidden from them.
    var unhiddenBinder: Binder {
        var b = binder
        b.hidden = nil
        return b
    }

    /// The grants in force for this data.
    public var grants: Grants { database.catalog.grants(database.schema) }

    /// `me` for the binder: the session user's record; nil without a user.
    var meContext: MeContext? {
        guard let user else { return nil }
        var values: [String: Literal] = [:]
        if let users = database.schema.entity(named: "users"), let row = database[users.name].row(ofId: user) {
            let c = database[users.name]
            for (f, field) in users.fields.enumerated() {
                values[field.name] = Session.literal(c.columns[f], row, field.type, database.schema)
            }
        }
        return MeContext(id: user, values: values)
    }

    /// The fields the session's role may not read, for the binder; nil for an admin.
    var hiddenFields: HiddenFields? {
        let role = self.role
        if role == Grants.admin { return nil }
        let grants = self.grants
        var fields: [String: Set<Int>] = [:]
        for e in database.schema.entities {
            let hidden = grants.hiddenFields(role, .read, of: e.name).compactMap { e.fieldIndex($0) }
            if !hidden.isEmpty { fields[e.name] = Set(hidden) }
        }
        return HiddenFields(role: role, fields: fields)
    }

    private static func literal(_ column: Column, _ row: Int, _ type: FieldType, _ schema: Schema) -> Literal {
        switch column {
        case .text(let t): return t[row].map { .string($0) } ?? .null
        case .integers(let a):
            let v = a[row]
            if v == nullInt { return .null }
            switch type {
            case .enumeration(let e):
                let values = schema.enumValues(e)
                return v >= 0 && v < values.count ? .string(values[Int(v)]) : .null
            case .bool: return .bool(v != 0)
            case .date: return .date(v)
            case .datetime: return .datetime(v)
            case .money, .percent: return .decimal(digits: v, places: 2)
            case .int, .reference, .text: return .integer(v)
            }
        }
    }

    /// The data the session's role may read: the data itself for an admin, else the permission
    /// view, built once per user, role and version of the data (any change drops it).
    mutating func permittedData(cancellation: Cancellation = .none) throws(Diagnostic) -> Database {
        let role = self.role
        if role == Grants.admin { return database }
        if var v = permissionView, v.user == user, v.role == role {
            v.share(from: database)
            permissionView = v
            return v.database
        }
        try read(Set(database.schema.entityNames))
        let view = try PermissionView(of: database, user: user, role: role, grants: grants, binder: unhiddenBinder,
                                      cancellation: cancellation)
        permissionView = view
        return view.database
    }

    /// What the permission view did to the collections in `entities`, for `explain`: nothing for an admin.
    func permissionSteps(_ entities: Set<String>) -> [String] {
        guard let view = permissionView, view.user == user else { return [] }
        let lines = entities.sorted().compactMap { view.steps[$0] }
        return lines.isEmpty ? [] : ["PERMISSIONS of \(view.role)"] + lines
    }

    /// Builds the data the session's role may read now, as the first query would (a benchmark
    /// times it apart from the queries); returns how many records of each collection it holds.
    @discardableResult
    public mutating func preparePermissions(cancellation: Cancellation = .none) throws(Diagnostic) -> [String: Int] {
        let data = try permittedData(cancellation: cancellation)
        return Dictionary(uniqueKeysWithValues: data.schema.entityNames.map { ($0, data[$0].count) })
    }

    // MARK: - Changes

    /// Refuses `changes` unless the session's role may make every one: create where a create
    /// grant holds for the new record, update where an update grant holds for the record before
    /// and after, delete where a delete grant holds; no update of a field hidden from updates.
    /// Called by `commit`, so every path (create, update, upsert, delete, move, convert, import,
    /// a rule's actions) is checked, and a refused change changes nothing.
    func checkPermissions(_ changes: [DataChange]) throws(Diagnostic) {
        let role = self.role
        if role == Grants.admin || changes.isEmpty { return }
        let grants = self.grants
        let binder = unhiddenBinder
        var after: Database?
        var held: [String: Bitmap] = [:]
        func allowed(_ action: GrantAction, _ entity: String, in db: Database, _ key: String) throws(Diagnostic) -> Bitmap {
            if let b = held[key] { return b }
            let def = db[entity].entity
            var bits = Bitmap(count: db[entity].count)
            for g in grants.grants(role, action, on: entity) {
                bits.formUnion(try FilterEvaluator(db).evaluate(try PermissionView.filter(g, def, binder), on: entity))
            }
            held[key] = bits
            return bits
        }
        func require(_ action: GrantAction, _ entity: String, _ ids: [Int64], in db: Database, after isAfter: Bool) throws(Diagnostic) {
            let bits = try allowed(action, entity, in: db, "\(entity) \(action) \(isAfter)")
            let c = db[entity]
            for id in ids {
                guard let row = c.row(ofId: id), !bits[row] else { continue }
                throw refusal(action, entity, id, in: db, grants.grants(role, action, on: entity), role: role, after: isAfter)
            }
        }
        // A deletion before what follows from it (its references emptied), so that the refusal
        // names what the user asked for; else in order.
        func rank(_ c: DataChange) -> Int {
            switch c {
            case .catalog: 0
            case .delete: 1
            case .insert, .insertBatch, .assign: 2
            }
        }
        for change in changes.enumerated().sorted(by: { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }).map(\.element) {
            switch change {
            case .catalog(let c):
                throw catalogRefusal(c, role: role, at: nil)
            case .insert(let entity, let id, _):
                if after == nil { after = database.droppingBuiltIndexes(); after!.apply(changes) }
                try require(.create, entity, [id], in: after!, after: false)
            case .insertBatch(let entity, let batch):
                if after == nil { after = database.droppingBuiltIndexes(); after!.apply(changes) }
                try require(.create, entity, batch.ids, in: after!, after: false)
            case .assign(let entity, let field, _, let ids):
                let def = database[entity].entity
                if grants.hiddenFields(role, .update, of: entity).contains(def.fields[field].name) {
                    throw Diagnostic(.executor, "\(role) may not update \(entity).\(def.fields[field].name); nothing was changed",
                                     hint: "an admin can allow it: grant update on \(entity).\(def.fields[field].name) to \(role)")
                }
                try require(.update, entity, ids, in: database, after: false)
                if after == nil { after = database.droppingBuiltIndexes(); after!.apply(changes) }
                try require(.update, entity, ids, in: after!, after: true)
            case .delete(let entity, let ids):
                try require(.delete, entity, ids, in: database, after: false)
            }
        }
    }

    /// `sales may not update opportunity 17 "Big deal": sales may update opportunities where owner = me`.
    private func refusal(_ action: GrantAction, _ entity: String, _ id: Int64, in db: Database,
                         _ held: [Grant], role: String, after: Bool) -> Diagnostic {
        let def = db[entity].entity
        var record = "\(def.singular) \(id)"
        if let t = def.fieldIndex(def.titleField), let row = db[entity].row(ofId: id), case .text(let col) = db[entity].columns[t],
           let title = col[row] {
            record += " " + CrmqText.quoted(title)
        }
        let may = held.isEmpty ? "\(role) may not \(action.rawValue) \(entity)"
                               : "\(role) may " + held.map(\.text).joined(separator: "; or ")
        let when = after ? " (as the change would leave it)" : ""
        return Diagnostic(.executor, "\(role) may not \(action.rawValue) \(record)\(when): \(may); nothing was changed",
                          hint: ".roles lists what each role may do")
    }

    /// Grants, segments, pipelines, fields and settings are the admins' to change.
    func catalogRefusal(_ change: CatalogChange, role: String, at range: SourceRange?) -> Diagnostic {
        if case .grant = change {
            return Diagnostic(.executor, "only an admin may grant or revoke, and this session runs as \(role)", at: range,
                              hint: "run as an admin user (--user EMAIL, .user EMAIL), or with no user")
        }
        return Diagnostic(.executor, "only an admin may change segments, pipelines, fields and settings, and this session runs as \(role)",
                          at: range, hint: "ask an admin; nothing was changed")
    }

    /// `.roles`: each role and its grants, in order; admin first.
    public func describeRoles() -> String {
        let grants = self.grants
        let roles = database.schema.enumValues("user_role")
        var out = "admin: reads and changes everything (grants cannot limit it)\n"
        for role in roles where role != Grants.admin {
            out += "\(role):\n"
            let mine = grants.grants.filter { $0.role == role }
            if mine.isEmpty { out += "  nothing\n" }
            // One line per entity and condition, the actions together: `read, update cases`.
            var lines: [(key: String, actions: [String])] = []
            for g in mine {
                let key = g.entity + (g.condition.map { " where \($0)" } ?? "")
                if let i = lines.firstIndex(where: { $0.key == key }) { lines[i].actions.append(g.action.rawValue) } else {
                    lines.append((key, [g.action.rawValue]))
                }
            }
            for l in lines { out += "  \(l.actions.joined(separator: ", ")) \(l.key)\n" }
            for h in grants.hidden.filter({ $0.role == role }).sorted(by: { ($0.entity, $0.field, $0.action.rawValue) < ($1.entity, $1.field, $1.action.rawValue) }) {
                out += "  not \(h.action.rawValue) \(h.entity).\(h.field)\n"
            }
        }
        out += "this session runs as \(role)" + (user == nil ? " (no user)" : ": \(describeUser())") + "\n"
        return out
    }
}
