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
        if t.isSymbol(.lparen), !parenthesesHoldAValue(at: index) {
            try enterNesting(t)
            var inner = try condition()
            let close = tokens[index].range
            try closeParenthesis()
            inner.range = t.range.union(close)
            return inner
        }
        if t.isKeyword(.any) || t.isKeyword(.no) || t.isKeyword(.all) {
            return try quantified()
        }
        return try predicate()
    }

    /// `any|no|all COLLECTION [via FIELD] [( condition )]`.
    @inline(never)
    private mutating func quantified() throws(Diagnostic) -> Condition {
        let t = tokens[index]
        index += 1
        let quantifier: Quantifier = t.isKeyword(.any) ? .any : t.isKeyword(.no) ? .no : .all
        let collection = try childRef(expecting: "a child collection after \"\(quantifier.rawValue)\", as in \(quantifier.rawValue) opportunities (stage = \"Closed Won\")")
        var inner: Condition?
        let open = tokens[index]
        if open.isSymbol(.lparen) {
            try enterNesting(open)
            inner = try condition()
            try closeParenthesis()
        } else if quantifier == .all {
            throw unexpected(open, expecting: "\"(\" and the condition every one must meet, as in all opportunities (stage = \"Closed Won\")")
        } else if case .identifier = open.kind {
            // `any opportunities stage = "Won"`: the condition needs its parentheses.
            throw unexpected(open, expecting: "\"(\" around the condition on \(collection.path.text), as in \(quantifier.rawValue) \(collection.path.text) (stage = \"Closed Won\")")
        }
        return Condition(kind: .quantified(quantifier, collection, inner), range: t.range.union(previous.range))
    }

    /// Whether the `(` at `i` opens a value rather than a condition: `(value - 100) * 2 > x`.
    /// Decided by what follows its `)`, so neither reading is tried and undone (which nested
    /// parentheses would make exponential).
    private mutating func parenthesesHoldAValue(at i: Int) -> Bool {
        guard let close = matchingParenthesis(of: i) else { return false }
        let after = tokens[close + 1]
        switch after.kind {
        case .symbol(let s):
            return [.plus, .minus, .star, .slash, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(s)
        case .keyword(let k):
            return [.in, .between, .contains, .starts, .ends, .is, .within, .before, .after, .not].contains(k)
        default:
            return false
        }
    }

    @inline(never)
    private mutating func predicate() throws(Diagnostic) -> Condition {
        let left = try expression()
        let t = peek
        let start = left.range
        func done(_ kind: ConditionKind) -> Condition { Condition(kind: kind, range: start.union(previous.range)) }
        // `blocked` alone is a condition of its own; followed by an operator it is a field's name.
        if case .path(let p) = left, p.components.count == 1, p.components[0].text.lowercased() == "blocked",
           !Parser.continuesPredicate(t) {
            return Condition(kind: .blocked, range: p.range)
        }
        if isWord(t, "changes") { return try changesPredicate(left, start: start) }

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
            let right = try expression()
            return done(.compare(left, op, right))
        case .keyword(.before), .keyword(.after):
            index += 1
            let right = try expression()
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

    /// Whether `t` continues a predicate after its left side (an operator such as `=`, `in`, `is`).
    static func continuesPredicate(_ t: Token) -> Bool {
        switch t.kind {
        case .symbol(let s): [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(s)
        case .keyword(let k): [.before, .after, .is, .within, .not, .in, .between, .contains, .starts, .ends].contains(k)
        default: false
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
                let p = try expression()
                return done(.compare(left, negated ? .notEqual : .equal, p))
            }
            if case .identifier = peek.kind { return done(try segmentMembership(left, negated: negated)) }
            try expect(.lparen, "\"(\" and a list of values, or a segment, as in stage in (\"Proposal\", \"Negotiation\")")
            var items = [try expression()]
            while accept(.comma) { items.append(try expression()) }
            try expect(.rparen, "\",\" or \")\" to close the list")
            return done(.inList(left, items, negated: negated))
        case .keyword(.between):
            index += 1
            let low = try expression()
            try expect(.and, "\"and\" between the two bounds")
            let high = try expression()
            return done(.between(left, low, high, negated: negated))
        case .keyword(.contains):
            index += 1
            return done(.text(left, .contains, try expression(), negated: negated))
        case .keyword(.starts), .keyword(.ends):
            index += 1
            try expect(.with, "\"with\" after \"\(t.isKeyword(.starts) ? "starts" : "ends")\"")
            return done(.text(left, t.isKeyword(.starts) ? .startsWith : .endsWith, try expression(), negated: negated))
        default:
            throw unexpected(t, expecting: "in, between, contains, starts with or ends with after \"not\"",
                             suggest: [.in, .between, .contains, .starts, .ends])
        }
    }

    mutating func window() throws(Diagnostic) -> Window {
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

    mutating func timeUnit(plural: Bool) throws(Diagnostic) -> TimeUnit {
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
}
