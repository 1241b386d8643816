/// How a filter's rows are found: the physical plan of a `where` clause.
public indirect enum Access: Sendable {
    /// Every row, tested column by column.
    case scan
    /// Rows by id, through the id -> row map.
    case ids([Int64])
    /// The rows of some keys of a posting index (enum codes, bools, referenced ids), and
    /// optionally the rows whose value is null.
    case postings(field: Int, keys: [Int64], nulls: Bool)
    /// Text equal to one of these (lowercased) values, through the text index.
    case textEquals(field: Int, values: [String])
    /// Text starting with a (lowercased) prefix, through the text index.
    case textPrefix(field: Int, prefix: String)
    /// Values within `[lo, hi]`, through the sorted index.
    case range(field: Int, lo: Int64, hi: Int64)
    /// Rows whose reference `field` points at a row that `target` keeps: a filter on a dot path
    /// evaluated on the referenced collection first, then carried back through the reverse index.
    case reverse(field: Int, target: FilterPlan)
    /// Rows any of the plans keep (an `or` whose every branch can use an index).
    case union([FilterPlan])
    /// Rows with at least one record in the child collection that `child` keeps (`any C (...)`):
    /// the child's filter runs first, then its passing records name their parents. The collection's
    /// parent is this plan's entity (the planner reaches it through dot paths with `reverse`).
    case semiJoin(BoundChildCollection, child: FilterPlan)
}

/// How `any`/`no`/`all` in a filter find their child records: the child's condition (for `all`,
/// its negation: the records that break it) planned on the child collection.
public struct RelatedPlan: Sendable {
    public var quantifier: Quantifier
    public var collection: BoundChildCollection
    /// The condition as bound (what the executor meets in the filter).
    public var filter: BoundFilter
    public var child: FilterPlan
}

/// A filter's plan: where candidate rows come from, and what is still to be tested on them.
public struct FilterPlan: Sendable {
    public var entity: String
    public var access: Access
    /// Tested on the candidates; `.all` when the access alone answers the filter.
    public var residual: BoundFilter
    /// Estimated rows the access yields.
    public var estimate: Int
    /// The condition the access stands for (for `explain`).
    public var accessCondition: BoundFilter?
    /// The plans of the `any`/`no`/`all` conditions in the filter (empty: they run as plain scans).
    public var related: [RelatedPlan] = []

}

/// `q C (f)` as the executor meets it in a filter: what finds its plan (by hash, so a generated
/// filter with thousands of them costs no quadratic search).
struct RelatedKey: Hashable {
    var quantifier: Quantifier
    var collection: BoundChildCollection
    var filter: BoundFilter
}

extension RelatedPlan {
    var key: RelatedKey { RelatedKey(quantifier: quantifier, collection: collection, filter: filter) }

    /// The plans by what they answer.
    static func index(_ plans: [RelatedPlan]) -> [RelatedKey: FilterPlan] {
        var out: [RelatedKey: FilterPlan] = [:]
        for p in plans { out[p.key] = p.child }
        return out
    }
}

/// `order by ... limit` answered without sorting every row: the plan reads the first rows in the
/// order of a sorted index (testing each against the filter) or keeps the best rows in a heap.
public enum OrderStrategy: Sendable {
    case none
    case sort
    case heap(keep: Int)
    case indexWalk(field: Int, descending: Bool, keep: Int)
}

public struct FindPlan: Sendable {
    public var query: BoundFind
    public var filter: FilterPlan
    public var order: OrderStrategy
}

public struct AggregatePlan: Sendable {
    public var query: BoundAggregate
    public var filter: FilterPlan
}

public enum Plan: Sendable {
    case find(FindPlan)
    case aggregate(AggregatePlan)
}
