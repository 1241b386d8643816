/// The physical plan of a query. For now every query scans its collection with a column-at-a-time
/// filter; index choices and top-k join the plan here as the planner learns them.
public struct FindPlan: Sendable {
    public var query: BoundFind
    /// The filter after the planner's rewrites.
    public var filter: BoundFilter
}

public struct AggregatePlan: Sendable {
    public var query: BoundAggregate
    public var filter: BoundFilter
}

public enum Plan: Sendable {
    case find(FindPlan)
    case aggregate(AggregatePlan)
}
