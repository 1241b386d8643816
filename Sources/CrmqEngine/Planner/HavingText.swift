/// A `having` condition as `explain` prints it, in the query's own words: `count > 150`.
struct HavingText {
    let query: BoundAggregate

    func text(_ h: BoundHaving) -> String {
        switch h {
        case .all: return "true"
        case .and(let parts): return parts.map { nested($0) }.joined(separator: " and ")
        case .or(let parts): return parts.map { nested($0) }.joined(separator: " or ")
        case .not(let inner): return "not " + nested(inner)
        case .isNull(let c): return "\(name(c)) is null"
        case .compare(let c, let op, let v): return "\(name(c)) \(op.rawValue) \(literal(v))"
        }
    }

    private func nested(_ h: BoundHaving) -> String {
        switch h {
        case .and, .or: "(\(text(h)))"
        default: text(h)
        }
    }

    private func name(_ c: ResultColumnRef) -> String {
        switch c {
        case .group(let i): query.groupBy[i].header
        case .value(let i): query.calls[i].header
        }
    }

    private func literal(_ v: Value) -> String {
        switch v {
        // Numbers are kept at two places: print them as written, without a needless ".00".
        case .decimal(let c): c % 100 == 0 ? String(c / 100) : Value.decimalString(c, places: 2)
        case .text(let t): "\"\(t)\""
        default: v.plainText
        }
    }
}
