/// A workflow rule bound against the schema: names resolved to entities and field numbers,
/// literals to stored values, computed values to scalars over the triggering record. It holds no
/// rows and no data: the rule engine (Rules/) carries it out on whatever data it is given.
public struct BoundRule: Sendable {
    public var name: String
    public var trigger: RuleTrigger
    public var entity: String
    /// Nil: every record the event touches.
    public var condition: RuleCondition?
    public var actions: [BoundRuleAction]
}

/// A rule's `when`: tests on the triggering record as the change leaves it (as it was, for a
/// delete), and `changes` tests that compare it before and after.
public indirect enum RuleCondition: Sendable {
    case filter(BoundFilter)
    /// `FIELD changes [from V] [to W]`: the value differs before and after, and was V, and is W.
    case changes(field: Int, from: StoredValue?, to: StoredValue?)
    case and([RuleCondition])
    case or([RuleCondition])
    case not(RuleCondition)
}

/// A value an action gives a field: fixed, or computed from the triggering record (`owner`,
/// `now + 2 days`, `close_date + 7 days`).
public enum RuleValue: Sendable {
    case stored(StoredValue)
    case computed(BoundScalar)
}

public struct RuleAssignment: Sendable {
    public var field: Int
    public var value: RuleValue
}

public enum BoundRuleAction: Sendable {
    /// One new record per triggering record.
    case create(entity: String, assignments: [RuleAssignment])
    /// The triggering records themselves.
    case updateRecord(assignments: [RuleAssignment])
    /// The records of `entity` that `filter` keeps, once per distinct set of values.
    case update(entity: String, assignments: [RuleAssignment], filter: BoundFilter)
}

/// `run rules [as of DATE]` and `explain rule NAME`: they read the catalog's rules when they run.
public enum BoundRuleCommand: Sendable {
    /// The day the time rules are run as of; nil for today.
    case run(asOf: Int64?)
    case explain(name: String)
}
