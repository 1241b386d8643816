/// Evaluates a `having` condition on one result row (the group values, then the aggregates).
/// A comparison with null is false and `not` is the plain complement, as in `where`.
struct HavingFilter {
    let condition: BoundHaving
    let groups: Int

    func passes(_ row: [Value]) -> Bool { passes(condition, row) }

    private func passes(_ h: BoundHaving, _ row: [Value]) -> Bool {
        switch h {
        case .all: return true
        case .and(let parts): return parts.allSatisfy { passes($0, row) }
        case .or(let parts): return parts.contains { passes($0, row) }
        case .not(let inner): return !passes(inner, row)
        case .isNull(let c): return cell(c, row) == .null
        case .compare(let c, let op, let literal):
            guard let order = HavingFilter.compare(cell(c, row), literal) else { return false }
            switch op {
            case .equal: return order == 0
            case .notEqual: return order != 0
            case .less: return order < 0
            case .lessEqual: return order <= 0
            case .greater: return order > 0
            case .greaterEqual: return order >= 0
            }
        }
    }

    private func cell(_ c: ResultColumnRef, _ row: [Value]) -> Value {
        switch c {
        case .group(let i): row[i]
        case .value(let i): row[groups + i]
        }
    }

    /// -1, 0 or 1; nil when the cell is null (or of another kind, which the binder rules out).
    /// Numbers compare at two places; text ignoring case, as `=` does.
    static func compare(_ cell: Value, _ literal: Value) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : a == b ? 0 : 1 }
        switch (cell, literal) {
        case (.int(let a), .decimal(let b)): return order(Int128(a) * 100, Int128(b))
        case (.money(let a), .decimal(let b)), (.percent(let a), .decimal(let b)), (.decimal(let a), .decimal(let b)):
            return order(a, b)
        case (.text(let a), .text(let b)): return order(a.lowercased(), b.lowercased())
        case (.bool(let a), .bool(let b)): return order(a ? 1 : 0, b ? 1 : 0)
        case (.date(let a), .date(let b)), (.datetime(let a), .datetime(let b)): return order(a, b)
        default: return nil
        }
    }
}
