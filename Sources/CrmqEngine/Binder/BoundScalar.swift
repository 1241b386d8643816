/// A value computed per record, bound and typed: a field, a constant, arithmetic, date arithmetic,
/// a function, or an aggregate over related records. Backend-neutral: it says what to compute,
/// not how (the in-memory executor evaluates it a block of rows at a time, `ScalarBatch`).
///
/// Numbers are exact: each numeric node has a decimal `scale`, and its values are integer
/// mantissas at that scale (money 12.50 is 1250 at scale 2; a percent is its points, 60 % is
/// 60.00). `+` and `-` keep the larger scale, `*` adds the scales (at most 10), and `/` gives 10
/// places, rounded half away from zero; results are shown at two places (ints at none).
/// Dates are day numbers, datetimes seconds since the epoch, bools 0 or 1. Any operand null gives
/// null, and so does a division by zero.
public indirect enum BoundScalar: Hashable, Sendable {
    case path(BoundPath)
    case constant(ScalarConstant)
    case arithmetic(ArithmeticOp, BoundScalar, BoundScalar)
    case negate(BoundScalar)
    /// `date - date`: whole days (a datetime counts as its day).
    case daysBetween(from: BoundScalar, to: BoundScalar)
    /// `date + 30 days`, `created_at - 2 hours`: the amount is signed.
    case shift(BoundScalar, amount: Int64, unit: IntervalUnit)
    case call(ScalarFunction, [BoundScalar])
    /// `count(contacts)`, `sum(opportunities.value where ...)`.
    case child(BoundChildAggregate)

    /// The type its values are shown as.
    public var type: ResultType {
        switch self {
        case .path(let p): ResultType(p.type)
        case .constant(let c): c.type
        case .arithmetic(let op, let l, let r): BoundScalar.combine(op, l.type, r.type)
        case .negate(let e): e.type
        case .daysBetween: .int
        case .shift(let e, _, _): e.type
        case .call(let f, let args): f.resultType(args)
        case .child(let a): a.resultType
        }
    }

    /// Decimal places of a numeric value's mantissa (0 for everything that is not a number).
    public var scale: Int {
        switch self {
        case .path(let p): p.type.isDecimal ? 2 : 0
        case .constant(let c): c.scale
        case .negate(let e): e.scale
        case .arithmetic(let op, let l, let r):
            switch op {
            case .add, .subtract: Swift.max(l.scale, r.scale)
            case .multiply: Swift.min(l.scale + r.scale, BoundScalar.maximumScale)
            case .divide: BoundScalar.maximumScale
            }
        case .daysBetween, .shift: 0
        case .call(let f, let args): f.scale(args)
        case .child(let a): BoundScalar.childScale(a)
        }
    }

    /// The most decimal places a product or quotient keeps.
    public static let maximumScale = 10

    static func childScale(_ a: BoundChildAggregate) -> Int {
        switch a.resultType {
        case .int, .date, .datetime, .bool, .text: 0
        default: a.function == .avg ? maximumScale : 2
        }
    }

    /// The type of `a op b` on numbers: money stays money (`value * probability / 100` is a
    /// weighted value), ints stay ints except through `/`, and anything else is a plain number.
    static func combine(_ op: ArithmeticOp, _ a: ResultType, _ b: ResultType) -> ResultType {
        switch op {
        case .add, .subtract:
            if a == .money || b == .money { return .money }
            return a == b ? a : .decimal
        case .multiply:
            if a == .money || b == .money { return .money }
            return a == .int && b == .int ? .int : .decimal
        case .divide:
            return a == .money && b != .money ? .money : .decimal
        }
    }

    /// The fields it reads (for the session: which collections and indexes it needs).
    public var paths: [BoundPath] {
        switch self {
        case .path(let p): [p]
        case .constant: []
        case .arithmetic(_, let l, let r), .daysBetween(let l, let r): l.paths + r.paths
        case .negate(let e), .shift(let e, _, _): e.paths
        case .call(_, let args): args.flatMap(\.paths)
        case .child(let a): a.readPaths
        }
    }

    /// The plain field, when it is one.
    public var plainPath: BoundPath? {
        if case .path(let p) = self { return p }
        return nil
    }
}

/// A typed constant.
public enum ScalarConstant: Hashable, Sendable {
    /// An exact number: `mantissa` at `scale` places, shown as `type`.
    case number(Int64, scale: Int, type: ResultType)
    case text(String)
    case date(Int64)
    case datetime(Int64)
    case bool(Bool)

    var type: ResultType {
        switch self {
        case .number(_, _, let t): t
        case .text: .text
        case .date: .date
        case .datetime: .datetime
        case .bool: .bool
        }
    }

    var scale: Int {
        if case .number(_, let s, _) = self { return s }
        return 0
    }
}

/// The functions a scalar may call. Dates first: a datetime argument counts as its day.
public enum ScalarFunction: String, Hashable, Sendable, CaseIterable {
    case year, quarter, month, week, day, weekday
    case fiscalYear = "fiscal_year", fiscalQuarter = "fiscal_quarter"
    case daysBetween = "days_between"
    /// A datetime's day (`date(created_at)`); a date stays itself.
    case date
    case lower, upper, length
    case coalesce
    /// `round(x, n)`: `n` places (0 to 10), half away from zero.
    case round
    case abs

    /// The names as written, for did-you-mean and help.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// How it is called, for diagnostics and help.
    public var signature: String {
        switch self {
        case .year, .quarter, .month, .week, .day, .weekday, .fiscalYear, .fiscalQuarter, .date:
            "\(rawValue)(date)"
        case .daysBetween: "days_between(from, to)"
        case .lower, .upper, .length: "\(rawValue)(text)"
        case .coalesce: "coalesce(a, b, ...)"
        case .round: "round(number, places)"
        case .abs: "abs(number)"
        }
    }

    func resultType(_ args: [BoundScalar]) -> ResultType {
        switch self {
        case .year, .quarter, .month, .week, .day, .weekday, .fiscalYear, .fiscalQuarter, .daysBetween, .length: .int
        case .date: .date
        case .lower, .upper: .text
        case .coalesce:
            args.dropFirst().reduce(args[0].type) { t, a in
                t == a.type ? t : BoundScalar.combine(.add, t, a.type)
            }
        case .round:
            args[0].type == .decimal && roundPlaces(args) == 0 ? .int : args[0].type
        case .abs: args[0].type
        }
    }

    func scale(_ args: [BoundScalar]) -> Int {
        switch self {
        case .coalesce: args.map(\.scale).max() ?? 0
        case .round: Swift.min(roundPlaces(args), args[0].scale)
        case .abs: args[0].scale
        default: 0
        }
    }

    /// The places of `round(x, n)` (the binder makes `n` an int constant).
    func roundPlaces(_ args: [BoundScalar]) -> Int {
        guard args.count > 1, case .constant(.number(let n, 0, _)) = args[1] else { return 0 }
        return Int(n)
    }
}

/// A condition on computed values: `close_date < created_at`, `month(close_date) in (1, 2, 3)`,
/// `value * probability / 100 >= 5000`. Null passes only `is null`; text compares ignoring case.
public enum ScalarPredicate: Hashable, Sendable {
    case compare(BoundScalar, ComparisonOp, BoundScalar)
    case between(BoundScalar, BoundScalar, BoundScalar)
    case oneOf(BoundScalar, [BoundScalar])
    case isNull(BoundScalar)
    /// `lower(name) contains "acme"`: the needle lowercased.
    case textMatch(BoundScalar, TextMatch, String)

    var paths: [BoundPath] {
        switch self {
        case .compare(let l, _, let r): l.paths + r.paths
        case .between(let e, let lo, let hi): e.paths + lo.paths + hi.paths
        case .oneOf(let e, let items): e.paths + items.flatMap(\.paths)
        case .isNull(let e), .textMatch(let e, _, _): e.paths
        }
    }
}

extension BoundChildAggregate {
    /// What computing it reads: the child's reference to the parent, the hops to the parent, the
    /// aggregated field and the child filter's fields.
    var readPaths: [BoundPath] {
        var out = collection.readPaths
        if let field { out.append(field) }
        out += filter.scalarReadPaths
        return out
    }
}

extension BoundFilter {
    /// The aggregates over related records its computed conditions read (not inside `any`/`no`/`all`),
    /// each once, in the order written.
    var childAggregates: [BoundChildAggregate] {
        var out: [BoundChildAggregate] = []
        var pending = [self]
        while let f = pending.popLast() {
            switch f {
            case .and(let parts), .or(let parts): pending.append(contentsOf: parts.reversed())
            case .not(let inner): pending.append(inner)
            case .scalar(let p):
                var found: [BoundChildAggregate] = []
                for s in ScalarEvaluator.scalars(of: p) { ScalarEvaluator.collectChildren(s, into: &found) }
                for a in found where !out.contains(a) { out.append(a) }
            default: break
            }
        }
        return out
    }

    /// Every path a filter reads, through computed conditions too.
    var scalarReadPaths: [BoundPath] {
        switch self {
        case .all, .none: []
        case .test(let p, _): [p]
        case .and(let parts), .or(let parts): parts.flatMap(\.scalarReadPaths)
        case .not(let inner): inner.scalarReadPaths
        case .scalar(let p): p.paths
        case .related(_, let c, let inner):
            c.readPaths + inner.scalarReadPaths
        }
    }
}
