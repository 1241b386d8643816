/// Binding values: fields, constants, arithmetic, date arithmetic, function calls and aggregates
/// over related records, each typed here so that a type error is a diagnostic before anything runs.
extension Binder {
    /// Recurses once per level of the expression (the parser bounds the depth at 1,000): the work
    /// of each node is in the functions it calls, so this frame stays small in a debug build.
    func bindScalar(_ e: Expr, _ entity: EntityDef) throws(Diagnostic) -> BoundScalar {
        switch e {
        case .path(let path): return .path(try resolve(path, from: entity))
        case .literal(let lit, let range): return try scalarConstant(lit, at: range)
        case .negate(let inner, let range): return try negated(try bindScalar(inner, entity), inner, range)
        case .interval(_, _, let range): throw Binder.looseInterval(range)
        case .binary(let op, let l, let r): return try bindBinary(op, l, r, entity)
        case .call(let name, let args, let range): return try bindCall(name, args, range, entity)
        case .child(let syntax): return .child(try bindChildAggregate(syntax, entity))
        }
    }

    @inline(never)
    private func negated(_ v: BoundScalar, _ inner: Expr, _ range: SourceRange) throws(Diagnostic) -> BoundScalar {
        guard v.type.isNumeric else {
            throw Diagnostic(.binder, "cannot negate \(v.type.noun)", at: range.union(inner.range),
                             hint: "a minus sign goes before a number")
        }
        return .negate(v)
    }

    private static func looseInterval(_ range: SourceRange) -> Diagnostic {
        Diagnostic(.binder, "a length of time is only added to or subtracted from a date", at: range,
                   hint: "as in close_date + 30 days or created_at - 2 hours")
    }

    private func scalarConstant(_ lit: Literal, at range: SourceRange) throws(Diagnostic) -> BoundScalar {
        switch lit {
        case .string(let s): return .constant(.text(s))
        case .integer(let n): return .constant(.number(n, scale: 0, type: .int))
        case .decimal(let d, let p):
            guard p <= BoundScalar.maximumScale else {
                throw Diagnostic(.binder, "too many decimal places", at: range, hint: "write at most 10")
            }
            return .constant(.number(d, scale: p, type: .decimal))
        case .bool(let b): return .constant(.bool(b))
        case .date(let d): return .constant(.date(d))
        case .datetime(let s): return .constant(.datetime(s))
        case .relativeDay(let offset): return .constant(.date(today + Int64(offset)))
        case .null:
            throw Diagnostic(.binder, "null has no value to compute with", at: range,
                             hint: "test for it with \"is null\", or give a default with coalesce(field, value)")
        case .period:
            throw Diagnostic(.binder, "\(lit.text) is a whole period, not one day", at: range,
                             hint: "use \"within \(lit.text)\", or a day such as today")
        }
    }

    private func bindBinary(_ op: ArithmeticOp, _ l: Expr, _ r: Expr, _ entity: EntityDef) throws(Diagnostic) -> BoundScalar {
        // Intervals: `date + 30 days`, `30 days + date`, `datetime - 2 hours`.
        if case .interval(let n, let unit, _) = r, op == .add || op == .subtract {
            return try shift(try bindScalar(l, entity), l, op == .add ? n : -n, unit, at: l.range.union(r.range))
        }
        if case .interval(let n, let unit, _) = l, op == .add {
            return try shift(try bindScalar(r, entity), r, n, unit, at: l.range.union(r.range))
        }
        return try typedBinary(op, try bindScalar(l, entity), l, try bindScalar(r, entity), r)
    }

    @inline(never)
    private func typedBinary(_ op: ArithmeticOp, _ a: BoundScalar, _ l: Expr, _ b: BoundScalar, _ r: Expr) throws(Diagnostic) -> BoundScalar {
        let ta = a.type, tb = b.type
        let range = l.range.union(r.range)
        if ta.isTemporal || tb.isTemporal {
            if op == .subtract, ta.isTemporal, tb.isTemporal {
                return .daysBetween(from: Binder.asDay(b), to: Binder.asDay(a))
            }
            var hint = "subtracting two dates gives the days between them; add a length of time with + 30 days"
            if ta.isTemporal, op == .add || op == .subtract, case .literal(.integer(let n), _) = r {
                hint = "add a length of time: \(l.text) \(op.rawValue) \(n) day\(n == 1 ? "" : "s")"
            }
            throw Diagnostic(.binder, "cannot \(op.verb) \(op.operands(ta.noun, tb.noun))", at: range, hint: hint)
        }
        guard ta.isNumeric, tb.isNumeric else {
            throw Diagnostic(.binder, "cannot \(op.verb) \(op.operands(ta.noun, tb.noun))", at: range,
                             hint: "arithmetic works on int, money, percent and number values")
        }
        return .arithmetic(op, a, b)
    }

    @inline(never)
    private func shift(_ v: BoundScalar, _ e: Expr, _ amount: Int64, _ unit: IntervalUnit, at range: SourceRange) throws(Diagnostic) -> BoundScalar {
        switch v.type {
        case .datetime: return .shift(v, amount: amount, unit: unit)
        case .date:
            guard unit != .hour && unit != .minute else {
                throw Diagnostic(.binder, "a date has no time of day to add \(unit.rawValue)s to", at: range,
                                 hint: "add days to a date, hours to a datetime such as created_at")
            }
            return .shift(v, amount: amount, unit: unit)
        default:
            throw Diagnostic(.binder, "cannot add a length of time to \(v.type.noun)", at: e.range,
                             hint: "lengths of time go with dates and datetimes, as in close_date + 30 days")
        }
    }

    /// A datetime as its day, for arithmetic and comparison with dates.
    static func asDay(_ v: BoundScalar) -> BoundScalar {
        v.type == .datetime ? .call(.date, [v]) : v
    }

    @inline(never)
    private func bindCall(_ name: Name, _ args: [Expr], _ range: SourceRange, _ entity: EntityDef) throws(Diagnostic) -> BoundScalar {
        guard let f = ScalarFunction(rawValue: name.text.lowercased()) else {
            throw Diagnostic(.binder, "unknown function \"\(name.text)\"", at: name.range,
                             hint: Suggestions.didYouMean(name.text.lowercased(), in: ScalarFunction.names)
                                 ?? "functions: \(ScalarFunction.names.joined(separator: ", "))")
        }
        func count(_ n: ClosedRange<Int>) throws(Diagnostic) {
            guard n.contains(args.count) else {
                let want = n.lowerBound == n.upperBound ? "\(n.lowerBound)"
                    : n.upperBound == Int.max ? "at least \(n.lowerBound)" : "\(n.lowerBound) or \(n.upperBound)"
                throw Diagnostic(.binder, "\(f.rawValue) takes \(want) argument\(n.upperBound == 1 ? "" : "s"), not \(args.count)",
                                 at: range, hint: "write \(f.signature)")
            }
        }
        func argument(_ i: Int, _ accepts: (ResultType) -> Bool, _ what: String) throws(Diagnostic) -> BoundScalar {
            let v = try bindScalar(args[i], entity)
            guard accepts(v.type) else {
                throw Diagnostic(.binder, "\(f.rawValue) needs \(what), and \(args[i].text) is \(v.type.noun)",
                                 at: args[i].range, hint: "write \(f.signature)")
            }
            return v
        }
        switch f {
        case .year, .quarter, .month, .week, .day, .weekday, .date:
            try count(1...1)
            return .call(f, [Binder.asDay(try argument(0, \.isTemporal, "a date"))])
        case .fiscalYear, .fiscalQuarter:
            // The session's fiscal year start goes with the call, so the bound value stands alone.
            try count(1...1)
            return .call(f, [Binder.asDay(try argument(0, \.isTemporal, "a date")),
                             .constant(.number(Int64(fiscalYearStartMonth), scale: 0, type: .int))])
        case .daysBetween:
            try count(2...2)
            let a = try argument(0, \.isTemporal, "dates"), b = try argument(1, \.isTemporal, "dates")
            return .daysBetween(from: Binder.asDay(a), to: Binder.asDay(b))
        case .lower, .upper, .length:
            try count(1...1)
            return .call(f, [try argument(0, { $0 == .text }, "text")])
        case .abs:
            try count(1...1)
            return .call(f, [try argument(0, \.isNumeric, "a number")])
        case .round:
            try count(1...2)
            let x = try argument(0, \.isNumeric, "a number")
            var places: Int64 = 0
            if args.count == 2 {
                guard case .literal(.integer(let n), _) = args[1], (0...Int64(BoundScalar.maximumScale)).contains(n) else {
                    throw Diagnostic(.binder, "the places of round must be a whole number from 0 to \(BoundScalar.maximumScale)",
                                     at: args[1].range, hint: "as in round(value / 3, 2)")
                }
                places = n
            }
            return .call(f, [x, .constant(.number(places, scale: 0, type: .int))])
        case .coalesce:
            try count(2...Int.max)
            var bound: [BoundScalar] = []
            for a in args { bound.append(try bindScalar(a, entity)) }
            let first = bound[0].type
            for (i, b) in bound.enumerated().dropFirst() where !(b.type == first || (b.type.isNumeric && first.isNumeric)) {
                throw Diagnostic(.binder, "coalesce needs values of one type: \(args[0].text) is \(first.noun), \(args[i].text) is \(b.type.noun)",
                                 at: args[i].range, hint: "give a default of the same type, as in coalesce(value, 0)")
            }
            return .call(f, bound)
        }
    }
}

extension ResultType {
    var isTemporal: Bool { self == .date || self == .datetime }

    /// How a value of the type reads in a diagnostic: "money", "text", "a date".
    var noun: String {
        switch self {
        case .text: "text"
        case .int: "an int"
        case .money: "money"
        case .percent: "a percent"
        case .decimal: "a number"
        case .bool: "a bool"
        case .date: "a date"
        case .datetime: "a datetime"
        }
    }
}

extension ArithmeticOp {
    var verb: String {
        switch self {
        case .add: "add"
        case .subtract: "subtract"
        case .multiply: "multiply"
        case .divide: "divide"
        }
    }

    /// "money by text", "text to money", "a date from money".
    func operands(_ a: String, _ b: String) -> String {
        switch self {
        case .add: "\(b) to \(a)"
        case .subtract: "\(b) from \(a)"
        case .multiply, .divide: "\(a) by \(b)"
        }
    }
}

extension Expr {
    /// The path, when the value is a plain field or name.
    var asPath: Path? {
        if case .path(let p) = self { return p }
        return nil
    }
}
