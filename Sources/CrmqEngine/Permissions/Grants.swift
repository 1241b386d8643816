/// The grants in force: the standard ones for the schema, with the catalog's `grant` and `revoke`
/// statements applied in order. Admins are not in it: an admin reads and changes everything, and
/// nothing can take that away (so a file always has someone who can change the grants back).
public struct Grants: Hashable, Sendable {
    public private(set) var grants: [Grant]
    public private(set) var hidden: Set<HiddenField>

    /// The role every session without a user has, and that no grant limits.
    public static let admin = "admin"

    /// The standard grants, then `changes` (the catalog's) in order.
    public init(schema: Schema, changes: [GrantChange]) {
        (grants, hidden) = Grants.standard(schema)
        for c in changes { apply(c) }
    }

    /// The grants of `role` for `action` on `entity`.
    public func grants(_ role: String, _ action: GrantAction, on entity: String) -> [Grant] {
        grants.filter { $0.role == role && $0.action == action && $0.entity == entity }
    }

    /// The fields of `entity` that `role` may not read (or update).
    public func hiddenFields(_ role: String, _ action: GrantAction, of entity: String) -> Set<String> {
        Set(hidden.filter { $0.role == role && $0.action == action && $0.entity == entity }.map(\.field))
    }

    /// Why `change` cannot be made, in words for its author; nil when it can.
    public func problem(_ change: GrantChange) -> String? {
        change.role == Grants.admin ? "admin reads and changes everything; its grants cannot change" : nil
    }

    /// For a revoke of what the role does not hold (as PostgreSQL's REVOKE, a warning, not an
    /// error: revoking it again changes nothing): what it holds instead; nil when it takes something.
    public func notHeld(_ change: GrantChange) -> String? {
        guard !change.granting else { return nil }
        var missing: [String] = []
        for action in change.actions {
            if let field = change.field {
                let h = HiddenField(role: change.role, action: action, entity: change.entity, field: field)
                if !hidden.contains(h) { return nil }
                missing.append("\(change.role) may already not \(action.rawValue) \(change.entity).\(field)")
                continue
            }
            let have = grants(change.role, action, on: change.entity)
            if change.condition == nil ? !have.isEmpty : have.contains(where: { $0.condition == change.condition }) { return nil }
            let shown = have.isEmpty ? "none" : have.map(\.text).joined(separator: "; ")
            missing.append("\(change.role) has no grant to \(action.rawValue) \(change.entity)"
                + (change.condition.map { " where \($0)" } ?? "") + " (its grants to \(action.rawValue) \(change.entity): \(shown))")
        }
        return missing.joined(separator: "; ")
    }

    /// For a grant the role holds already (as SQL's GRANT, granting it again changes nothing and is
    /// no error): what it holds; nil when the grant gives something new.
    public func alreadyHeld(_ change: GrantChange) -> String? {
        guard change.granting else { return nil }
        var held: [String] = []
        for action in change.actions {
            if let field = change.field {
                let h = HiddenField(role: change.role, action: action, entity: change.entity, field: field)
                if hidden.contains(h) { return nil }
                held.append("\(action.rawValue) \(change.entity).\(field)")
                continue
            }
            let have = grants(change.role, action, on: change.entity)
            if let g = have.first(where: { $0.condition == nil || $0.condition == change.condition }) { held.append(g.text) } else { return nil }
        }
        return "\(change.role) may already " + held.joined(separator: "; ")
    }

    /// Makes a change `problem` accepted. A grant without a condition replaces the role's
    /// conditional ones (it covers them); a revoke without one takes every grant of that action.
    public mutating func apply(_ change: GrantChange) {
        for action in change.actions {
            if let field = change.field {
                let h = HiddenField(role: change.role, action: action, entity: change.entity, field: field)
                if change.granting { hidden.remove(h) } else { hidden.insert(h) }
                continue
            }
            let same = { (g: Grant) in g.role == change.role && g.action == action && g.entity == change.entity }
            if change.granting {
                if change.condition == nil { grants.removeAll(where: same) }
                let g = Grant(role: change.role, action: action, entity: change.entity, condition: change.condition)
                if !grants.contains(g) { grants.append(g) }
            } else {
                grants.removeAll { same($0) && (change.condition == nil || $0.condition == change.condition) }
            }
        }
    }

    /// The standard grants (README "Roles and permissions"):
    /// - manager: reads everything; changes the records of their team (an owner in their team; a
    ///   contact or case through its account's owner; a stage change through its deal's owner);
    ///   campaigns and custom entities read only;
    /// - sales: reads accounts, contacts, users and campaigns, and the leads, opportunities and
    ///   activities they own (and those deals' stage changes), and changes what they own (a new
    ///   account from a conversion is theirs; its contacts are changed through it);
    /// - support: reads accounts, contacts, cases, users and opportunities but not their value;
    ///   changes cases;
    /// - custom entities: every role reads them; only admins change them.
    static func standard(_ schema: Schema) -> ([Grant], Set<HiddenField>) {
        var grants: [Grant] = []
        func add(_ role: String, _ actions: [GrantAction], _ entity: String, _ condition: String? = nil) {
            guard schema.entity(named: entity) != nil else { return }
            for a in actions { grants.append(Grant(role: role, action: a, entity: entity, condition: condition)) }
        }
        let change: [GrantAction] = [.create, .update, .delete]
        let standard = Set(Schema.standard.entityNames)
        for e in schema.entityNames { add("manager", [.read], e) }
        add("manager", change, "accounts", "owner.team = me.team")
        add("manager", change, "contacts", "account.owner.team = me.team")
        add("manager", change, "leads", "owner.team = me.team")
        add("manager", change, "opportunities", "owner.team = me.team")
        add("manager", change, "activities", "owner.team = me.team")
        add("manager", change, "cases", "account.owner.team = me.team")
        add("manager", [.create], "stage_changes", "opportunity.owner.team = me.team")

        for e in ["accounts", "contacts", "users", "campaigns"] { add("sales", [.read], e) }
        for e in ["leads", "opportunities", "activities"] { add("sales", [.read] + change, e, "owner = me") }
        add("sales", [.read, .create], "stage_changes", "opportunity.owner = me")
        add("sales", [.create, .update], "accounts", "owner = me")
        add("sales", [.create, .update], "contacts", "account.owner = me")

        for e in ["accounts", "contacts", "cases", "users", "opportunities"] { add("support", [.read], e) }
        add("support", change, "cases")

        for e in schema.entityNames where !standard.contains(e) {
            add("sales", [.read], e)
            add("support", [.read], e)
        }
        var hidden: Set<HiddenField> = []
        if schema.entity(named: "opportunities")?.fieldIndex("value") != nil {
            hidden.insert(HiddenField(role: "support", action: .read, entity: "opportunities", field: "value"))
        }
        return (grants, hidden)
    }
}
