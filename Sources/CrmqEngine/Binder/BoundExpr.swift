/// Exact decimal arithmetic on integer mantissas: a value is an integer and a decimal scale
/// (money 12.50 is 1250 at scale 2), so sums of money never pick up binary-float noise. Used by
/// computed values (`BoundScalar`) and aggregates.
public enum BoundExpr {
    static func power(_ n: Int) -> Int128 {
        var p: Int128 = 1
        for _ in 0..<Swift.max(0, n) { p *= 10 }
        return p
    }

    /// Rounds half away from zero.
    static func divide(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b, r = a % b
        if r == 0 { return q }
        let twice = (r < 0 ? -r : r) * 2
        let bb = b < 0 ? -b : b
        if twice >= bb { return q + ((a < 0) != (b < 0) ? -1 : 1) }
        return q
    }

    static func rescale(_ v: Int128, from: Int, to: Int) -> Int128 {
        from == to ? v : from > to ? divide(v, power(from - to)) : v * power(to - from)
    }
}

extension Expr {
    /// The expression as it reads, with parentheses only where needed: a column header.
    public var text: String {
        switch self {
        case .path(let p): return p.text
        case .literal(let l, _): return l.text
        case .call(let name, let args, _): return "\(name.text.lowercased())(\(args.map(\.text).joined(separator: ", ")))"
        case .interval(let n, let unit, _): return "\(n) \(unit.rawValue)\(n == 1 ? "" : "s")"
        case .child(let c):
            return "\(c.function.rawValue)(\(c.collection.path.text)\(c.collection.via.map { " via \($0.text)" } ?? "")\(c.filter == nil ? "" : " where ..."))"
        case .negate(let e, _): return "-" + e.wrapped(above: .multiply)
        case .binary(let op, let l, let r):
            return l.wrapped(above: op) + " \(op.rawValue) " + r.wrapped(above: op, right: true)
        }
    }

    private func wrapped(above op: ArithmeticOp, right: Bool = false) -> String {
        guard case .binary(let inner, _, _) = self else { return text }
        let tight: (ArithmeticOp) -> Int = { $0 == .multiply || $0 == .divide ? 2 : 1 }
        let needs = tight(inner) < tight(op) || (right && tight(inner) == tight(op))
        return needs ? "(\(text))" : text
    }
}
