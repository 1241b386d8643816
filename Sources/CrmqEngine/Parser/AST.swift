/// The parsed, unbound form of a statement: names are still text, with their source ranges.
/// The binder turns it into a `BoundStatement`.

/// A name as written, with where it was written.
public struct Name: Equatable, Sendable {
    public var text: String
    public var range: SourceRange
}

/// A field, or a chain of references ending in a field: `account.owner.name`.
public struct Path: Equatable, Sendable {
    public var components: [Name]
    public var range: SourceRange { components.first!.range.union(components.last!.range) }
    public var text: String { components.map(\.text).joined(separator: ".") }
}

public enum TimeUnit: String, Equatable, Sendable {
    case day, week, month, quarter, year
    /// `this fiscal quarter`, `last fiscal year`: periods of the fiscal year (`set fiscal year start`).
    case fiscalQuarter = "fiscal quarter", fiscalYear = "fiscal year"
}

/// A literal value as written.
public enum Literal: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case decimal(digits: Int64, places: Int)
    case bool(Bool)
    case null
    case date(Int64)
    case datetime(Int64)
    /// `today` (0), `yesterday` (-1), `tomorrow` (1).
    case relativeDay(Int)
    /// `this quarter` (0), `last month` (-1), `next year` (1): a whole calendar period.
    case period(offset: Int, unit: TimeUnit)
}

public enum ArithmeticOp: String, Equatable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
}

/// A length of time in date arithmetic: `30 days`, `2 hours`.
public enum IntervalUnit: String, Equatable, Sendable {
    case minute, hour, day, week, month, quarter, year
}

/// A child collection as written: `opportunities`, `account.opportunities` (through a dot path),
/// `opportunities via owner` (naming the child's reference when it has more than one to the parent).
/// Which components are references and which is the collection the binder decides.
public struct ChildRef: Equatable, Sendable {
    /// References from the statement's entity, then the collection; for `sum(...)` and the like,
    /// then the child's field (`opportunities.value`, `account.opportunities.value`).
    public var path: Path
    public var via: Name?
    public var range: SourceRange
}

/// An aggregate over a child collection, used as a value: `count(contacts)`,
/// `count(opportunities where stage = "Negotiation")`, `sum(opportunities.value where ...)`.
public struct ChildAggregateSyntax: Equatable, Sendable {
    public var function: AggregateFunction
    public var collection: ChildRef
    public var filter: Condition?
    public var range: SourceRange
}

/// A value: a field, a literal, arithmetic, a function call, an interval, or an aggregate over a
/// child collection.
public indirect enum Expr: Equatable, Sendable {
    case path(Path)
    case literal(Literal, SourceRange)
    case binary(ArithmeticOp, Expr, Expr)
    case negate(Expr, SourceRange)
    /// `year(close_date)`, `coalesce(a, b)`, `round(x, 2)`: the name as written, then the arguments.
    case call(Name, [Expr], SourceRange)
    /// `30 days`, `2 hours`: only meaningful added to or subtracted from a date or datetime.
    case interval(Int64, IntervalUnit, SourceRange)
    case child(ChildAggregateSyntax)

    public var range: SourceRange {
        switch self {
        case .path(let p): p.range
        case .literal(_, let r): r
        case .binary(_, let l, let r): l.range.union(r.range)
        case .negate(let e, let r): r.union(e.range)
        case .call(_, _, let r): r
        case .interval(_, _, let r): r
        case .child(let c): c.range
        }
    }
}

public enum ComparisonOp: String, Equatable, Sendable {
    case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

public enum TextMatch: String, Equatable, Sendable {
    case contains, startsWith = "starts with", endsWith = "ends with"
}

/// `within last 30 days`, `within next 2 weeks`, `within this quarter`.
public enum Window: Equatable, Sendable {
    case last(Int64, TimeUnit)
    case next(Int64, TimeUnit)
    case period(offset: Int, unit: TimeUnit)
}

public indirect enum ConditionKind: Equatable, Sendable {
    /// `a and b and c`, as one flat list of two or more: a chain of 200,000 terms (a generated
    /// query) is as deep as one of two, so no later stage recurses once per term.
    case and([Condition])
    /// `a or b or c`, flat as `and` is.
    case or([Condition])
    case not(Condition)
    case compare(Expr, ComparisonOp, Expr)
    case inList(Expr, [Expr], negated: Bool)
    case between(Expr, Expr, Expr, negated: Bool)
    case text(Expr, TextMatch, Expr, negated: Bool)
    case isNull(Expr, negated: Bool)
    case within(Expr, Window)
    /// `account in smb`, `id not in nordic_smb`: membership in a segment (Parser+Segments.swift).
    case inSegment(Expr, Name, negated: Bool)
    /// `any opportunities (...)`, `no activities (...)`, `all opportunities (...)`; without a
    /// condition, `any` means "has at least one".
    case quantified(Quantifier, ChildRef, Condition?)
    /// `blocked`: an open deal whose next stage's exit criteria are not met (Binder+Pipelines.swift).
    case blocked
    /// `stage changes`, `stage changes to "Won"`, `stage changes from "Lead" to "Won"`: only in a
    /// rule's `when` (Parser+Rules.swift).
    case changes(Expr, from: Expr?, to: Expr?)
}

/// How many records of a child collection must pass: at least one, none, or every one (true when
/// there are none).
public enum Quantifier: String, Equatable, Sendable {
    case any, no, all
}

/// A boolean condition of a `where` clause.
public struct Condition: Equatable, Sendable {
    public var kind: ConditionKind
    public var range: SourceRange
}

/// `order by EXPR [asc|desc]`: a field, an alias of a computed column, a result column, or any value.
public struct OrderKey: Equatable, Sendable {
    public var expr: Expr
    public var descending: Bool

    /// The key when it is a plain name or path (a field, an alias, a result column).
    public var path: Path? {
        if case .path(let p) = expr { return p }
        return nil
    }
}

/// One column of `show`, or one key of `by`: a value, and the name its column is given with `as`.
public struct ShowItem: Equatable, Sendable {
    public var expr: Expr
    public var alias: Name?
    public var range: SourceRange { alias.map { expr.range.union($0.range) } ?? expr.range }
}

public enum ShowClause: Equatable, Sendable {
    case all(SourceRange)
    case columns([ShowItem])
}

/// `find ENTITY [where ...] [show ...] [order by ...] [limit N [offset M]]`
public struct FindQuery: Equatable, Sendable {
    public var entity: Name
    public var filter: Condition?
    public var show: ShowClause?
    public var order: [OrderKey]
    public var limit: Int?
    public var offset: Int?
    /// `as of 2026-03-31`: the data as it stood then (AST+AsOf.swift).
    public var asOf: AsOfSyntax? = nil
}

public enum AggregateFunction: String, Equatable, Sendable, CaseIterable {
    case count, sum, avg, min, max
}

/// One aggregate of an aggregate query: `count`, `count distinct account`, `sum value`,
/// `avg value * probability`.
public struct AggregateCall: Equatable, Sendable {
    public var function: AggregateFunction
    public var argument: Expr?
    public var range: SourceRange
    /// `count distinct PATH`: the path is the argument.
    public var distinct: Bool = false
}

/// `count ENTITY ...`, `sum FIELD of ENTITY ...`, or several at once: `count, sum value of ENTITY ...`;
/// then `[where ...] [by PATH, ...] [having ...] [order by ...] [limit N]`.
public struct AggregateQuery: Equatable, Sendable {
    public var calls: [AggregateCall]
    public var entity: Name
    public var filter: Condition?
    public var groupBy: [ShowItem]
    public var order: [OrderKey]
    public var limit: Int?
    public var offset: Int?
    /// A condition on the result rows; its paths name result columns (`count`, `sum_value`).
    public var having: Condition? = nil
    /// `with totals`: a subtotal row after each group of the leading keys, and a grand total.
    public var withTotals: Bool = false
    /// `as of 2026-03-31`: the data as it stood then (AST+AsOf.swift).
    public var asOf: AsOfSyntax? = nil
}

/// `FIELD = value` in `create`, `update ... set` and `upsert ... set`.
public struct Assignment: Equatable, Sendable {
    /// A path so that `account.name = ...` parses and the binder can say why it is refused.
    public var field: Path
    public var value: Expr

    public var range: SourceRange { field.range.union(value.range) }
}

/// A statement that changes records.
public enum ChangeStatement: Equatable, Sendable {
    /// `create ENTITY FIELD = value, ...`
    case create(entity: Name, assignments: [Assignment])
    /// `update ENTITY set FIELD = value, ... [where ...]`
    case update(entity: Name, assignments: [Assignment], filter: Condition?)
    /// `delete ENTITY [where ...]`
    case delete(entity: Name, filter: Condition?)
    /// `upsert ENTITY by FIELD, ... set FIELD = value, ...`: update the record whose key fields
    /// have the values given, or create it when there is none.
    case upsert(entity: Name, keys: [Name], assignments: [Assignment])
    /// `move ENTITY ID to STAGE`: one record to another stage of its pipeline.
    case move(entity: Name, id: Expr, stage: Expr)
}

/// `begin`, `commit`, `rollback`.
public enum TransactionControl: String, Equatable, Sendable {
    case begin, commit, rollback
}

public indirect enum StatementKind: Equatable, Sendable {
    /// `create`, `update`, `delete`, `upsert`.
    case change(ChangeStatement)
    case transaction(TransactionControl)
    /// `save` (into the session's file) or `save "copy.crmq"` (a copy).
    case save(path: String?)
    /// `sandbox`, `sandbox diff`, `sandbox apply`, `sandbox discard` (Parser+Sandbox.swift).
    case sandbox(SandboxControl)
    case find(FindQuery)
    case aggregate(AggregateQuery)
    /// `explain [analyze] QUERY`: the plan, and with analyze the rows and time of each step.
    case explain(StatementKind, analyze: Bool)
    /// `index ENTITY.FIELD`
    case createIndex(entity: Name, field: Name)
    /// `drop index ENTITY.FIELD`
    case dropIndex(entity: Name, field: Name)
    /// A shell command line such as `.format csv`, split into words (the name without its dot).
    case shellCommand(name: Name, arguments: [Name])
    /// `define segment`, `drop segment`, `set fiscal year start` (AST+Segments.swift).
    case catalog(CatalogStatement)
    /// `convert lead 42 [with opportunity ... | without opportunity]` (AST+Views.swift).
    case convert(ConvertLead)
    /// `show account 42`: the 360° view of one record (AST+Views.swift).
    case view(RecordView)
    /// `report funnel`, `report forecast this quarter by owner` (AST+Reports.swift).
    case report(ReportSyntax)
    /// `export QUERY to "FILE" [raw] [replace]` (AST+Export.swift).
    case export(ExportSyntax)
    /// `define rule`, `drop rule`, `run rules`, `explain rule` (AST+Rules.swift).
    case rule(RuleStatement)
    /// `import ENTITY from "FILE" [OPTION ...]` (AST+Import.swift).
    case importFile(ImportSyntax)
}

public struct ParsedStatement: Equatable, Sendable {
    public var kind: StatementKind
    public var range: SourceRange

    public var isShellCommand: Bool {
        if case .shellCommand = kind { return true }
        return false
    }
}
