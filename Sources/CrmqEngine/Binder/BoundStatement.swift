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
    /// The value is the id of a record in the segment: `account in smb`, `id in smb` (Binder+Segments.swift).
    case inSegment(BoundSegment)
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
    /// A condition on computed values (`close_date < created_at`): tested set-wise, no index.
    case scalar(ScalarPredicate)
    /// `any C (f)`, `no C (f)`, `all C (f)`: whether the child collection `C` of a row has a
    /// record passing `f` (`any`), none (`no`), or no record failing it (`all`, true when there
    /// are none). Through a null reference there are no records: `any` is false, `no` and `all` true.
    case related(Quantifier, BoundChildCollection, BoundFilter)
}

/// A column of a `find`: a field, or a computed value with its header (its alias, else its text).
public struct BoundColumn: Sendable {
    public var value: BoundScalar
    public var header: String

    public init(value: BoundScalar, header: String) {
        self.value = value
        self.header = header
    }

    public init(path: BoundPath, header: String) {
        self.init(value: .path(path), header: header)
    }

    /// The field shown, when the column is a plain field.
    public var path: BoundPath? { value.plainPath }
}

/// One key of `order by`: a field, a column's alias or any value.
public struct BoundOrderKey: Sendable {
    public var value: BoundScalar
    public var descending: Bool

    /// The field, when the key is a plain field (an index may serve it).
    public var path: BoundPath? { value.plainPath }
    /// How `explain` names it.
    public var text: String
}

/// One key of `by`: a field or a computed value (`month(close_date)`), with its column's header.
public struct BoundGroupKey: Sendable {
    public var value: BoundScalar
    public var header: String

    public var path: BoundPath? { value.plainPath }
    public var type: ResultType { value.type }
}

public struct BoundFind: Sendable {
    public var entity: String
    public var filter: BoundFilter
    public var columns: [BoundColumn]
    public var order: [BoundOrderKey]
    public var limit: Int?
    public var offset: Int
    /// `as of`: the last moment of history the query sees (seconds since the epoch, inclusive);
    /// nil for the data as it is now. See Binder+AsOf.swift and AsOfView.swift.
    public var asOf: Int64? = nil
}

public enum AggregateOrderKey: Sendable {
    /// The nth `by` path.
    case group(Int, descending: Bool)
    /// The nth aggregate's value.
    case value(Int, descending: Bool)
}

/// What an aggregate reads from each row.
public enum AggregateInput: Sendable {
    /// `count`: nothing.
    case rows
    /// A number: an int, money or percent field, or any computed number, exact.
    case number(BoundScalar)
    /// `min`/`max` of something ordered but not a number: a date, a text, an enum value.
    case ordinal(BoundPath)
    /// `count distinct PATH`: the number of different non-null stored values (text as stored,
    /// so case-sensitively, as `by` groups it).
    case distinct(BoundPath)
}

public struct BoundAggregateCall: Sendable {
    public var function: AggregateFunction
    public var input: AggregateInput
    /// The result column's name: `count`, `sum_value`, `sum(value * probability)`.
    public var header: String
    public var resultType: ResultType

    public var isDistinct: Bool {
        if case .distinct = input { return true }
        return false
    }
}

public struct BoundAggregate: Sendable {
    public var entity: String
    public var calls: [BoundAggregateCall]
    public var filter: BoundFilter
    public var groupBy: [BoundGroupKey]
    public var order: [AggregateOrderKey]
    public var limit: Int?
    public var offset: Int
    /// Which result rows to keep, before `order by`, `limit` and `offset`.
    public var having: BoundHaving = .all
    /// `with totals`: a subtotal row after each group of the leading keys, and a grand total.
    public var withTotals: Bool = false
    /// `as of`: the last moment of history the query sees (seconds since the epoch, inclusive).
    public var asOf: Int64? = nil
}

/// A column of an aggregate's result: the nth `by` path or the nth aggregate.
public enum ResultColumnRef: Hashable, Sendable {
    case group(Int)
    case value(Int)
}

/// A `having` condition over an aggregate's result row. Literals are converted to their
/// column's type: numbers (int, money, percent, decimal) are exact at two places, so
/// `sum_value > 1000000` compares cents; text compares ignoring case, as `=` does.
public indirect enum BoundHaving: Hashable, Sendable {
    case all
    case compare(ResultColumnRef, ComparisonOp, Value)
    case isNull(ResultColumnRef)
    case and([BoundHaving])
    case or([BoundHaving])
    case not(BoundHaving)
}

/// `explain`: the plan of a query, and with `analyze` its run.
public struct BoundExplain: Sendable {
    public indirect enum Query: Sendable {
        case find(BoundFind)
        case aggregate(BoundAggregate)
    }
    public var query: Query
    public var analyze: Bool
}

/// One field's new value in a change statement, as stored, with where it was written: errors
/// found against the data (an id that does not exist) point there.
public struct BoundAssignment: Sendable {
    public var field: Int
    public var value: StoredValue
    public var range: SourceRange
}

/// A change statement with its fields and values checked against the schema. What can only be
/// checked against the data (references exist, an upsert's key is unique) is left to the executor.
public enum BoundChange: Sendable {
    case create(entity: String, assignments: [BoundAssignment])
    case update(entity: String, assignments: [BoundAssignment], filter: BoundFilter)
    case delete(entity: String, filter: BoundFilter)
    /// `keyFilter` selects the records whose key fields equal the values given (text ignoring
    /// case, as `=` does); `keyRange` is where the keys were named.
    case upsert(entity: String, keyFilter: BoundFilter, keyRange: SourceRange, assignments: [BoundAssignment])
    /// `move opportunity 17 to "Negotiation"`: the stage is checked against the record's own pipeline
    /// when it is moved, so it stays a name here.
    case move(entity: String, id: Int64, idRange: SourceRange, stage: String, stageRange: SourceRange)

    public var entity: String {
        switch self {
        case .create(let e, _), .update(let e, _, _), .delete(let e, _), .upsert(let e, _, _, _), .move(let e, _, _, _, _): e
        }
    }
}

public enum BoundStatement: Sendable {
    /// `export QUERY to "FILE"` (Binder+Export.swift).
    case export(BoundExport)
    /// `import ENTITY from "FILE"` (Binder+Import.swift).
    case importFile(BoundImport)
    case change(BoundChange)
    case transaction(TransactionControl)
    case save(path: String?)
    /// `sandbox [diff | apply | discard]` (Session+Sandbox.swift).
    case sandbox(SandboxControl)
    case find(BoundFind)
    case aggregate(BoundAggregate)
    case explain(BoundExplain)
    case createIndex(entity: String, field: Int)
    case dropIndex(entity: String, field: Int)
    case shellCommand(name: Name, arguments: [Name])
    /// `define segment`, `drop segment`, `set fiscal year start`, checked against the catalog.
    case catalog(CatalogChange)
    /// `convert lead 42 ...` (BoundView.swift).
    case convert(BoundConversion)
    /// `show account 42`, `explain show account 42` (BoundView.swift).
    case view(BoundView)
    /// `report KIND ...` (Binder+Reports.swift).
    case report(BoundReport)
    /// `explain [analyze] report KIND ...`: the statements the report runs, and their plans.
    case explainReport(BoundReport, analyze: Bool)
    /// `run rules`, `explain rule` (BoundRule.swift).
    case rules(BoundRuleCommand)
}
