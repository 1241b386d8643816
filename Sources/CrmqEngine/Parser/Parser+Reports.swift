/// `report KIND [for pipeline P] [PERIOD] [by KEY] [where CONDITION]`, the clauses in any order,
/// each at most once. `for` and `pipeline` are words here, not reserved: fields may be named so.
extension Parser {
    /// After `report`.
    mutating func report(start: Token) throws(Diagnostic) -> ParsedStatement {
        let kind = try reportKind()
        var pipeline: Name?
        var period: ReportPeriodSyntax?
        var groupBy: Path?
        var filter: ReportCondition?
        var asOf: AsOfSyntax?
        var seen: [String: SourceRange] = [:]
        func once(_ clause: String, _ t: Token) throws(Diagnostic) {
            if seen[clause] != nil {
                throw Diagnostic(.parser, "the report's \(clause) is given twice", at: t.range, hint: "give it once")
            }
            seen[clause] = t.range
        }
        while true {
            let t = peek
            if isReportWord(t, "for") {
                try once("pipeline", t)
                index += 1
                guard isReportWord(peek, "pipeline") else {
                    throw unexpected(peek, expecting: "\"pipeline\" after \"for\", as in report funnel for pipeline \"Sales\"")
                }
                index += 1
                guard case .string(let name) = peek.kind else {
                    throw unexpected(peek, expecting: "the pipeline's name in quotes, as in for pipeline \"Sales\"")
                }
                pipeline = Name(text: name, range: peek.range)
                index += 1
                continue
            }
            switch t.kind {
            case .keyword(.this), .keyword(.last), .keyword(.next):
                try once("period", t)
                let w = try window()
                period = .window(w, t.range.union(previous.range))
            case .keyword(.between):
                try once("period", t)
                index += 1
                let low = try expression()
                try expect(.and, "\"and\" between the two dates, as in between 2026-01-01 and 2026-03-31")
                let high = try expression()
                period = .between(low, high, t.range.union(previous.range))
            case .keyword(.by):
                try once("\"by\"", t)
                index += 1
                groupBy = try reportGroup()
            case .keyword(.as) where atAsOf:
                try once("\"as of\"", t)
                asOf = try asOfClause()
            case .keyword(.where):
                try once("\"where\"", t)
                index += 1
                let first = index
                let c = try condition()
                filter = Parser.reportCondition(c, tokens[first..<index])
            default:
                var syntax = ReportSyntax(kind: kind, pipeline: pipeline, period: period, groupBy: groupBy, filter: filter,
                                          range: start.range.union(previous.range))
                syntax.asOf = asOf.map { Expr.literal($0.point, $0.range) }
                return ParsedStatement(kind: .report(syntax), range: start.range.union(previous.range))
            }
        }
    }

    private mutating func reportKind() throws(Diagnostic) -> Name {
        let t = peek
        let names = ReportRegistry.names.joined(separator: ", ")
        if case .identifier(let s) = t.kind {
            index += 1
            return Name(text: s, range: t.range)
        }
        throw unexpected(t, expecting: "a report (\(names))")
    }

    /// What follows `by`: a path (`owner`, `owner.team`) or a period's unit (`month`).
    private mutating func reportGroup() throws(Diagnostic) -> Path {
        let t = peek
        if case .keyword(let k) = t.kind, [.day, .week, .month, .quarter, .year].contains(k) {
            index += 1
            return Path(components: [Name(text: k.rawValue, range: t.range)])
        }
        return try path()
    }

    /// A word that is not reserved (`for`, `pipeline`), whether the lexer makes it a keyword or not.
    func isReportWord(_ t: Token, _ word: String) -> Bool {
        switch t.kind {
        case .identifier(let s): s.lowercased() == word
        case .keyword(let k): k.rawValue == word
        default: false
        }
    }

    /// The condition's canonical text (as `canonicalText` spells it), with each token's place in
    /// the text and in the source.
    static func reportCondition(_ c: Condition, _ tokens: ArraySlice<Token>) -> ReportCondition {
        var out = ""
        var pieces: [ReportCondition.Piece] = []
        var previous: TokenKind?
        for t in tokens {
            let text = spelling(t.kind)
            if let p = previous, !isTight(t.kind, after: p, in: out) { out += " " }
            let start = out.utf8.count
            out += text
            pieces.append(ReportCondition.Piece(text: SourceRange(start, out.utf8.count), source: t.range))
            previous = t.kind
        }
        return ReportCondition(condition: c, text: out, pieces: pieces)
    }
}
