/// The statements that change an entity's fields, as written.

/// A field's type as written after `as`: `date`, `enum ("Gold", "Silver")`, `reference to accounts`.
public struct FieldTypeSyntax: Equatable, Sendable {
    /// The type's word: text, int, money, percent, bool, date, datetime, enum or reference.
    public var name: Name
    /// An enum's values, in their order.
    public var values: [Name] = []
    /// A reference's target entity.
    public var target: Name?
}

public enum FieldStatement: Equatable, Sendable {
    /// `add field NAME to ENTITY as TYPE`
    case add(entity: Name, field: Name, type: FieldTypeSyntax)
    /// `rename field NAME to NEW in ENTITY`
    case rename(entity: Name, field: Name, to: Name)
    /// `drop field NAME from ENTITY`
    case drop(entity: Name, field: Name)
    /// `add entity NAME [singular NAME] (FIELD TYPE, ...)`
    case addEntity(name: Name, singular: Name?, fields: [FieldSyntax], range: SourceRange)
}

/// One field of `add entity`: `list_price money`.
public struct FieldSyntax: Equatable, Sendable {
    public var name: Name
    public var type: FieldTypeSyntax
}
