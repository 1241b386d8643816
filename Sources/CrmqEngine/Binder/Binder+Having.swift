/// `having`: a condition on an aggregate's result rows. Its names are the result's column names
/// (`count`, `sum_value`, `count_distinct_account`, a `by` path such as `owner.team`), each compared
/// with a literal of a fitting type.
extension Binder {
    func bindHaving(_ c: Condition, calls: [BoundAggregateCall], groups: [BoundGroupKey],
                    _ entity: EntityDef) throws(Diagnostic) -> BoundHaving {
        let columns = HavingColumns(calls: calls, groups: groups)
        return try bindHaving(c, columns)
    }

    private func bindHaving(_ c: Condition, _ columns: HavingColumns) throws(Diagnostic) -> BoundHaving {
        switch c.kind {
        case .and(let parts):
            var out: [BoundHaving] = []
            for p in parts { out.append(try bindHaving(p, columns)) }
            return .and(out)
        case .or(let parts):
            var out: [BoundHaving] = []
            for p in parts { out.append(try bindHaving(p, columns)) }
            return .or(out)
        case .not(let inner):
            return .not(try bindHaving(inner, columns))
        case .compare(let l, let op, let r):
            // `150 < count` reads as `count > 150`.
            if case .literal = l, case .path = r { return try compare(r, op.flipped, l, columns) }
            return try compare(l, op, r, columns)
        case .between(let e, let lo, let hi, let negated):
            let both = BoundHaving.and([try compare(e, .greaterEqual, lo, columns), try compare(e, .lessEqual, hi, columns)])
            return negated ? .not(both) : both
        case .inList(let e, let items, let negated):
            var any: [BoundHaving] = []
            for item in items { any.append(try compare(e, .equal, item, columns)) }
            let one = any.count == 1 ? any[0] : BoundHaving.or(any)
            return negated ? .not(one) : one
        case .isNull(let e, let negated):
            let test = BoundHaving.isNull(try columns.resolve(e))
            return negated ? .not(test) : test
        case .text, .within, .quantified, .inSegment, .blocked, .changes:
            throw Diagnostic(.binder, "\"having\" compares result columns with =, !=, <, <=, >, >=, between, in or is null",
                             at: c.range, hint: "filter the records with \"where\" instead")
        }
    }

    private func compare(_ l: Expr, _ op: ComparisonOp, _ r: Expr, _ columns: HavingColumns) throws(Diagnostic) -> BoundHaving {
        let column = try columns.resolve(l)
        guard case .literal(let literal, let range) = r else {
            throw Diagnostic(.binder, "\"having\" compares a result column with a value", at: r.range,
                             hint: "write a literal here, as in count > 150")
        }
        if literal == .null {
            switch op {
            case .equal: return .isNull(column)
            case .notEqual: return .not(.isNull(column))
            default:
                throw Diagnostic(.binder, "null cannot be compared with \(op.rawValue)", at: range,
                                 hint: "use \"is null\" or \"is not null\"")
            }
        }
        let type = columns.type(of: column)
        guard let value = havingValue(literal, for: type) else {
            var hint = "compare it with \(type.example)"
            if case .decimal(_, let places) = literal, places > 2 { hint = "results are exact to two decimal places" }
            throw Diagnostic(.binder, "cannot compare \"\(columns.name(of: column))\" (\(type.phrase)) with \(literal.phrase)",
                             at: range, hint: hint)
        }
        return .compare(column, op, value)
    }

    /// The literal as a value of the column's type; numbers at two places (see `BoundHaving`).
    private func havingValue(_ literal: Literal, for type: ResultType) -> Value? {
        switch (literal, type) {
        case (.integer(let n), .int), (.integer(let n), .money), (.integer(let n), .percent), (.integer(let n), .decimal):
            let (v, o) = n.multipliedReportingOverflow(by: 100)
            return o ? nil : .decimal(v)
        case (.decimal(let d, let places), .int), (.decimal(let d, let places), .money),
             (.decimal(let d, let places), .percent), (.decimal(let d, let places), .decimal):
            guard places <= 2 else { return nil }
            let (v, o) = d.multipliedReportingOverflow(by: places == 1 ? 10 : places == 0 ? 100 : 1)
            return o ? nil : .decimal(v)
        case (.string(let s), .text): return .text(s)
        case (.bool(let b), .bool): return .bool(b)
        case (.date(let d), .date): return .date(d)
        case (.relativeDay(let offset), .date): return .date(today + Int64(offset))
        case (.datetime(let s), .datetime): return .datetime(s)
        default: return nil
        }
    }
}

/// The result columns `having` may name, by their headers.
private struct HavingColumns {
    let calls: [BoundAggregateCall]
    let groups: [BoundGroupKey]

    /// Every name, first match wins: the `by` paths, then each aggregate's header and function name.
    var names: [(String, ResultColumnRef)] {
        var out: [(String, ResultColumnRef)] = []
        for (i, g) in groups.enumerated() { out.append((g.header.lowercased(), .group(i))) }
        for (i, call) in calls.enumerated() {
            out.append((call.header.lowercased(), .value(i)))
            // `count` is a count of rows: a `count distinct` goes by its header only.
            if !call.isDistinct { out.append((call.function.rawValue, .value(i))) }
        }
        return out
    }

    func resolve(_ e: Expr) throws(Diagnostic) -> ResultColumnRef {
        // A computed key goes by its header too: `having month(close_date) = 3`.
        let text = e.text.lowercased()
        if let hit = names.first(where: { $0.0 == text }) { return hit.1 }
        guard case .path(let path) = e else {
            throw Diagnostic(.binder, "\"having\" needs a result column here", at: e.range,
                             hint: "name one of \(headers.joined(separator: ", "))")
        }
        throw Diagnostic(.binder, "unknown result column \"\(path.text)\" in \"having\"", at: path.range,
                         hint: Suggestions.didYouMean(path.text, in: headers) ?? "the columns are \(headers.joined(separator: ", "))")
    }

    var headers: [String] { groups.map(\.header) + calls.map(\.header) }

    func name(of c: ResultColumnRef) -> String {
        switch c {
        case .group(let i): groups[i].header
        case .value(let i): calls[i].header
        }
    }

    func type(of c: ResultColumnRef) -> ResultType {
        switch c {
        case .group(let i): groups[i].type
        case .value(let i): calls[i].resultType
        }
    }
}

extension ResultType {
    var phrase: String {
        switch self {
        case .text: "a text"
        case .int: "an int"
        case .money: "money"
        case .percent: "a percent"
        case .decimal: "a number"
        case .bool: "a bool"
        case .date: "a date"
        case .datetime: "a time"
        }
    }

    var example: String {
        switch self {
        case .text: "a text in quotes"
        case .int, .money, .percent, .decimal: "a number"
        case .bool: "true or false"
        case .date: "a date such as 2026-03-31 or today"
        case .datetime: "a time such as 2026-03-31T09:00:00Z"
        }
    }
}
