/// Binding conditions on computed values: a field compared with a field (`close_date < created_at`),
/// or any value with any value (`value * probability / 100 >= 5000`, `month(close_date) in (1, 2, 3)`).
/// A field compared with literals keeps the fast path (`BoundFilter.test`, which indexes serve);
/// everything else becomes a `ScalarPredicate`.
extension Binder {
    /// Whether the predicate is a field tested against literals only: the fast path.
    static func isFieldTest(_ e: Expr, _ others: [Expr]) -> Bool {
        guard case .path = e else { return false }
        return others.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// `lower(name)` compared with text is `name` (text compares ignoring case anyway), so the
    /// field's fast path and text index serve `lower(name) = "acme"`.
    func caseless(_ e: Expr, _ entity: EntityDef) -> Expr {
        guard case .call(let name, let args, _) = e, name.text.lowercased() == "lower", args.count == 1,
              case .path(let path) = args[0], let p = try? resolve(path, from: entity) else { return e }
        switch p.type {
        case .text, .enumeration: return args[0]
        default: return e
        }
    }

    func scalarCompare(_ l: Expr, _ op: ComparisonOp, _ r: Expr, _ entity: EntityDef) throws(Diagnostic) -> BoundFilter {
        // `x = null` is `x is null`, on any value.
        for (side, other) in [(r, l), (l, r)] {
            guard case .literal(.null, let range) = side else { continue }
            let v = try bindScalar(other, entity)
            switch op {
            case .equal: return .scalar(.isNull(v))
            case .notEqual: return .not(.scalar(.isNull(v)))
            default:
                throw Diagnostic(.binder, "null cannot be compared with \(op.rawValue)", at: range,
                                 hint: "use \"is null\" or \"is not null\"")
            }
        }
        var a = try bindScalar(l, entity), b = try bindScalar(r, entity)
        try comparable(&a, l, &b, r, op)
        // `!=` is the complement of `=`, so it keeps the nulls, as `x != 5` does on a field.
        if op == .notEqual { return .not(.scalar(.compare(a, .equal, b))) }
        return .scalar(.compare(a, op, b))
    }

    func scalarMembership(_ e: Expr, _ items: [Expr], negated: Bool, _ entity: EntityDef) throws(Diagnostic) -> BoundFilter {
        var v = try bindScalar(e, entity)
        var bound: [BoundScalar] = []
        for item in items {
            var x = try bindScalar(item, entity)
            try comparable(&v, e, &x, item, .equal)
            bound.append(x)
        }
        let test = BoundFilter.scalar(.oneOf(v, bound))
        return negated ? .not(test) : test
    }

    func scalarBetween(_ e: Expr, _ lo: Expr, _ hi: Expr, negated: Bool, _ entity: EntityDef) throws(Diagnostic) -> BoundFilter {
        var v = try bindScalar(e, entity)
        var low = try bindScalar(lo, entity), high = try bindScalar(hi, entity)
        try comparable(&v, e, &low, lo, .lessEqual)
        try comparable(&v, e, &high, hi, .lessEqual)
        let test = BoundFilter.scalar(.between(v, low, high))
        return negated ? .not(test) : test
    }

    func scalarIsNull(_ e: Expr, negated: Bool, _ entity: EntityDef) throws(Diagnostic) -> BoundFilter {
        let test = BoundFilter.scalar(.isNull(try bindScalar(e, entity)))
        return negated ? .not(test) : test
    }

    func scalarTextMatch(_ e: Expr, _ m: TextMatch, _ needle: Expr, negated: Bool, _ entity: EntityDef) throws(Diagnostic) -> BoundFilter {
        let v = try bindScalar(e, entity)
        guard v.type == .text else {
            throw Diagnostic(.binder, "\"\(m.rawValue)\" needs text, and \(e.text) is \(v.type.noun)", at: e.range,
                             hint: "use =, <, > or between")
        }
        guard case .literal(.string(let s), _) = needle else {
            throw Diagnostic(.binder, "\"\(m.rawValue)\" needs text in quotes after it", at: needle.range,
                             hint: "as in lower(name) contains \"acme\"")
        }
        let test = BoundFilter.scalar(.textMatch(v, m, s.lowercased()))
        return negated ? .not(test) : test
    }

    func scalarWithin(_ e: Expr, _ window: Window, _ entity: EntityDef) throws(Diagnostic) -> BoundFilter {
        let v = try bindScalar(e, entity)
        guard v.type.isTemporal else {
            throw Diagnostic(.binder, "\"within\" needs a date, and \(e.text) is \(v.type.noun)", at: e.range,
                             hint: "use it with dates such as close_date + 30 days")
        }
        let days = DateWindows.range(of: window, today: today)
        return .scalar(.between(Binder.asDay(v), .constant(.date(days.lo)), .constant(.date(days.hi))))
    }

    /// Checks that `a op b` compares like with like; a datetime compared with a date counts as its day.
    private func comparable(_ a: inout BoundScalar, _ ea: Expr, _ b: inout BoundScalar, _ eb: Expr,
                            _ op: ComparisonOp) throws(Diagnostic) {
        let ta = a.type, tb = b.type
        let range = ea.range.union(eb.range)
        if ta.isNumeric && tb.isNumeric { return }
        if ta.isTemporal && tb.isTemporal {
            if ta != tb { a = Binder.asDay(a); b = Binder.asDay(b) }
            return
        }
        if ta == tb {
            switch ta {
            case .text:
                guard op == .equal || op == .notEqual else {
                    throw Diagnostic(.binder, "text cannot be compared with \(op.rawValue)", at: range,
                                     hint: "use =, !=, in, contains, starts with or ends with")
                }
            case .bool:
                guard op == .equal || op == .notEqual else {
                    throw Diagnostic(.binder, "a bool cannot be compared with \(op.rawValue)", at: range, hint: "use = or !=")
                }
            default: break
            }
            return
        }
        var hint = "compare \(ta.noun) with \(ta.example)"
        if ta.isTemporal, tb == .text { hint = "write dates as YYYY-MM-DD, without quotes" }
        throw Diagnostic(.binder, "cannot compare \(ta.noun) with \(tb.noun)", at: range, hint: hint)
    }
}
