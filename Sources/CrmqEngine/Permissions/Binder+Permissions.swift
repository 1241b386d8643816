/// What the binder knows of the session's user: `me` in a condition (the user's id, `me.team` a
/// field of the user's record, as a literal), and the fields the user's role may not read, which
/// are an error to name and left out of `show *` and the default columns.
public struct MeContext: Sendable {
    public var id: Int64
    /// The user record's fields as literals (null for an empty one).
    public var values: [String: Literal]

    public init(id: Int64, values: [String: Literal]) {
        self.id = id
        self.values = values
    }

    /// A stand-in of the right types for checking a grant's condition when it is given: any user
    /// may be `me` when the grant is used.
    static func placeholder(_ schema: Schema) -> MeContext {
        var values: [String: Literal] = [:]
        for f in schema.entity(named: "users")?.fields ?? [] {
            switch f.type {
            case .text: values[f.name] = .string("")
            case .enumeration(let e): values[f.name] = schema.enumValues(e).first.map { .string($0) } ?? .null
            case .bool: values[f.name] = .bool(false)
            case .date: values[f.name] = .date(0)
            case .datetime: values[f.name] = .datetime(0)
            case .int, .money, .percent, .reference: values[f.name] = .integer(1)
            }
        }
        return MeContext(id: 1, values: values)
    }
}

/// Fields a role may not read, by entity, with the role's name for the message.
public struct HiddenFields: Sendable {
    public var role: String
    public var fields: [String: Set<Int>]

    public init(role: String, fields: [String: Set<Int>]) {
        self.role = role
        self.fields = fields
    }
}

extension Binder {
    /// `me` or `me.FIELD` where a value is written, unless the entity has a field called `me`.
    func isMe(_ e: Expr, _ entity: EntityDef) -> Bool {
        guard case .path(let p) = e else { return false }
        return p.components[0].text.lowercased() == "me" && entity.fieldIndex("me") == nil
    }

    /// `me` as the user's id, `me.team` as the user's team, as literals.
    func meLiteral(_ e: Expr) throws(Diagnostic) -> Expr {
        guard case .path(let p) = e else { return e }
        guard let me else {
            throw Diagnostic(.binder, "\"me\" is the session's user, and this session has none", at: p.range,
                             hint: "run as a user: crmq --user EMAIL, .user EMAIL, or CRMQ_USER=EMAIL")
        }
        switch p.components.count {
        case 1:
            return .literal(.integer(me.id), p.range)
        case 2:
            let name = p.components[1]
            guard let value = me.values[name.text.lowercased()] else {
                let names = me.values.keys.sorted()
                throw Diagnostic(.binder, "unknown field \"\(name.text)\" on users (after \"me.\")", at: name.range,
                                 hint: Suggestions.didYouMean(name.text, in: names) ?? "fields of users: \(names.joined(separator: ", "))")
            }
            return .literal(value, p.range)
        default:
            throw Diagnostic(.binder, "\"me\" reads one field of the session's user, as in me.team", at: p.range,
                             hint: "compare a path with it instead: owner.team = me.team")
        }
    }

    /// A predicate with `me` put in as literals; nil when it is `FIELD = me.FIELD` of an empty
    /// field of the user, which no record matches (a user without a team has no team-mates).
    func substitutingMe(_ kind: ConditionKind, _ entity: EntityDef) throws(Diagnostic) -> ConditionKind? {
        switch kind {
        case .compare(let l, let op, let r) where isMe(l, entity) || isMe(r, entity):
            let l2 = isMe(l, entity) ? try meLiteral(l) : l
            let r2 = isMe(r, entity) ? try meLiteral(r) : r
            for side in [l2, r2] where op == .equal {
                if case .literal(.null, _) = side, side != l || side != r { return nil }
            }
            return .compare(l2, op, r2)
        case .inList(let l, let items, let negated) where items.contains(where: { isMe($0, entity) }):
            var out: [Expr] = []
            for i in items { out.append(isMe(i, entity) ? try meLiteral(i) : i) }
            return .inList(l, out, negated: negated)
        default:
            return kind
        }
    }

    /// Refuses a field the session's role may not read.
    func checkReadable(_ entity: EntityDef, _ field: Int, at range: SourceRange) throws(Diagnostic) {
        guard let hidden, hidden.fields[entity.name]?.contains(field) == true else { return }
        throw Diagnostic(.binder, "\(hidden.role) may not read \(entity.name).\(entity.fields[field].name)", at: range,
                         hint: "an admin can allow it: grant read on \(entity.name).\(entity.fields[field].name) to \(hidden.role); .roles lists the grants")
    }

    /// Whether `show *` and the default columns show `text` (a path such as `owner.name`).
    func isShown(_ text: String, from entity: EntityDef) -> Bool {
        guard hidden != nil else { return true }
        return (try? resolve(syntheticPath(text), from: entity)) != nil
    }

    // MARK: - grant and revoke

    func bindGrant(_ g: GrantSyntax) throws(Diagnostic) -> GrantChange {
        var actions: [GrantAction] = []
        for a in g.actions {
            let word = a.text.lowercased()
            if word == "change" {
                actions += [.create, .update, .delete]
            } else if let action = GrantAction(rawValue: word) {
                actions.append(action)
            } else {
                throw Diagnostic(.binder, "\"\(a.text)\" is not something a role may do", at: a.range,
                                 hint: Suggestions.didYouMean(a.text, in: GrantAction.allCases.map(\.rawValue) + ["change"])
                                     ?? "use read, create, update, delete, or change (create, update and delete)")
            }
        }
        var seen: Set<GrantAction> = []
        actions = actions.filter { seen.insert($0).inserted }
        guard let entity = schema.entity(named: g.entity.text) else {
            throw Diagnostic(.binder, "unknown entity \"\(g.entity.text)\"", at: g.entity.range, hint: schema.entityHint(for: g.entity.text))
        }
        let roles = schema.enumValues("user_role")
        guard let role = roles.first(where: { $0.lowercased() == g.role.text.lowercased() }) else {
            throw Diagnostic(.binder, "unknown role \"\(g.role.text)\"", at: g.role.range,
                             hint: Suggestions.didYouMean(g.role.text, in: roles) ?? "roles: \(roles.joined(separator: ", "))")
        }
        var fieldName: String?
        if let f = g.field {
            guard let fi = entity.fieldIndex(f.text) else {
                let names = entity.fields.map(\.name)
                throw Diagnostic(.binder, "unknown field \"\(f.text)\" on \(entity.name)", at: f.range,
                                 hint: Suggestions.didYouMean(f.text, in: names) ?? "fields of \(entity.name): \(names.joined(separator: ", "))")
            }
            if fi == 0 {
                throw Diagnostic(.binder, "the id of a record cannot be hidden", at: f.range, hint: "grant or revoke on \(entity.name) itself")
            }
            if let a = actions.first(where: { $0 != .read && $0 != .update }) {
                throw Diagnostic(.binder, "a field can be granted or revoked for read and update only, not \(a.rawValue)",
                                 at: g.actions[0].range.union(g.actions[g.actions.count - 1].range),
                                 hint: "\(a.rawValue) is granted on the records: \(g.granting ? "grant" : "revoke") \(a.rawValue) on \(entity.name) \(g.granting ? "to" : "from") \(role)")
            }
            if let c = g.condition {
                throw Diagnostic(.binder, "a field grant holds for every record the role may read; it takes no condition", at: c.range,
                                 hint: "put the condition on the records: grant read on \(entity.name) to \(role) where ...")
            }
            fieldName = entity.fields[fi].name
        }
        if let c = g.condition {
            // Checked now with a stand-in user; bound again with the session's user at each use.
            var b = self
            b.me = MeContext.placeholder(schema)
            b.hidden = nil
            _ = try b.bindCondition(c, entity)
        }
        let change = GrantChange(granting: g.granting, role: role, actions: actions, entity: entity.name,
                                 field: fieldName, condition: g.conditionText)
        if let problem = (grants ?? Grants(schema: schema, changes: [])).problem(change) {
            throw Diagnostic(.binder, problem, at: g.role.range.union(g.entity.range),
                             hint: role == Grants.admin ? "give the user another role to limit them: update users set role = \"sales\" where ..."
                                 : ".roles lists the grants of each role")
        }
        return change
    }
}
