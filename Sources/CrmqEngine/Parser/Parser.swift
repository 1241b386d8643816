/// A recursive-descent parser over the lexer's tokens, one statement at a time, so that a script
/// runs its statements in order and stops at the first one that fails.
///
/// A statement ends at `;`, at the end of the input, or at a line break when the next line starts
/// something that cannot continue it; so a statement may span lines.
public struct Parser {
    let tokens: [Token]
    /// A lexical error where the tokens stop; reported when the parser gets there.
    private let lexError: Diagnostic?
    var index = 0
    /// Where the statement being parsed began.
    private var statementStart = 0
    /// How many `(`, `not` and unary `-` enclose the token being parsed.
    var depth = 0
    /// In `having`, an aggregate's keyword (`count`, `sum`) names its result column.
    var resultColumnNames = false
    /// For each `(` token, the index of its `)` (or -1); built on first need, once per input.
    var parenthesisMatches: [Int32]?

    /// How deep a condition or an expression may nest. `(`, `not` and unary `-` each add a level,
    /// as does each arithmetic operator in a row (`a + b + c` is a tree as deep as it is long).
    /// The binder, planner and executor walk these trees recursively, so the parser bounds them,
    /// as SQLite does (1,000); `and` and `or` chains are flat lists and add no depth.
    public static let maximumDepth = 1000

    public init(tokens: [Token], lexError: Diagnostic? = nil) {
        self.tokens = tokens
        self.lexError = lexError
    }

    /// Parses `source` from byte `offset` on.
    public init(_ source: SourceText, from offset: Int = 0) {
        let (tokens, error) = Lexer.tokenizePrefix(source, from: offset)
        self.init(tokens: tokens, lexError: error)
    }

    /// Parses a whole text; for tests and tools that want every statement at once.
    public static func parseAll(_ source: SourceText) throws(Diagnostic) -> [ParsedStatement] {
        var parser = Parser(source)
        var out: [ParsedStatement] = []
        while let s = try parser.nextStatement() { out.append(s) }
        return out
    }

    /// The next statement, or nil at the end of the input.
    public mutating func nextStatement() throws(Diagnostic) -> ParsedStatement? {
        while peek.isSymbol(.semicolon) { index += 1 }
        if peek.kind == .end {
            if let lexError { throw lexError }
            return nil
        }
        statementStart = index
        depth = 0
        let statement = try statement()
        // The statement must end here.
        let t = peek
        if t.isSymbol(.semicolon) {
            index += 1
        } else if t.kind == .end, !t.startsLine, let lexError {
            // A bad character in the middle of the line cuts the statement short: running the part
            // before it (`delete leads` of `delete leads\0 where ...`) would do what was not asked.
            throw lexError
        } else if t.kind != .end && !t.startsLine {
            throw unexpected(t, expecting: "the end of the statement", suggest: clauseKeywords)
        }
        return statement
    }

    /// Skips to the start of the next statement after an error, for `--keep-going`: the next `;`,
    /// or the next line that starts with a statement.
    public mutating func recover() {
        if index == statementStart, peek.kind != .end { index += 1 }
        while peek.kind != .end {
            if peek.isSymbol(.semicolon) { index += 1; return }
            if peek.startsLine && startsStatement(peek) { return }
            index += 1
        }
    }

    private func startsStatement(_ t: Token) -> Bool {
        if case .dotCommand = t.kind { return true }
        if case .keyword(let k) = t.kind { return Parser.statementKeywords.contains(k) || startsSetting(t) || startsView(t) }
        return startsGrant(t) || startsRuleStatement(t)
    }

    // MARK: - Statements

    static let statementKeywords: [Keyword] = [.find, .count, .sum, .avg, .min, .max, .explain, .index, .drop,
                                               .create, .update, .delete, .upsert, .begin, .commit, .rollback, .save,
                                               .define, .convert, .report, .alter, .require, .move, .export, .import,
                                               .add, .rename, .sandbox]
    /// Names that start a rule statement (`run rules`, `enable rule`, `disable rule`) where no
    /// statement may start with a name: a misspelling after them gets the rule statement's error.
    static let ruleVerbs: Set<String> = ["run", "enable", "disable"]
    private let clauseKeywords: [Keyword] = [.where, .show, .order, .by, .having, .limit, .offset, .and, .or]

    private mutating func statement() throws(Diagnostic) -> ParsedStatement {
        let t = peek
        switch t.kind {
        case .dotCommand(let text):
            index += 1
            // Split into words, keeping each word's byte range for diagnostics.
            var words: [Name] = []
            var offset = t.range.start
            for piece in text.split(separator: " ", omittingEmptySubsequences: false) {
                let length = piece.utf8.count
                let word = piece.trimmingPrefix(while: { $0 == "\t" })
                if !word.isEmpty {
                    let start = offset + length - word.utf8.count
                    words.append(Name(text: String(word), range: SourceRange(start, start + word.utf8.count)))
                }
                offset += length + 1
            }
            var name = words.removeFirst()
            name.text.removeFirst()  // the dot
            return ParsedStatement(kind: .shellCommand(name: name, arguments: words), range: t.range)
        case .keyword(.find):
            index += 1
            return try find(start: t.range)
        case .keyword(.count), .keyword(.sum), .keyword(.avg), .keyword(.min), .keyword(.max):
            return try aggregate(start: t)
        case .keyword(.explain):
            index += 1
            if isWord(peek, "rule") { return try ruleByName(start: t) { .explain(name: $0) } }
            let analyze = accept(.analyze)
            let inner = peek
            guard inner.isKeyword(.find) || [.count, .sum, .avg, .min, .max, .show, .report].contains(where: inner.isKeyword) else {
                throw unexpected(inner, expecting: "a query to explain (find, count, sum, avg, min, max, show, report)",
                                 suggest: [.find, .count, .sum, .avg, .min, .max, .show, .report, .analyze])
            }
            let statement = try statement()
            return ParsedStatement(kind: .explain(statement.kind, analyze: analyze), range: t.range.union(statement.range))
        case .keyword(.index):
            index += 1
            let (entity, field) = try entityField()
            return ParsedStatement(kind: .createIndex(entity: entity, field: field), range: t.range.union(previous.range))
        case .keyword(.define):
            index += 1
            if isWord(peek, "pipeline") { return try definePipeline(start: t) }
            if isWord(peek, "rule") { return try defineRule(start: t) }
            return try defineSegment(start: t)
        case .keyword(.convert):
            index += 1
            return try convertLead(start: t)
        case .keyword(.show):
            // Not a statement keyword: a line starting with `show name, ...` continues a `find`.
            index += 1
            return try recordView(start: t)
        case .keyword(.report):
            index += 1
            return try report(start: t)
        case .keyword(.alter):
            return try alterPipeline(start: t)
        case .keyword(.add):
            return try addField(start: t)
        case .keyword(.rename):
            return try renameField(start: t)
        case .keyword(.require):
            return try requireCriteria(start: t)
        case .keyword(.move):
            return try moveStatement(start: t)
        case .keyword(.export):
            index += 1
            return try exportStatement(start: t)
        case .keyword(.sandbox):
            return try sandboxStatement()
        case .keyword(.import):
            index += 1
            return try importStatement(start: t)
        case .keyword(.set):
            // Not a statement keyword: a line starting with `set` continues an `update`.
            index += 1
            return try setStatement(start: t)
        case .keyword(.drop):
            index += 1
            if peek.isKeyword(.segment) { return try dropSegment(start: t) }
            if isWord(peek, "pipeline") { return try dropPipeline(start: t) }
            if isWord(peek, "field") { return try dropField(start: t) }
            if isWord(peek, "rule") { return try ruleByName(start: t) { .drop(name: $0) } }
            try expect(.index, "\"index\", \"segment\" or \"pipeline\" after \"drop\"")
            let (entity, field) = try entityField()
            return ParsedStatement(kind: .dropIndex(entity: entity, field: field), range: t.range.union(previous.range))
        case .keyword(.create), .keyword(.update), .keyword(.delete), .keyword(.upsert),
             .keyword(.begin), .keyword(.commit), .keyword(.rollback), .keyword(.save):
            return try changeStatement()
        case .identifier where startsGrant(t):
            return try grantStatement()
        case .identifier(let word) where startsRuleStatement(t) || Parser.ruleVerbs.contains(word.lowercased()):
            if word.lowercased() == "run" { return try runRules(start: t) }
            index += 1
            let enable = word.lowercased() == "enable"
            return try ruleByName(start: t) { .enable(name: $0, enable) }
        default:
            throw unexpected(t, expecting: "a statement (find, count, sum, avg, min, max, explain, create, update, delete, upsert)",
                             suggest: Parser.statementKeywords)
        }
    }

    /// `ENTITY.FIELD`, as in `index opportunities.product`.
    private mutating func entityField() throws(Diagnostic) -> (Name, Name) {
        let entity = try name(expecting: "ENTITY.FIELD, as in opportunities.product")
        try expect(.dot, "\".\" and a field, as in opportunities.product")
        let field = try name(expecting: "a field name after \".\"")
        return (entity, field)
    }

    mutating func find(start: SourceRange) throws(Diagnostic) -> ParsedStatement {
        let entity = try name(expecting: "what to find (an entity such as opportunities)")
        let asOf = try asOfClause()
        let c = try clauses(allowShow: true, allowGroupBy: false)
        let query = FindQuery(entity: entity, filter: c.filter, show: c.show, order: c.order, limit: c.limit, offset: c.offset,
                              asOf: asOf)
        return ParsedStatement(kind: .find(query), range: start.union(previous.range))
    }

    mutating func aggregate(start: Token) throws(Diagnostic) -> ParsedStatement {
        var calls = [try aggregateCall()]
        while accept(.comma) { calls.append(try aggregateCall()) }
        // `count opportunities` names its entity at once; every other form says `of`.
        if calls.count > 1 || calls[0].function != .count || calls[0].distinct || peek.isKeyword(.of) {
            let example = calls[0].distinct ? "count distinct account of opportunities"
                : calls[0].function == .count ? "count, sum value of opportunities" : "\(calls[0].function.rawValue) value of opportunities"
            try expect(.of, "\"of\" and an entity, as in \"\(example)\"")
        }
        let entity = try name(expecting: "an entity such as opportunities")
        let asOf = try asOfClause()
        let c = try clauses(allowShow: false, allowGroupBy: true)
        let query = AggregateQuery(calls: calls, entity: entity, filter: c.filter, groupBy: c.groupBy, order: c.order,
                                   limit: c.limit, offset: c.offset, having: c.having, withTotals: c.withTotals, asOf: asOf)
        return ParsedStatement(kind: .aggregate(query), range: start.range.union(previous.range))
    }

    /// The clauses after a query's entity, in any order, each at most once.
    private struct Clauses {
        var filter: Condition?
        var show: ShowClause?
        var groupBy: [ShowItem] = []
        var withTotals = false
        var having: Condition?
        var order: [OrderKey] = []
        var limit: Int?
        var offset: Int?
    }

    private mutating func clauses(allowShow: Bool, allowGroupBy: Bool) throws(Diagnostic) -> Clauses {
        var c = Clauses()
        var seen: Set<String> = []
        while true {
            let t = peek
            switch t.kind {
            case .keyword(.where):
                try once("where", t, &seen); index += 1
                c.filter = try condition()
            case .keyword(.show) where allowShow && !(t.startsLine && startsView(t)):
                try once("show", t, &seen); index += 1
                if peek.isSymbol(.star) {
                    c.show = .all(peek.range); index += 1
                } else {
                    c.show = .columns(try showItems())
                }
            case .keyword(.by) where allowGroupBy:
                try once("by", t, &seen); index += 1
                c.groupBy = try showItems()
            case .keyword(.with) where allowGroupBy:
                try once("with totals", t, &seen); index += 1
                try expect(.totals, "\"totals\" after \"with\", as in \"by owner.team, type with totals\"")
                c.withTotals = true
            case .keyword(.having) where allowGroupBy:
                try once("having", t, &seen); index += 1
                // Here `count`, `sum`, ... name result columns, as in `order by`.
                resultColumnNames = true
                defer { resultColumnNames = false }
                c.having = try condition()
            case .keyword(.order):
                try once("order by", t, &seen)
                c.order = try orderBy()
            case .keyword(.having) where !allowGroupBy:
                throw Diagnostic(.parser, "\"having\" filters the results of count, sum, avg, min and max", at: t.range,
                                 hint: "filter the records with \"where\"")
            case .keyword(.limit):
                try once("limit", t, &seen); index += 1
                c.limit = try count(of: "limit")
            case .keyword(.offset):
                try once("offset", t, &seen); index += 1
                c.offset = try count(of: "offset")
            case .keyword(.as) where atAsOf:
                throw Diagnostic(.parser, "\"as of\" goes right after the entity", at: t.range.union(tokens[index + 1].range),
                                 hint: "as in find opportunities as of 2026-03-31 where ...")
            default:
                return c
            }
        }
    }

    /// `count`, or `sum|avg|min|max EXPRESSION`.
    private mutating func aggregateCall() throws(Diagnostic) -> AggregateCall {
        let t = peek
        guard case .keyword(let k) = t.kind, let function = AggregateFunction(rawValue: k.rawValue) else {
            throw unexpected(t, expecting: "an aggregate (count, sum, avg, min, max)", suggest: [.count, .sum, .avg, .min, .max])
        }
        index += 1
        if function == .count {
            guard accept(.distinct) else { return AggregateCall(function: function, argument: nil, range: t.range) }
            let p = try path()
            return AggregateCall(function: .count, argument: .path(p), range: t.range.union(p.range), distinct: true)
        }
        let argument = try expression()
        return AggregateCall(function: function, argument: argument, range: t.range.union(argument.range))
    }

    @inline(never)
    mutating func closeParenthesis() throws(Diagnostic) {
        try expect(.rparen, "\")\" to close the \"(\"")
        depth -= 1
    }

    /// Steps into `(`, `not` or unary `-` at `t`; the caller steps out with `depth -= 1`.
    mutating func enterNesting(_ t: Token) throws(Diagnostic) {
        if depth >= Parser.maximumDepth { throw Parser.tooDeep(at: t) }
        depth += 1
        index += 1
    }

    static func tooDeep(at t: Token) -> Diagnostic {
        Diagnostic(.parser, "nested too deeply (limit \(CellText.grouped(String(Parser.maximumDepth))))", at: t.range,
                   hint: "each \"(\", \"not\", unary \"-\" and arithmetic operator in a row is a level")
    }

    private mutating func once(_ clause: String, _ t: Token, _ seen: inout Set<String>) throws(Diagnostic) {
        if !seen.insert(clause).inserted {
            throw Diagnostic(.parser, "\"\(clause)\" given twice", at: t.range, hint: "join the two into one")
        }
    }

    private mutating func orderBy() throws(Diagnostic) -> [OrderKey] {
        index += 1
        try expect(.by, "\"by\" after \"order\"")
        var keys: [OrderKey] = []
        repeat {
            let e = try orderExpression()
            var descending = false
            if peek.isKeyword(.desc) { descending = true; index += 1 } else if peek.isKeyword(.asc) { index += 1 }
            keys.append(OrderKey(expr: e, descending: descending))
        } while accept(.comma)
        return keys
    }

    /// In `order by`, an aggregate's result column (`count`, `sum`, ...) is a name too, unless a
    /// `(` makes it an aggregate over a child collection (`count(contacts)`).
    private mutating func orderExpression() throws(Diagnostic) -> Expr {
        if case .keyword(let k) = peek.kind, AggregateFunction(rawValue: k.rawValue) != nil,
           !tokens[index + 1].isSymbol(.lparen) {
            let t = peek
            index += 1
            return .path(Path(components: [Name(text: k.rawValue, range: t.range)]))
        }
        return try expression()
    }

    private mutating func count(of clause: String) throws(Diagnostic) -> Int {
        let t = peek
        if case .integer(let n) = t.kind, n <= Int64(Int32.max) {
            index += 1
            return Int(n)
        }
        throw unexpected(t, expecting: "a whole number after \"\(clause)\"")
    }

    /// `EXPR [as NAME] { , EXPR [as NAME] }`: the columns of `show`, the keys of `by`.
    private mutating func showItems() throws(Diagnostic) -> [ShowItem] {
        var items: [ShowItem] = []
        repeat {
            let e = try expression()
            var alias: Name?
            if accept(.as) { alias = try name(expecting: "a name for the column after \"as\"") }
            items.append(ShowItem(expr: e, alias: alias))
        } while accept(.comma)
        return items
    }

    // MARK: - Tokens

    var peek: Token { tokens[index] }
    var previous: Token { tokens[max(0, index - 1)] }

    mutating func accept(_ s: Symbol) -> Bool {
        if peek.isSymbol(s) { index += 1; return true }
        return false
    }

    mutating func accept(_ k: Keyword) -> Bool {
        if peek.isKeyword(k) { index += 1; return true }
        return false
    }

    mutating func expect(_ k: Keyword, _ what: String) throws(Diagnostic) {
        if !accept(k) { throw unexpected(peek, expecting: what, suggest: [k]) }
    }

    mutating func expect(_ s: Symbol, _ what: String) throws(Diagnostic) {
        if !accept(s) { throw unexpected(peek, expecting: what) }
    }

    func unexpected(_ t: Token, expecting what: String, suggest: [Keyword] = []) -> Diagnostic {
        if t.kind == .end, let lexError { return lexError }
        var hint: String?
        if case .identifier(let word) = t.kind {
            hint = Suggestions.didYouMean(word, in: suggest.map(\.rawValue))
        }
        if t.kind == .end {
            var d = Diagnostic(.parser, "incomplete statement: expected \(what)",
                               at: SourceRange(previous.range.end, previous.range.end + 1), hint: hint)
            d.isUnexpectedEnd = true
            return d
        }
        if t.startsLine && startsStatement(t) && index > 0 {
            // The statement was cut off at the end of the previous line.
            return Diagnostic(.parser, "incomplete statement: expected \(what)",
                              at: SourceRange(previous.range.end, previous.range.end + 1),
                              hint: "the next line starts a new statement")
        }
        return Diagnostic(.parser, "expected \(what), found \(t.description)", at: t.range, hint: hint)
    }
}
