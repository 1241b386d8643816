/// Workflow rules as written: `define rule`, `drop rule`, `enable rule`, `disable rule`,
/// `run rules [as of DATE]` and `explain rule NAME` (Parser+Rules.swift).

/// What sets a rule off: a record created, updated or deleted, or a day passing (`run rules`).
public enum RuleTrigger: String, Hashable, Sendable {
    case create, update, delete
    /// `every day on ENTITY when ...`: acts once per record that comes to meet the condition.
    case daily = "every day"

    public var isEvent: Bool { self != .daily }
}

/// One action of a rule, as written. A bare field in a value is the triggering record's field.
public enum RuleActionSyntax: Equatable, Sendable {
    /// `create ENTITY FIELD = value, ...`
    case create(entity: Name, assignments: [Assignment])
    /// `update set FIELD = value, ...`: the record that set the rule off.
    case updateRecord(assignments: [Assignment], range: SourceRange)
    /// `update ENTITY set FIELD = value, ... [where CONDITION]`: the condition is on ENTITY.
    case update(entity: Name, assignments: [Assignment], filter: Condition?)
}

/// `define rule NAME on EVENT ENTITY [when CONDITION] do ACTION {then ACTION}`, or
/// `define rule NAME every day on ENTITY [when CONDITION] do ...`.
public struct RuleSyntax: Equatable, Sendable {
    public var name: Name
    public var trigger: RuleTrigger
    public var entity: Name
    public var condition: Condition?
    public var actions: [RuleActionSyntax]
    /// Everything after the name in a canonical spelling: what the catalog keeps and parses again.
    public var text: String
}

public enum RuleStatement: Equatable, Sendable {
    case define(RuleSyntax)
    case drop(name: Name)
    /// `enable rule NAME` (true) or `disable rule NAME` (false).
    case enable(name: Name, Bool)
    /// `run rules [as of DATE]`: every enabled time rule, as on DATE (today by default).
    case run(asOf: Expr?)
    /// `explain rule NAME`: what the rule would do to the data now, doing nothing.
    case explain(name: Name)
}
