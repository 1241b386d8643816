/// The values of a computed scalar for a block of rows, a column at a time: numbers (exact
/// mantissas at the node's scale, day numbers, seconds, bools as 0/1) with which rows have one,
/// or text as codes into a dictionary, so that a function of text (`lower(name)`) runs once per
/// distinct text, not once per row.
enum ScalarValues {
    case numbers([Int128], valid: [Bool])
    /// Codes into `dictionary`; -1 for null.
    case texts([Int32], dictionary: [String])

    var count: Int {
        switch self {
        case .numbers(let v, _): v.count
        case .texts(let c, _): c.count
        }
    }

    func isNull(_ i: Int) -> Bool {
        switch self {
        case .numbers(_, let valid): !valid[i]
        case .texts(let codes, _): codes[i] < 0
        }
    }
}

/// Evaluates bound scalars over rows of the statement's entity. Aggregates over related records
/// are computed once for the whole entity (set-wise, `ChildAggregator`) when the evaluator is made,
/// then read per block.
struct ScalarEvaluator {
    let db: Database
    var cancellation: Cancellation = .none
    private var children: [BoundChildAggregate: (values: [Int128], valid: [Bool])] = [:]
    private(set) var textMemo = TextMemo()

    /// Rows evaluated at once: large enough that per-block costs vanish, small enough that a
    /// block's columns stay in cache and cancellation is checked often.
    static let blockSize = 1 << 16

    /// The largest magnitude a value may reach (as `ExpressionBatch`): far above any stored money,
    /// and low enough that rescaling and sums cannot overflow `Int128`.
    static let limit: Int128 = 1 << 90

    init(db: Database, cancellation: Cancellation = .none, scalars: [BoundScalar]) throws(Diagnostic) {
        self.db = db
        self.cancellation = cancellation
        var found: [BoundChildAggregate] = []
        for s in scalars { ScalarEvaluator.collectChildren(s, into: &found) }
        for a in found where children[a] == nil {
            children[a] = try ChildAggregator(db: db, cancellation: cancellation).values(a, scale: BoundScalar.childScale(a))
        }
    }

    /// The same evaluator with its own memo, for another thread (the memo is not shared safely).
    func detached() -> ScalarEvaluator {
        var copy = self
        copy.textMemo = TextMemo()
        return copy
    }

    static func collectChildren(_ s: BoundScalar, into out: inout [BoundChildAggregate]) {
        switch s {
        case .child(let a): out.append(a)
        case .path, .constant: break
        case .arithmetic(_, let l, let r), .daysBetween(let l, let r):
            collectChildren(l, into: &out); collectChildren(r, into: &out)
        case .negate(let e), .shift(let e, _, _): collectChildren(e, into: &out)
        case .call(_, let args): for a in args { collectChildren(a, into: &out) }
        }
    }

    /// Every child aggregate a predicate reads.
    static func scalars(of p: ScalarPredicate) -> [BoundScalar] {
        switch p {
        case .compare(let l, _, let r): [l, r]
        case .between(let e, let lo, let hi): [e, lo, hi]
        case .oneOf(let e, let items): [e] + items
        case .isNull(let e), .textMatch(let e, _, _): [e]
        }
    }

    /// The values of `s` for `rows` (of the statement's entity), in one go: callers split large
    /// row sets into blocks (`forEachBlock`).
    /// Recurses once per level of the expression (the parser bounds it at 1,000): the work of each
    /// node is in the functions it calls, so this frame stays small in a debug build.
    func values(_ s: BoundScalar, rows: [Int32]) throws(Diagnostic) -> ScalarValues {
        switch s {
        case .path(let p): return path(p, rows)
        case .constant(let c): return constant(c, rows.count)
        case .child(let a): return child(a, rows)
        case .negate(let e): return try negate(e, rows)
        case .arithmetic(let op, let l, let r): return try arithmetic(op, l, r, rows, s)
        case .daysBetween(let from, let to): return try days(from, to, rows)
        case .shift(let e, let amount, let unit): return try shift(e, amount, unit, rows)
        case .call(let f, let args): return try call(f, args, rows, s)
        }
    }

    @inline(never)
    private func child(_ a: BoundChildAggregate, _ rows: [Int32]) -> ScalarValues {
        guard let all = children[a] else { preconditionFailure("child aggregates are computed at init") }
        var v = [Int128](repeating: 0, count: rows.count), ok = [Bool](repeating: false, count: rows.count)
        for (i, r) in rows.enumerated() { v[i] = all.values[Int(r)]; ok[i] = all.valid[Int(r)] }
        return .numbers(v, valid: ok)
    }

    @inline(never)
    private func negate(_ e: BoundScalar, _ rows: [Int32]) throws(Diagnostic) -> ScalarValues {
        var (v, ok) = try numbers(e, rows)
        for i in v.indices { v[i] = -v[i] }
        return .numbers(v, valid: ok)
    }

    @inline(never)
    private func days(_ from: BoundScalar, _ to: BoundScalar, _ rows: [Int32]) throws(Diagnostic) -> ScalarValues {
        let a = try numbers(from, rows), b = try numbers(to, rows)
        var v = [Int128](repeating: 0, count: rows.count), ok = a.valid
        for i in v.indices { ok[i] = ok[i] && b.valid[i]; v[i] = b.values[i] - a.values[i] }
        return .numbers(v, valid: ok)
    }

    @inline(never)
    private func shift(_ e: BoundScalar, _ amount: Int64, _ unit: IntervalUnit, _ rows: [Int32]) throws(Diagnostic) -> ScalarValues {
        var (v, ok) = try numbers(e, rows)
        let datetime = e.type == .datetime
        for i in v.indices where ok[i] {
            v[i] = ScalarEvaluator.shift(v[i], amount, unit, datetime: datetime)
            if v[i] > ScalarEvaluator.limit || v[i] < -ScalarEvaluator.limit { ok[i] = false }
        }
        return .numbers(v, valid: ok)
    }

    /// The values of `s` for any number of rows, a block at a time (checking cancellation between
    /// blocks), joined into one column.
    func valuesInBlocks(_ s: BoundScalar, rows: [Int32]) throws(Diagnostic) -> ScalarValues {
        if rows.count <= ScalarEvaluator.blockSize { return try values(s, rows: rows) }
        var numbers: [Int128] = [], valid: [Bool] = []
        var codes: [Int32] = [], dictionary: [String] = []
        let shared = ScalarEvaluator.sharesDictionary(s)
        var start = 0
        while start < rows.count {
            let end = min(start + ScalarEvaluator.blockSize, rows.count)
            switch try values(s, rows: Array(rows[start..<end])) {
            case .numbers(let v, let ok):
                numbers += v
                valid += ok
            case .texts(let c, let d):
                if shared {
                    // Each block's dictionary is the one before it, extended: the last holds them all.
                    codes += c
                    dictionary = d
                } else {
                    let offset = Int32(dictionary.count)
                    codes += c.map { $0 < 0 ? -1 : $0 + offset }
                    dictionary += d
                }
            }
            try cancellation.check()
            start = end
        }
        return s.type == .text ? .texts(codes, dictionary: dictionary) : .numbers(numbers, valid: valid)
    }

    /// Whether every block's text dictionary extends the previous block's: a field's own
    /// dictionary, or `lower`/`upper` of a field (`TextMemo`).
    static func sharesDictionary(_ s: BoundScalar) -> Bool {
        switch s {
        case .path: return true
        case .call(.lower, let args), .call(.upper, let args): if case .path = args[0] { return true }
        default: break
        }
        return false
    }

    @inline(never)
    func numbers(_ s: BoundScalar, _ rows: [Int32]) throws(Diagnostic) -> (values: [Int128], valid: [Bool]) {
        guard case .numbers(let v, let ok) = try values(s, rows: rows) else { preconditionFailure("bound as a number") }
        return (v, ok)
    }

    // MARK: - Leaves

    @inline(never)
    private func path(_ p: BoundPath, _ rows: [Int32]) -> ScalarValues {
        let reader = PathReader(p, in: db)
        let stored = reader.gather(rows)
        if case .text(let t) = reader.column {
            return .texts(stored.map { $0 == nullInt ? -1 : Int32($0) }, dictionary: Array(t.dictionary))
        }
        if case .enumeration = p.type {
            let names = reader.enumValues
            return .texts(stored.map { $0 == nullInt || $0 < 0 || Int($0) >= names.count ? -1 : Int32($0) }, dictionary: names)
        }
        return .numbers(stored.map { $0 == nullInt ? 0 : Int128($0) }, valid: stored.map { $0 != nullInt })
    }

    @inline(never)
    private func constant(_ c: ScalarConstant, _ n: Int) -> ScalarValues {
        let v: Int128
        switch c {
        case .text(let s): return .texts([Int32](repeating: 0, count: n), dictionary: [s])
        case .number(let m, _, _): v = Int128(m)
        case .date(let d), .datetime(let d): v = Int128(d)
        case .bool(let b): v = b ? 1 : 0
        }
        return .numbers([Int128](repeating: v, count: n), valid: [Bool](repeating: true, count: n))
    }

    // MARK: - Arithmetic

    @inline(never)
    private func arithmetic(_ op: ArithmeticOp, _ l: BoundScalar, _ r: BoundScalar, _ rows: [Int32],
                            _ node: BoundScalar) throws(Diagnostic) -> ScalarValues {
        var (v, ok) = try numbers(l, rows)
        let b = try numbers(r, rows)
        let sa = l.scale, sb = r.scale
        for i in ok.indices { ok[i] = ok[i] && b.valid[i] }
        var overflow = false
        // Operands are within ±2^90 and scale factors at most 10^10, so only products and
        // quotients can leave Int128; each result is checked against the limit.
        switch op {
        case .add, .subtract:
            let s = max(sa, sb)
            let fa = BoundExpr.power(s - sa), fb = BoundExpr.power(s - sb)
            for i in v.indices where ok[i] {
                v[i] = op == .add ? v[i] * fa + b.values[i] * fb : v[i] * fa - b.values[i] * fb
                overflow = overflow || v[i] > ScalarEvaluator.limit || v[i] < -ScalarEvaluator.limit
            }
        case .multiply:
            let exact = sa + sb, target = node.scale
            for i in v.indices where ok[i] {
                let (p, o) = v[i].multipliedReportingOverflow(by: b.values[i])
                v[i] = o ? 0 : BoundExpr.rescale(p, from: exact, to: target)
                overflow = overflow || o || v[i] > ScalarEvaluator.limit || v[i] < -ScalarEvaluator.limit
            }
        case .divide:
            // a / b at 10 places: a * 10^(10 - sa + sb) / b, rounded half away from zero.
            let shift = BoundExpr.power(node.scale - sa + sb)
            let shift64 = Int64(exactly: shift)
            for i in v.indices where ok[i] {
                if b.values[i] == 0 { ok[i] = false; continue }
                // Most quotients fit 64 bits, where division is several times faster than in 128.
                if let s = shift64, let a = Int64(exactly: v[i]), let d = Int64(exactly: b.values[i]) {
                    let (p, o) = a.multipliedReportingOverflow(by: s)
                    if !o {
                        v[i] = Int128(ScalarEvaluator.divide(p, d))
                        continue
                    }
                }
                let (p, o) = v[i].multipliedReportingOverflow(by: shift)
                v[i] = o ? 0 : BoundExpr.divide(p, b.values[i])
                overflow = overflow || o || v[i] > ScalarEvaluator.limit || v[i] < -ScalarEvaluator.limit
            }
        }
        if overflow { throw ScalarEvaluator.overflow(node) }
        return .numbers(v, valid: ok)
    }

    /// `a / b` rounded half away from zero, in 64 bits (`b` not 0).
    @inline(__always)
    static func divide(_ a: Int64, _ b: Int64) -> Int64 {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        if r == 0 { return q }
        let ra = r.magnitude, rb = b.magnitude
        // |r| * 2 >= |b|, without overflow.
        if ra >= rb - ra { return (a < 0) != (b < 0) ? q - 1 : q + 1 }
        return q
    }

    static func overflow(_ node: BoundScalar) -> Diagnostic {
        Diagnostic(.executor, "arithmetic overflow in \(node.text)", hint: "on some row the value is too large to compute exactly")
    }
}

extension Diagnostic {
    /// Whether it reports a value too large to compute exactly (`ScalarEvaluator.overflow`).
    var isOverflow: Bool { stage == .executor && message.hasPrefix("arithmetic overflow in ") }
}

extension ScalarEvaluator {

    /// A day (or a datetime's second) moved by a length of time; months clamp the day to the
    /// target month's length (2026-01-31 + 1 month = 2026-02-28).
    static func shift(_ v: Int128, _ amount: Int64, _ unit: IntervalUnit, datetime: Bool) -> Int128 {
        let n = Int128(amount)
        switch unit {
        case .minute: return v + n * 60
        case .hour: return v + n * 3600
        case .day: return v + n * (datetime ? 86400 : 1)
        case .week: return v + n * (datetime ? 7 * 86400 : 7)
        case .month, .quarter, .year:
            let months = n * (unit == .month ? 1 : unit == .quarter ? 3 : 12)
            // Beyond ±20,000 years a date means nothing; keep it out of Day's Int arithmetic.
            guard abs(months) < 240_000, abs(v) < (datetime ? 1 << 50 : 1 << 40) else { return limit + 1 }
            if !datetime { return Int128(Day.addMonths(Int64(v), Int(months))) }
            let s = Int64(v)
            let day = s >= 0 ? s / 86400 : (s - 86399) / 86400
            return Int128(Day.addMonths(day, Int(months)) * 86400 + (s - day * 86400))
        }
    }
}

extension ScalarValues {
    /// The values for output: numbers at two places (ints at none), as their type shows them.
    func outputValues(_ s: BoundScalar) throws(Diagnostic) -> [Value] {
        switch self {
        case .texts(let codes, let dictionary):
            return codes.map { $0 < 0 ? .null : .text(dictionary[Int($0)]) }
        case .numbers(let v, let ok):
            var out: [Value] = []
            out.reserveCapacity(v.count)
            for i in v.indices {
                guard ok[i] else { out.append(.null); continue }
                guard let x = ScalarValues.output(v[i], s.type, scale: s.scale) else { throw ScalarEvaluator.overflow(s) }
                out.append(x)
            }
            return out
        }
    }

    /// One number as a value of its type; nil when it does not fit one.
    static func output(_ v: Int128, _ type: ResultType, scale: Int) -> Value? {
        let places = type == .int || type.isTemporal || type == .bool ? 0 : 2
        let shown = BoundExpr.rescale(v, from: scale, to: places)
        guard shown > Int128(nullInt), shown <= Int128(Int64.max) else { return nil }
        let n = Int64(shown)
        switch type {
        case .money: return .money(n)
        case .percent: return .percent(n)
        case .decimal: return .decimal(n)
        case .int: return .int(n)
        case .date: return .date(n)
        case .datetime: return .datetime(n)
        case .bool: return .bool(n != 0)
        case .text: return nil
        }
    }
}

extension ScalarValues {
    /// The numbers and their validity (the binder makes sure the value is a number).
    var numberColumns: ([Int128], [Bool]) {
        guard case .numbers(let v, let ok) = self else { preconditionFailure("bound as a number") }
        return (v, ok)
    }
}
