/// The bound form of a statement: every name resolved against the schema, every literal converted
/// to the stored representation of the field it is compared with.

/// One step of a path: a field of an entity.
public struct FieldRef: Hashable, Sendable {
    public var entity: String
    public var field: Int
}

/// A resolved path: the reference fields followed from the root entity, then the final field.
public struct BoundPath: Hashable, Sendable {
    public var root: String
    public var hops: [FieldRef]
    public var field: FieldRef
    public var type: FieldType
    /// The canonical spelling (`account.industry`), used as a column header.
    public var text: String
}

/// A test on one field's stored values. Null never passes a test except `isNull`.
public enum BoundTest: Hashable, Sendable {
    /// `lo <= v <= hi` on the stored integer.
    case range(Int64, Int64)
    /// `v` is one of these stored integers (sorted).
    case oneOf([Int64])
    case isNull
    /// Case-insensitive equality with any of these (already lowercased) texts.
    case textEquals([String])
    /// Case-insensitive match against an already lowercased needle.
    case textMatch(TextMatch, String)
}

/// A filter tree. `not` is the plain complement, so `x != 5` (a `not` of `x = 5`) keeps the nulls,
/// as SOQL does, while `x < 5` does not.
public indirect enum BoundFilter: Hashable, Sendable {
    case all
    case none
    case test(BoundPath, BoundTest)
    case and([BoundFilter])
    case or([BoundFilter])
    case not(BoundFilter)
}

public struct BoundColumn: Sendable {
    public var path: BoundPath
    public var header: String
}

public struct BoundOrderKey: Sendable {
    public var path: BoundPath
    public var descending: Bool
}

public struct BoundFind: Sendable {
    public var entity: String
    public var filter: BoundFilter
    public var columns: [BoundColumn]
    public var order: [BoundOrderKey]
    public var limit: Int?
    public var offset: Int
}

public enum AggregateOrderKey: Sendable {
    /// The nth `by` path.
    case group(Int, descending: Bool)
    /// The aggregate's own value.
    case value(descending: Bool)
}

public struct BoundAggregate: Sendable {
    public var entity: String
    public var function: AggregateFunction
    public var field: BoundPath?
    public var filter: BoundFilter
    public var groupBy: [BoundPath]
    public var order: [AggregateOrderKey]
    public var limit: Int?
    public var offset: Int
    /// The result column's name: `count`, `sum_value`, ...
    public var valueHeader: String
}

public enum BoundStatement: Sendable {
    case find(BoundFind)
    case aggregate(BoundAggregate)
    case shellCommand(name: Name, arguments: [Name])
}
