/// Evaluates a numeric expression for many rows at once: exact mantissas at the expression's
/// scale, and which rows have a value (a null field or a division by zero gives none).
struct ExpressionBatch {
    var values: [Int128]
    var valid: [Bool]

    init(_ e: BoundExpr, rows: [Int32], db: Database) {
        switch e {
        case .path(let p, let scale):
            let stored = PathReader(p, in: db).gather(rows)
            // Stored money is cents (scale 2). A percent is points at scale 2 (60.00) or, inside a
            // product, a fraction at scale 4 (0.6000): the same stored hundredths either way.
            let natural = p.type == .money ? 2 : p.type == .percent ? (scale >= 4 ? 4 : 2) : 0
            let factor = BoundExpr.power(scale - natural)
            values = stored.map { $0 == nullInt ? 0 : Int128($0) * factor }
            valid = stored.map { $0 != nullInt }
        case .constant(let v, _):
            values = [Int128](repeating: Int128(v), count: rows.count)
            valid = [Bool](repeating: true, count: rows.count)
        case .negate(let inner):
            self = ExpressionBatch(inner, rows: rows, db: db)
            for i in values.indices { values[i] = -values[i] }
        case .binary(let op, let l, let r):
            let a = ExpressionBatch(l, rows: rows, db: db)
            let b = ExpressionBatch(r, rows: rows, db: db)
            values = a.values
            valid = a.valid
            for i in valid.indices { valid[i] = a.valid[i] && b.valid[i] }
            switch op {
            case .add, .subtract:
                let s = max(l.scale, r.scale)
                let fa = BoundExpr.power(s - l.scale), fb = BoundExpr.power(s - r.scale)
                for i in values.indices {
                    values[i] = op == .add ? a.values[i] * fa + b.values[i] * fb : a.values[i] * fa - b.values[i] * fb
                }
            case .multiply:
                let exact = l.scale + r.scale
                let target = min(exact, BoundExpr.maximumScale)
                for i in values.indices {
                    values[i] = BoundExpr.rescale(a.values[i] * b.values[i], from: exact, to: target)
                }
            case .divide:
                let shift = BoundExpr.power(BoundExpr.maximumScale - l.scale + r.scale)
                for i in values.indices {
                    if b.values[i] == 0 { valid[i] = false; continue }
                    values[i] = BoundExpr.divide(a.values[i] * shift, b.values[i])
                }
            }
        }
    }
}
