/// Computed values and conditions written back as a user would write them, for `explain` and
/// diagnostics: `value * probability / 100`, `date(created_at)`, `month(close_date) in (1, 2, 3)`.
extension BoundScalar {
    public var text: String {
        switch self {
        case .path(let p): return p.text
        case .constant(let c): return c.text
        case .negate(let e): return "-" + e.wrapped(tighterThan: 2)
        case .arithmetic(let op, let l, let r):
            let level = op == .multiply || op == .divide ? 2 : 1
            return l.wrapped(tighterThan: level) + " \(op.rawValue) " + r.wrapped(tighterThan: level + 1)
        case .daysBetween(let from, let to): return "days_between(\(from.text), \(to.text))"
        case .shift(let e, let amount, let unit):
            let n = amount < 0 ? -amount : amount
            return "\(e.wrapped(tighterThan: 1)) \(amount < 0 ? "-" : "+") \(n) \(unit.rawValue)\(n == 1 ? "" : "s")"
        case .call(let f, let args):
            // The fiscal year start travels as a hidden second argument.
            let shown = f == .fiscalYear || f == .fiscalQuarter || (f == .round && args.count > 1 && args[1].constantNumber == 0)
                ? Array(args.prefix(1)) : args
            return "\(f.rawValue)(\(shown.map(\.text).joined(separator: ", ")))"
        case .child(let a):
            let what = a.field.map { "\(a.collection.text).\($0.text)" } ?? a.collection.text
            return "\(a.function.rawValue)(\(what)\(a.filter == .all ? "" : " where ..."))"
        }
    }

    /// Parenthesised when its operator binds looser than `level` (1 for + and -, 2 for * and /).
    private func wrapped(tighterThan level: Int) -> String {
        guard case .arithmetic(let op, _, _) = self else { return text }
        return (op == .multiply || op == .divide ? 2 : 1) < level ? "(\(text))" : text
    }
}

extension ScalarConstant {
    var text: String {
        switch self {
        case .number(let m, let s, _): s == 0 ? String(m) : Value.decimalString(m, places: s)
        case .text(let t): "\"\(t)\""
        case .date(let d): Day.format(d)
        case .datetime(let s): Day.formatDateTime(s)
        case .bool(let b): b ? "true" : "false"
        }
    }
}

extension ScalarPredicate {
    public var text: String {
        switch self {
        case .compare(let l, let op, let r): "\(l.text) \(op.rawValue) \(r.text)"
        case .between(let e, let lo, let hi): "\(e.text) between \(lo.text) and \(hi.text)"
        case .oneOf(let e, let items): "\(e.text) in (\(items.map(\.text).joined(separator: ", ")))"
        case .isNull(let e): "\(e.text) is null"
        case .textMatch(let e, let m, let needle): "\(e.text) \(m.rawValue) \"\(needle)\""
        }
    }
}
