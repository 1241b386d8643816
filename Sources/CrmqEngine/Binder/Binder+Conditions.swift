/// Binding `where` conditions: each comparison becomes a test on the stored values of one field.
extension Binder {
    /// Recurses once per `(` or `not` only (the parser bounds those); `and`/`or` lists are looped over.
    func bindCondition(_ c: Condition, _ entity: EntityDef) throws(Diagnostic) -> BoundFilter {
        switch c.kind {
        case .and(let parts):
            var bound: [BoundFilter] = []
            bound.reserveCapacity(parts.count)
            for p in parts { bound.append(try bindCondition(p, entity)) }
            return .and(bound)
        case .or(let parts):
            var bound: [BoundFilter] = []
            bound.reserveCapacity(parts.count)
            for p in parts { bound.append(try bindCondition(p, entity)) }
            return .or(bound)
        case .not(let a):
            return .not(try bindCondition(a, entity))
        default:
            return try bindPredicate(c, entity)
        }
    }

    /// One predicate. Kept out of `bindCondition` so the recursive frame stays small in a debug build.
    @inline(never)
    private func bindPredicate(_ c: Condition, _ entity: EntityDef) throws(Diagnostic) -> BoundFilter {
        guard let kind = try substitutingMe(c.kind, entity) else { return .none }
        switch kind {
        case .and, .or, .not:
            return try bindCondition(c, entity)
        case .compare(var l, let op, var r):
            if op == .equal || op == .notEqual {
                if case .literal(.string, _) = r { l = caseless(l, entity) }
                if case .literal(.string, _) = l { r = caseless(r, entity) }
            }
            if Binder.isFieldTest(l, [r]) || Binder.isFieldTest(r, [l]) || Binder.bothLiterals(l, r) {
                return try bindCompare(l, op, r, entity)
            }
            return try scalarCompare(l, op, r, entity)
        case .inList(var l, let items, let negated):
            if items.allSatisfy({ if case .literal(.string, _) = $0 { true } else { false } }) { l = caseless(l, entity) }
            guard Binder.isFieldTest(l, items) else { return try scalarMembership(l, items, negated: negated, entity) }
            let (p, _) = try fieldOperand(l, entity, other: items.first ?? l)
            let test = try membership(p, items)
            return negated ? .not(test) : test
        case .between(let l, let lo, let hi, let negated):
            guard Binder.isFieldTest(l, [lo, hi]) else { return try scalarBetween(l, lo, hi, negated: negated, entity) }
            let (p, _) = try fieldOperand(l, entity, other: lo)
            let low = try bound(p, lo)
            let high = try bound(p, hi)
            let test = BoundFilter.test(p, .range(low.lo, high.hi))
            return negated ? .not(test) : test
        case .text(var l, let match, let r, let negated):
            l = caseless(l, entity)
            guard Binder.isFieldTest(l, [r]) else { return try scalarTextMatch(l, match, r, negated: negated, entity) }
            let (p, _) = try fieldOperand(l, entity, other: r)
            let needle = try textLiteral(r, for: p, what: match.rawValue)
            let test = try textMatch(p, match, needle, at: r.range)
            return negated ? .not(test) : test
        case .isNull(let l, let negated):
            guard case .path = l else { return try scalarIsNull(l, negated: negated, entity) }
            let (p, _) = try fieldOperand(l, entity, other: l)
            return negated ? .not(.test(p, .isNull)) : .test(p, .isNull)
        case .quantified(let q, let ref, let inner):
            return try bindQuantified(q, ref, inner, entity, at: c.range)
        case .within(let l, let window):
            guard case .path = l else { return try scalarWithin(l, window, entity) }
            let (p, _) = try fieldOperand(l, entity, other: l)
            guard p.type.isTemporal else {
                throw Diagnostic(.binder, "\"within\" needs a date field, and \"\(p.text)\" is \(article(p.type)) field",
                                 at: l.range, hint: "use it with fields such as close_date or created_at")
            }
            let days = DateWindows.range(of: window, today: today, fiscalYearStartMonth: fiscalYearStartMonth)
            return .test(p, storedRange(p, days.lo, days.hi))
        case .inSegment(let l, let name, let negated):
            return try bindMembership(l, name, negated: negated, entity)
        case .blocked:
            return try blockedFilter(entity, at: c.range)
        case .changes:
            throw Diagnostic(.binder, "\"changes\" only means something in a rule's \"when\"", at: c.range,
                             hint: "as in define rule NAME on update \(entity.name) when FIELD changes to ... do ...")
        }
    }

    /// The field side of a predicate. Literal-to-literal and field-to-field comparisons are refused here.
    private func fieldOperand(_ e: Expr, _ entity: EntityDef, other: Expr) throws(Diagnostic) -> (BoundPath, Path) {
        switch e {
        case .path(let path):
            return (try resolve(path, from: entity), path)
        case .literal(_, let r):
            throw Diagnostic(.binder, "a condition must start with a field", at: r,
                             hint: "write it as FIELD = value, e.g. stage = \"Proposal\"")
        case .binary, .negate, .call, .interval, .child:
            preconditionFailure("computed values are bound by scalarCompare and its kin")
        }
    }

    private func bindCompare(_ l: Expr, _ op: ComparisonOp, _ r: Expr, _ entity: EntityDef) throws(Diagnostic) -> BoundFilter {
        // `10000 < value` reads as `value > 10000`.
        if case .literal = l, case .path = r {
            return try bindCompare(r, op.flipped, l, entity)
        }
        let (p, _) = try fieldOperand(l, entity, other: r)
        if case .literal(.null, _) = r {
            switch op {
            case .equal: return .test(p, .isNull)
            case .notEqual: return .not(.test(p, .isNull))
            default:
                throw Diagnostic(.binder, "null cannot be compared with \(op.rawValue)", at: r.range,
                                 hint: "use \"is null\" or \"is not null\"")
            }
        }
        if p.type == .text {
            let s = try textLiteral(r, for: p, what: op.rawValue)
            switch op {
            case .equal: return .test(p, .textEquals([s.lowercased()]))
            case .notEqual: return .not(.test(p, .textEquals([s.lowercased()])))
            default:
                throw Diagnostic(.binder, "text fields cannot be compared with \(op.rawValue)", at: l.range.union(r.range),
                                 hint: "use =, !=, in, contains, starts with or ends with")
            }
        }
        if p.type == .bool || isReference(p.type) {
            guard op == .equal || op == .notEqual else {
                throw Diagnostic(.binder, "\(article(p.type)) field cannot be compared with \(op.rawValue)", at: r.range,
                                 hint: "use = or !=")
            }
        }
        let b = try bound(p, r)
        let test: BoundTest
        switch op {
        case .equal: test = .range(b.lo, b.hi)
        case .notEqual: return .not(.test(p, .range(b.lo, b.hi)))
        // Nothing is below the smallest stored value or above the largest (`id > 9223372036854775807`).
        case .less: if b.lo <= nullInt + 1 { return .none }; test = .range(nullInt + 1, b.lo - 1)
        case .lessEqual: test = .range(nullInt + 1, b.hi)
        case .greater: if b.hi == .max { return .none }; test = .range(b.hi + 1, .max)
        case .greaterEqual: test = .range(b.lo, .max)
        }
        return .test(p, test)
    }

    static func bothLiterals(_ a: Expr, _ b: Expr) -> Bool {
        if case .literal = a, case .literal = b { return true }
        return false
    }

    private func isReference(_ t: FieldType) -> Bool {
        if case .reference = t { return true }
        return false
    }

    /// `field in (a, b, c)`.
    private func membership(_ p: BoundPath, _ items: [Expr]) throws(Diagnostic) -> BoundFilter {
        if p.type == .text {
            // Each text once, in the order written: a generated list may repeat a value many times.
            var texts: [String] = []
            var seen: Set<String> = []
            for item in items {
                let text = try textLiteral(item, for: p, what: "in").lowercased()
                if seen.insert(text).inserted { texts.append(text) }
            }
            return .test(p, .textEquals(texts))
        }
        if p.type.isTemporal {
            var parts: [BoundFilter] = []
            var seen: Set<BoundFilter> = []
            for item in items {
                let b = try bound(p, item)
                let part = BoundFilter.test(p, .range(b.lo, b.hi))
                if seen.insert(part).inserted { parts.append(part) }
            }
            return parts.count == 1 ? parts[0] : .or(parts)
        }
        var values: Set<Int64> = []
        for item in items {
            let b = try bound(p, item)
            values.insert(b.lo)
        }
        return .test(p, .oneOf(values.sorted()))
    }

    /// The stored-value interval `[lo, hi]` that a literal stands for on this field: one value for
    /// numbers and enum values, a whole day (or period) for dates.
    private func bound(_ p: BoundPath, _ e: Expr) throws(Diagnostic) -> (lo: Int64, hi: Int64) {
        guard case .literal(let lit, let range) = e else {
            throw Diagnostic(.binder, "expected a value here, not a field", at: e.range)
        }
        func mismatch(_ expected: String) -> Diagnostic {
            Diagnostic(.binder, "\"\(p.text)\" is \(article(p.type)) field; \(lit.phrase) does not fit it",
                       at: range, hint: expected)
        }
        switch p.type {
        case .int, .money, .percent, .reference:
            let places = p.type.isDecimal ? 2 : 0
            let v: Int64
            switch lit {
            case .integer(let n):
                let (scaled, overflow) = n.multipliedReportingOverflow(by: places == 2 ? 100 : 1)
                guard !overflow else { throw mismatch("the number is too large") }
                v = scaled
            case .decimal(let digits, let lp):
                guard lp <= places else {
                    throw mismatch(places == 0 ? "use a whole number" : "\(p.type.name) has two decimal places")
                }
                var scaled = digits
                for _ in lp..<places {
                    let (next, overflow) = scaled.multipliedReportingOverflow(by: 10)
                    guard !overflow else { throw mismatch("the number is too large") }
                    scaled = next
                }
                v = scaled
            default:
                throw mismatch(isReference(p.type) ? "compare the id with a number, or follow the reference: \(p.text).name"
                                                  : "use a number")
            }
            return (v, v)
        case .bool:
            guard case .bool(let b) = lit else { throw mismatch("use true or false") }
            return (b ? 1 : 0, b ? 1 : 0)
        case .enumeration(let name):
            guard case .string(let s) = lit else { throw mismatch("use one of its values in quotes") }
            let values = schema.enumValues(name)
            guard let code = values.firstIndex(where: { $0.lowercased() == s.lowercased() }) else {
                throw Diagnostic(.binder, "\"\(s)\" is not a value of \(p.text)", at: range,
                                 hint: Suggestions.didYouMean(s, in: values)
                                     ?? "values: \(values.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            return (Int64(code), Int64(code))
        case .date, .datetime:
            let days: (lo: Int64, hi: Int64)
            switch lit {
            case .date(let d): days = (d, d)
            case .relativeDay(let offset): days = (today + Int64(offset), today + Int64(offset))
            case .period(let offset, let unit):
                days = DateWindows.period(offset: offset, unit: unit, today: today, fiscalYearStartMonth: fiscalYearStartMonth)
            case .datetime(let s):
                if p.type == .datetime { return (s, s) }
                let d = s >= 0 ? s / 86400 : (s - 86399) / 86400
                days = (d, d)
            case .string(let s):
                guard let d = Day.parse(s) else { throw mismatch("write dates as YYYY-MM-DD, without quotes") }
                days = (d, d)
            default:
                throw mismatch("use a date such as 2026-03-31, today, or this month")
            }
            let r = storedRange(p, days.lo, days.hi)
            if case .range(let lo, let hi) = r { return (lo, hi) }
            return (days.lo, days.hi)
        case .text:
            throw mismatch("use text in quotes")
        }
    }

    /// Days `[lo, hi]` as stored on this field: days for a date, seconds for a datetime.
    private func storedRange(_ p: BoundPath, _ lo: Int64, _ hi: Int64) -> BoundTest {
        p.type == .datetime ? .range(lo * 86400, hi * 86400 + 86399) : .range(lo, hi)
    }

    private func textLiteral(_ e: Expr, for p: BoundPath, what: String) throws(Diagnostic) -> String {
        guard case .literal(let lit, let range) = e else {
            throw Diagnostic(.binder, "expected a value here, not a field", at: e.range)
        }
        guard case .string(let s) = lit else {
            if !p.type.isText, what.contains(" ") || what == "contains" {
                if case .enumeration = p.type {} else {
                    throw Diagnostic(.binder, "\"\(what)\" needs a text field, and \"\(p.text)\" is \(article(p.type)) field",
                                     at: range, hint: "use =, <, > or between")
                }
            }
            throw Diagnostic(.binder, "\(lit.phrase) is not text", at: range, hint: "put it in quotes")
        }
        return s
    }

    /// contains / starts with / ends with, on text or on an enum's value list.
    private func textMatch(_ p: BoundPath, _ m: TextMatch, _ needle: String, at range: SourceRange) throws(Diagnostic) -> BoundFilter {
        switch p.type {
        case .text:
            return .test(p, .textMatch(m, needle.lowercased()))
        case .enumeration(let name):
            let n = needle.lowercased()
            let codes = schema.enumValues(name).enumerated().filter { TextMatching.matches($0.element.lowercased(), m, n) }
            return .test(p, .oneOf(codes.map { Int64($0.offset) }))
        default:
            throw Diagnostic(.binder, "\"\(m.rawValue)\" needs a text field, and \"\(p.text)\" is \(article(p.type)) field",
                             at: range, hint: "use =, <, > or between")
        }
    }
}

extension ComparisonOp {
    /// The operator with its sides swapped: `a < b` is `b > a`.
    var flipped: ComparisonOp {
        switch self {
        case .equal, .notEqual: self
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        }
    }
}
