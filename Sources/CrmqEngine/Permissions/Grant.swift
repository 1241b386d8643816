/// Roles and permissions as data: what each role (the `role` of a user: admin, manager, sales,
/// support) may read and change. The standard grants (`Grants.standard`) are worked out from the
/// schema; `grant` and `revoke` statements change them, and the catalog keeps those statements, in
/// order, so that a file written before roles existed opens with the standard grants.
public enum GrantAction: String, CaseIterable, Hashable, Sendable {
    case read, create, update, delete
}

/// One permission of a role: `sales may read opportunities where owner = me`. The condition is
/// kept as source text in canonical spelling, bound again at each use (with `me` the session's
/// user), so that the grant means the same to any backend (a SQL one turns it into a WHERE clause).
public struct Grant: Hashable, Sendable {
    public var role: String
    public var action: GrantAction
    public var entity: String
    /// The condition after `where`; nil for every record.
    public var condition: String?

    public init(role: String, action: GrantAction, entity: String, condition: String? = nil) {
        self.role = role
        self.action = action
        self.entity = entity
        self.condition = condition
    }

    /// `read opportunities where owner = me`
    public var text: String {
        "\(action.rawValue) \(entity)" + (condition.map { " where \($0)" } ?? "")
    }
}

/// A field a role may not read or update although it may the records: `revoke read on
/// opportunities.value from support`.
public struct HiddenField: Hashable, Sendable {
    public var role: String
    public var action: GrantAction
    public var entity: String
    public var field: String

    public init(role: String, action: GrantAction, entity: String, field: String) {
        self.role = role
        self.action = action
        self.entity = entity
        self.field = field
    }
}

/// `grant ACTIONS on ENTITY[.FIELD] to ROLE [where CONDITION]` or `revoke ... from ROLE ...`, as
/// the catalog keeps it.
public struct GrantChange: Hashable, Sendable {
    public var granting: Bool
    public var role: String
    public var actions: [GrantAction]
    public var entity: String
    /// A field grant or revoke (read or update only); nil for the records.
    public var field: String?
    public var condition: String?

    public init(granting: Bool, role: String, actions: [GrantAction], entity: String, field: String? = nil, condition: String? = nil) {
        self.granting = granting
        self.role = role
        self.actions = actions
        self.entity = entity
        self.field = field
        self.condition = condition
    }

    /// What running it did: `granted read on opportunities to sales where owner = me`.
    public var summary: String {
        (granting ? "granted" : "revoked") + text.drop(while: { $0 != " " })
    }

    /// The statement as it would be typed: `grant read on opportunities to sales where owner = me`.
    public var text: String {
        let verb = granting ? "grant" : "revoke"
        let what = actions.map(\.rawValue).joined(separator: ", ")
        let target = entity + (field.map { ".\($0)" } ?? "")
        return "\(verb) \(what) on \(target) \(granting ? "to" : "from") \(role)" + (condition.map { " where \($0)" } ?? "")
    }
}
