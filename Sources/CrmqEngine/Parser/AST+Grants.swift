/// `grant ACTION {, ACTION} on ENTITY[.FIELD] to ROLE [where CONDITION]` and
/// `revoke ACTION {, ACTION} on ENTITY[.FIELD] from ROLE [where CONDITION]`.
/// ACTION is read, create, update, delete, or change (create, update and delete).
public struct GrantSyntax: Equatable, Sendable {
    public var granting: Bool
    public var actions: [Name]
    public var entity: Name
    public var field: Name?
    public var role: Name
    public var condition: Condition?
    /// The condition in canonical spelling, as the grant keeps it.
    public var conditionText: String?
}
