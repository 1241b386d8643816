/// Conditions (`where`) and their operands: `or` and `and` chains read as flat lists, `not` and
/// parentheses counted against the nesting limit, then one comparison at a time.
extension Parser {
    // MARK: - Conditions

    /// `conjunction { or conjunction }`, as one flat `or` list.
    mutating func condition() throws(Diagnostic) -> Condition {
        let first = try conjunction()
        guard tokens[index].isKeyword(.or) else { return first }
        var parts = [first]
        while tokens[index].isKeyword(.or) {
            index += 1
            parts.append(try conjunction())
        }
        return Condition(kind: .or(parts), range: first.range.union(parts[parts.count - 1].range))
    }

    /// `negation { and negation }`, as one flat `and` list.
    private mutating func conjunction() throws(Diagnostic) -> Condition {
        let first = try negation()
        guard tokens[index].isKeyword(.and) else { return first }
        var parts = [first]
        while tokens[index].isKeyword(.and) {
            index += 1
            parts.append(try negation())
        }
        return Condition(kind: .and(parts), range: first.range.union(parts[parts.count - 1].range))
    }

    private mutating func negation() throws(Diagnostic) -> Condition {
        let t = tokens[index]
        if t.isKeyword(.not) {
            try enterNesting(t)
            let inner = try negation()
            depth -= 1
            return Condition(kind: .not(inner), range: t.range.union(inner.range))
        }
        if t.isSymbol(.lparen) {
            try enterNesting(t)
            var inner = try condition()
            let close = tokens[index].range
            try closeParenthesis()
            inner.range = t.range.union(close)
            return inner
        }
        return try predicate()
    }

    @inline(never)
    private mutating func predicate() throws(Diagnostic) -> Condition {
        let left = try operand()
        let t = peek
        let start = left.range
        func done(_ kind: ConditionKind) -> Condition { Condition(kind: kind, range: start.union(previous.range)) }

        switch t.kind {
        case .symbol(let s):
            let op: ComparisonOp
            switch s {
            case .equal: op = .equal
            case .notEqual: op = .notEqual
            case .less: op = .less
            case .lessEqual: op = .lessEqual
            case .greater: op = .greater
            case .greaterEqual: op = .greaterEqual
            default: throw unexpected(t, expecting: "a comparison such as =, !=, <, >, in, contains")
            }
            index += 1
            let right = try operand()
            return done(.compare(left, op, right))
        case .keyword(.before), .keyword(.after):
            index += 1
            let right = try operand()
            return done(.compare(left, t.isKeyword(.before) ? .less : .greater, right))
        case .keyword(.is):
            index += 1
            let negated = accept(.not)
            try expect(.null, "\"null\" after \"is\"")
            return done(.isNull(left, negated: negated))
        case .keyword(.within):
            index += 1
            return done(.within(left, try window()))
        case .keyword(.not):
            index += 1
            return try negatable(left, start: start, negated: true)
        case .keyword(.in), .keyword(.between), .keyword(.contains), .keyword(.starts), .keyword(.ends):
            return try negatable(left, start: start, negated: false)
        default:
            throw unexpected(t, expecting: "a comparison such as =, !=, <, >, in, between, contains, is null",
                             suggest: [.in, .between, .contains, .starts, .ends, .is, .within, .before, .after])
        }
    }

    /// The operators that may follow `not`: in, between, contains, starts with, ends with.
    private mutating func negatable(_ left: Expr, start: SourceRange, negated: Bool) throws(Diagnostic) -> Condition {
        let t = peek
        func done(_ kind: ConditionKind) -> Condition { Condition(kind: kind, range: start.union(previous.range)) }
        switch t.kind {
        case .keyword(.in):
            index += 1
            if case .keyword(let k) = peek.kind, [.this, .last, .next].contains(k) {
                let p = try operand()
                return done(.compare(left, negated ? .notEqual : .equal, p))
            }
            if case .identifier = peek.kind { return done(try segmentMembership(left, negated: negated)) }
            try expect(.lparen, "\"(\" and a list of values, or a segment, as in stage in (\"Proposal\", \"Negotiation\")")
            var items = [try operand()]
            while accept(.comma) { items.append(try operand()) }
            try expect(.rparen, "\",\" or \")\" to close the list")
            return done(.inList(left, items, negated: negated))
        case .keyword(.between):
            index += 1
            let low = try operand()
            try expect(.and, "\"and\" between the two bounds")
            let high = try operand()
            return done(.between(left, low, high, negated: negated))
        case .keyword(.contains):
            index += 1
            return done(.text(left, .contains, try operand(), negated: negated))
        case .keyword(.starts), .keyword(.ends):
            index += 1
            try expect(.with, "\"with\" after \"\(t.isKeyword(.starts) ? "starts" : "ends")\"")
            return done(.text(left, t.isKeyword(.starts) ? .startsWith : .endsWith, try operand(), negated: negated))
        default:
            throw unexpected(t, expecting: "in, between, contains, starts with or ends with after \"not\"",
                             suggest: [.in, .between, .contains, .starts, .ends])
        }
    }

    private mutating func window() throws(Diagnostic) -> Window {
        let t = peek
        switch t.kind {
        case .keyword(.last), .keyword(.next):
            index += 1
            if case .integer(let n) = peek.kind {
                index += 1
                let unit = try timeUnit(plural: true)
                return t.isKeyword(.last) ? .last(n, unit) : .next(n, unit)
            }
            let unit = try timeUnit(plural: false)
            return .period(offset: t.isKeyword(.last) ? -1 : 1, unit: unit)
        case .keyword(.this):
            index += 1
            return .period(offset: 0, unit: try timeUnit(plural: false))
        default:
            throw unexpected(t, expecting: "last N days, next N weeks, this month, ... after \"within\"",
                             suggest: [.last, .next, .this])
        }
    }

    private mutating func timeUnit(plural: Bool) throws(Diagnostic) -> TimeUnit {
        let t = peek
        if !plural, t.isKeyword(.fiscal) { return try fiscalUnit() }
        if case .keyword(let k) = t.kind {
            let unit: TimeUnit? = switch k {
            case .day, .days: .day
            case .week, .weeks: .week
            case .month, .months: .month
            case .quarter: .quarter
            case .year, .years: .year
            default: nil
            }
            if let unit { index += 1; return unit }
        }
        throw unexpected(t, expecting: plural ? "days, weeks, months or years" : "week, month, quarter or year",
                         suggest: plural ? [.days, .weeks, .months, .years] : [.week, .month, .quarter, .year])
    }

    // MARK: - Operands

    mutating func operand() throws(Diagnostic) -> Expr {
        let t = peek
        func lit(_ l: Literal) -> Expr { index += 1; return .literal(l, t.range) }
        switch t.kind {
        case .identifier: return .path(try path())
        case .keyword(let k) where resultColumnNames && AggregateFunction(rawValue: k.rawValue) != nil:
            index += 1
            return .path(Path(components: [Name(text: k.rawValue, range: t.range)]))
        case .string(let s): return lit(.string(s))
        case .integer(let n): return lit(.integer(n))
        case .decimal(let d, let p): return lit(.decimal(digits: d, places: p))
        case .date(let d): return lit(.date(d))
        case .datetime(let s): return lit(.datetime(s))
        case .keyword(.true): return lit(.bool(true))
        case .keyword(.false): return lit(.bool(false))
        case .keyword(.null): return lit(.null)
        case .keyword(.today): return lit(.relativeDay(0))
        case .keyword(.yesterday): return lit(.relativeDay(-1))
        case .keyword(.tomorrow): return lit(.relativeDay(1))
        case .keyword(.this), .keyword(.last), .keyword(.next):
            index += 1
            let unit = try timeUnit(plural: false)
            let offset = t.isKeyword(.this) ? 0 : t.isKeyword(.last) ? -1 : 1
            return .literal(.period(offset: offset, unit: unit), t.range.union(previous.range))
        case .symbol(.minus):
            index += 1
            let n = peek
            switch n.kind {
            case .integer(let v): index += 1; return .literal(.integer(-v), t.range.union(n.range))
            case .decimal(let d, let p): index += 1; return .literal(.decimal(digits: -d, places: p), t.range.union(n.range))
            default: throw unexpected(n, expecting: "a number after \"-\"")
            }
        default:
            throw unexpected(t, expecting: "a field or a value")
        }
    }

    mutating func path() throws(Diagnostic) -> Path {
        var parts = [try name(expecting: "a field name")]
        while peek.isSymbol(.dot) {
            index += 1
            parts.append(try name(expecting: "a field name after \".\""))
        }
        return Path(components: parts)
    }

    mutating func name(expecting what: String) throws(Diagnostic) -> Name {
        let t = peek
        if case .identifier(let s) = t.kind {
            index += 1
            return Name(text: s, range: t.range)
        }
        if case .keyword(let k) = t.kind, t.kind != .end {
            throw Diagnostic(.parser, "expected \(what), found the keyword \"\(k.rawValue)\"", at: t.range)
        }
        throw unexpected(t, expecting: what)
    }
}
