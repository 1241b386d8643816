/// Values: arithmetic with its precedence, literals, paths, function calls, intervals and aggregates
/// over child collections.
extension Parser {
    /// `term { (+|-) term }`.
    mutating func expression() throws(Diagnostic) -> Expr { try additive().expr }

    /// An arithmetic tree with its height (a leaf is 0), checked against `maximumDepth` as it grows.
    typealias Tree = (expr: Expr, height: Int)

    // These recursive functions read `tokens[index]` once per step rather than `peek`: in a debug
    // build each `peek` gets its own copy of the parser in the frame, and the frames repeat per level.
    private mutating func additive() throws(Diagnostic) -> Tree {
        var left = try multiplicative()
        while true {
            let t = tokens[index]
            guard t.isSymbol(.plus) || t.isSymbol(.minus) else { break }
            index += 1
            let right = try multiplicative()
            left = try node(.binary(t.isSymbol(.plus) ? .add : .subtract, left.expr, right.expr),
                            height: max(left.height, right.height) + 1, at: t)
        }
        return left
    }

    /// `factor { (*|/) factor }`.
    private mutating func multiplicative() throws(Diagnostic) -> Tree {
        var left = try factor()
        while true {
            let t = tokens[index]
            guard t.isSymbol(.star) || t.isSymbol(.slash) else { break }
            index += 1
            let right = try factor()
            left = try node(.binary(t.isSymbol(.star) ? .multiply : .divide, left.expr, right.expr),
                            height: max(left.height, right.height) + 1, at: t)
        }
        return left
    }

    /// `(expression)`, `-factor` or a primary. The recursive cases only: a debug build gives every
    /// case of a switch its own stack slots, and this frame is repeated once per level.
    private mutating func factor() throws(Diagnostic) -> Tree {
        let t = tokens[index]
        if t.isSymbol(.lparen) {
            try enterNesting(t)
            let inner = try additive()
            try closeParenthesis()
            return inner
        }
        if t.isSymbol(.minus) {
            if let literal = negativeNumber() { return (literal, 0) }
            try enterNesting(t)
            let inner = try factor()
            depth -= 1
            return try node(.negate(inner.expr, t.range), height: inner.height + 1, at: t)
        }
        if t.kind != .end, tokens[index + 1].isSymbol(.lparen), let e = try application() { return (e, 0) }
        return (try primary(), 0)
    }

    /// `NAME(...)`, `month(...)` or `count(...)`, or nil when the token before `(` is none of these.
    /// Called from `factor` directly (not through `primary`, whose frame is large in a debug build),
    /// since these nest: `abs(abs(abs(...)))`.
    private mutating func application() throws(Diagnostic) -> Expr? {
        let t = tokens[index]
        switch t.kind {
        case .identifier(let s):
            return try call(Name(text: s, range: t.range))
        case .keyword(let k):
            if let f = AggregateFunction(rawValue: k.rawValue) { return .child(try childAggregate(f)) }
            if [.day, .week, .month, .quarter, .year].contains(k) { return try call(Name(text: k.rawValue, range: t.range)) }
            return nil
        default:
            return nil
        }
    }

    /// `-5` and `-2.50` as literals (so a condition compares with a value, not with arithmetic).
    private mutating func negativeNumber() -> Expr? {
        let t = tokens[index], n = tokens[index + 1]
        switch n.kind {
        case .integer(let v): index += 2; return .literal(.integer(-v), t.range.union(n.range))
        case .decimal(let d, let p): index += 2; return .literal(.decimal(digits: -d, places: p), t.range.union(n.range))
        default: return nil
        }
    }

    /// An arithmetic node, unless the tree (with the levels around it) grows too deep.
    private mutating func node(_ e: Expr, height: Int, at t: Token) throws(Diagnostic) -> Tree {
        if depth + height > Parser.maximumDepth { throw Parser.tooDeep(at: t) }
        return (e, height)
    }

    /// A literal, a path, `NAME(args)`, `N days`, or `count|sum|avg|min|max(collection ...)`.
    @inline(never)
    private mutating func primary() throws(Diagnostic) -> Expr {
        let t = peek
        func lit(_ l: Literal) -> Expr { index += 1; return .literal(l, t.range) }
        switch t.kind {
        case .identifier:
            return .path(try path())
        case .keyword(let k) where AggregateFunction(rawValue: k.rawValue) != nil:
            guard resultColumnNames else {
                if t.startsLine { throw unexpected(t, expecting: "a field or a value") }
                throw Diagnostic(.parser, "expected a field or a value, found \(t.description)", at: t.range,
                                 hint: "for an aggregate over related records, write \(k.rawValue)(contacts)")
            }
            index += 1
            return .path(Path(components: [Name(text: k.rawValue, range: t.range)]))
        case .string(let s): return lit(.string(s))
        case .integer(let n):
            if let unit = intervalUnit(tokens[index + 1]) {
                index += 2
                return .interval(n, unit, t.range.union(previous.range))
            }
            return lit(.integer(n))
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
            // Only reached for `- -5`-like input through `factor`; a plain `-x` is handled there.
            throw unexpected(t, expecting: "a field or a value")
        default:
            throw unexpected(t, expecting: "a field or a value")
        }
    }

    /// The unit of `30 days`, `2 hours`, `1 quarter`, if `t` is one.
    private func intervalUnit(_ t: Token) -> IntervalUnit? {
        switch t.kind {
        case .keyword(.day), .keyword(.days): .day
        case .keyword(.week), .keyword(.weeks): .week
        case .keyword(.month), .keyword(.months): .month
        case .keyword(.quarter): .quarter
        case .keyword(.year), .keyword(.years): .year
        case .identifier(let s):
            switch s.lowercased() {
            case "hour", "hours": .hour
            case "minute", "minutes": .minute
            case "quarters": .quarter
            default: nil
            }
        default: nil
        }
    }

    /// `NAME(arg, ...)`: the binder knows the functions.
    private mutating func call(_ name: Name) throws(Diagnostic) -> Expr {
        index += 1
        let open = tokens[index]
        try enterNesting(open)
        var args: [Expr] = []
        if !tokens[index].isSymbol(.rparen) {
            repeat { args.append(try expression()) } while accept(.comma)
        }
        try expect(.rparen, "\",\" or \")\" to close the arguments of \(name.text)")
        depth -= 1
        return .call(name, args, name.range.union(previous.range))
    }

    /// `count(contacts)`, `count(opportunities via owner where stage = "Negotiation")`,
    /// `sum(opportunities.value where stage = "Closed Won")`.
    private mutating func childAggregate(_ function: AggregateFunction) throws(Diagnostic) -> ChildAggregateSyntax {
        let start = tokens[index]
        index += 1
        let open = tokens[index]
        try enterNesting(open)
        let example = function == .count ? "count(contacts)" : "\(function.rawValue)(opportunities.value)"
        let collection = try childRef(expecting: "related records, as in \(example)")
        var filter: Condition?
        if accept(.where) { filter = try condition() }
        try expect(.rparen, "\")\" to close \(function.rawValue)(...)")
        depth -= 1
        return ChildAggregateSyntax(function: function, collection: collection, filter: filter,
                                    range: start.range.union(previous.range))
    }

    /// `opportunities`, `account.opportunities`, `opportunities.value`, then `[via FIELD]`.
    mutating func childRef(expecting what: String) throws(Diagnostic) -> ChildRef {
        guard case .identifier = peek.kind else { throw unexpected(peek, expecting: what) }
        let p = try path()
        var via: Name?
        if accept(.via) { via = try name(expecting: "the reference field after \"via\", as in opportunities via owner") }
        return ChildRef(path: p, via: via, range: p.range.union(previous.range))
    }

    /// The index of the `)` that closes the `(` at `i`, if the input has one.
    mutating func matchingParenthesis(of i: Int) -> Int? {
        if parenthesisMatches == nil {
            var matches = [Int32](repeating: -1, count: tokens.count)
            var open: [Int32] = []
            for (j, t) in tokens.enumerated() {
                if t.isSymbol(.lparen) { open.append(Int32(j)) }
                else if t.isSymbol(.rparen), let o = open.popLast() { matches[Int(o)] = Int32(j) }
            }
            parenthesisMatches = matches
        }
        let m = parenthesisMatches![i]
        return m < 0 ? nil : Int(m)
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
