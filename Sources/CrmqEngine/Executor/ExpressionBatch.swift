/// Evaluates a numeric expression for many rows at once: exact mantissas at the expression's
/// scale, and which rows have a value (a null field or a division by zero gives none).
struct ExpressionBatch {
    var values: [Int128]
    var valid: [Bool]
    /// Some row's value left `±limit` (`value * value * value * ...`): the caller reports it.
    var overflowed = false

    /// The largest magnitude a value may reach. Far above any stored money, and low enough that
    /// sums over a billion rows, averages (`* 100`) and rescaling cannot overflow `Int128`.
    static let limit: Int128 = 1 << 90

    /// Recurses once per level of the expression (the parser bounds it at 1,000): the work of each
    /// node is in the functions below, so this frame stays small in a debug build.
    init(_ e: BoundExpr, rows: [Int32], db: Database) {
        switch e {
        case .path(let p, let scale):
            self = ExpressionBatch(reading: p, scale: scale, rows: rows, db: db)
        case .constant(let v, _):
            self = ExpressionBatch(values: [Int128](repeating: Int128(v), count: rows.count),
                                   valid: [Bool](repeating: true, count: rows.count))
        case .negate(let inner):
            self = ExpressionBatch(inner, rows: rows, db: db)
            negate()
        case .binary(let op, let l, let r):
            self = ExpressionBatch(l, rows: rows, db: db)
            combine(op, l.scale, ExpressionBatch(r, rows: rows, db: db), r.scale)
        }
    }

    private init(values: [Int128], valid: [Bool]) {
        self.values = values
        self.valid = valid
    }

    @inline(never)
    private init(reading p: BoundPath, scale: Int, rows: [Int32], db: Database) {
        let stored = PathReader(p, in: db).gather(rows)
        // Stored money is cents (scale 2). A percent is points at scale 2 (60.00) or, inside a
        // product, a fraction at scale 4 (0.6000): the same stored hundredths either way.
        let natural = p.type == .money ? 2 : p.type == .percent ? (scale >= 4 ? 4 : 2) : 0
        let factor = BoundExpr.power(scale - natural)
        values = stored.map { $0 == nullInt ? 0 : Int128($0) * factor }
        valid = stored.map { $0 != nullInt }
    }

    @inline(never)
    private mutating func negate() {
        for i in values.indices { values[i] = -values[i] }
    }

    /// `self op b`, self at scale `sa` and `b` at scale `sb`, into self.
    @inline(never)
    private mutating func combine(_ op: ArithmeticOp, _ sa: Int, _ b: ExpressionBatch, _ sb: Int) {
        overflowed = overflowed || b.overflowed
        for i in valid.indices { valid[i] = valid[i] && b.valid[i] }
        // Operands are within ±2^90 and scale factors below 10^21, so only products and
        // quotients can leave Int128; each result is checked against the limit.
        switch op {
        case .add, .subtract:
            let s = max(sa, sb)
            let fa = BoundExpr.power(s - sa), fb = BoundExpr.power(s - sb)
            for i in values.indices {
                store(op == .add ? values[i] * fa + b.values[i] * fb : values[i] * fa - b.values[i] * fb,
                      overflow: false, at: i)
            }
        case .multiply:
            let exact = sa + sb
            let target = min(exact, BoundExpr.maximumScale)
            for i in values.indices {
                let (p, o) = values[i].multipliedReportingOverflow(by: b.values[i])
                store(o ? 0 : BoundExpr.rescale(p, from: exact, to: target), overflow: o, at: i)
            }
        case .divide:
            let shift = BoundExpr.power(BoundExpr.maximumScale - sa + sb)
            for i in values.indices {
                if b.values[i] == 0 { valid[i] = false; continue }
                let (p, o) = values[i].multipliedReportingOverflow(by: shift)
                store(o ? 0 : BoundExpr.divide(p, b.values[i]), overflow: o, at: i)
            }
        }
    }

    /// Keeps `v` in row `i` when it fits, else marks the batch overflowed.
    private mutating func store(_ v: Int128, overflow: Bool, at i: Int) {
        if overflow || v > ExpressionBatch.limit || v < -ExpressionBatch.limit {
            overflowed = true
            values[i] = 0
            valid[i] = false
        } else {
            values[i] = v
        }
    }
}
