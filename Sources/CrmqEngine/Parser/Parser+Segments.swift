/// Segments and fiscal periods: `define segment`, `drop segment`, `set fiscal year start`, the
/// membership test `account in smb`, and the fiscal units of `this fiscal quarter`.
extension Parser {
    /// `define segment NAME as (ENTITY | SEGMENT) [where CONDITION]`, after `define`.
    mutating func defineSegment(start: Token) throws(Diagnostic) -> ParsedStatement {
        try expect(.segment, "\"segment\" after \"define\", as in define segment smb as accounts where employees < 20")
        let name = try name(expecting: "the segment's name, as in define segment smb as accounts where employees < 20")
        try expect(.as, "\"as\" and an entity, as in define segment \(name.text) as accounts where employees < 20")
        let base = try self.name(expecting: "an entity or a segment after \"as\", such as accounts")
        if atAsOf {
            // A segment is a condition, worked out when used: the moment belongs to the query using it.
            throw Diagnostic(.parser, "a segment cannot hold \"as of\"", at: peek.range.union(tokens[index + 1].range),
                             hint: "give the moment where the segment is used: count \(name.text) as of 2026-03-31")
        }
        var condition: Condition?
        var text: String?
        if accept(.where) {
            let first = index
            condition = try self.condition()
            text = Parser.canonicalText(tokens[first..<index])
        }
        return ParsedStatement(kind: .catalog(.defineSegment(name: name, base: base, condition: condition, conditionText: text)),
                               range: start.range.union(previous.range))
    }

    /// `drop segment NAME`, after `drop`.
    mutating func dropSegment(start: Token) throws(Diagnostic) -> ParsedStatement {
        index += 1  // `segment`
        let name = try name(expecting: "the name of the segment to drop")
        return ParsedStatement(kind: .catalog(.dropSegment(name: name)), range: start.range.union(previous.range))
    }

    /// `set fiscal year start = MONTH`, after `set`.
    mutating func setStatement(start: Token) throws(Diagnostic) -> ParsedStatement {
        try expect(.fiscal, "\"fiscal year start = MONTH\" after \"set\", as in set fiscal year start = april")
        try expect(.year, "\"year start = MONTH\" after \"set fiscal\"")
        let word = peek
        guard case .identifier(let s) = word.kind, s.lowercased() == "start" else {
            throw unexpected(word, expecting: "\"start = MONTH\" after \"set fiscal year\"")
        }
        index += 1
        try expect(.equal, "\"=\" and a month, as in set fiscal year start = april")
        let t = peek
        let month: Name
        switch t.kind {
        case .identifier(let s), .string(let s): month = Name(text: s, range: t.range)
        case .integer(let n): month = Name(text: String(n), range: t.range)
        default: throw unexpected(t, expecting: "a month (april, or a number from 1 to 12)")
        }
        index += 1
        return ParsedStatement(kind: .catalog(.fiscalYearStart(month: month)), range: start.range.union(t.range))
    }

    /// `set fiscal ...` at `t`: a statement of its own, though `set` alone continues an `update`.
    func startsSetting(_ t: Token) -> Bool {
        guard t.isKeyword(.set) else { return false }
        // Tokens are in source order: find `t` by binary search (recovery asks at every line).
        var lo = 0, hi = tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if tokens[mid].range.start < t.range.start { lo = mid + 1 } else { hi = mid }
        }
        return lo + 1 < tokens.count && tokens[lo].range == t.range && tokens[lo + 1].isKeyword(.fiscal)
    }

    /// `in SEGMENT` after `in` (or `not in`): a name where a list's `(` would be.
    mutating func segmentMembership(_ left: Expr, negated: Bool) throws(Diagnostic) -> ConditionKind {
        .inSegment(left, try name(expecting: "a segment"), negated: negated)
    }

    /// `fiscal quarter` or `fiscal year`, at `fiscal`, after `this`, `last` or `next`.
    mutating func fiscalUnit() throws(Diagnostic) -> TimeUnit {
        index += 1
        if accept(.quarter) { return .fiscalQuarter }
        if accept(.year) { return .fiscalYear }
        throw unexpected(peek, expecting: "\"quarter\" or \"year\" after \"fiscal\"", suggest: [.quarter, .year])
    }

    /// A stored segment condition, parsed again when the segment is used. The whole text must be
    /// one condition.
    public static func storedCondition(_ text: String, name: String) throws(Diagnostic) -> Condition {
        let (tokens, lexError) = Lexer.tokenizePrefix(SourceText(name: "segment \(name)", text: text), from: 0)
        if let lexError { throw lexError }
        var parser = Parser(tokens: tokens)
        let c = try parser.condition()
        guard parser.peek.kind == .end else {
            throw parser.unexpected(parser.peek, expecting: "the end of the condition")
        }
        return c
    }

    /// Whether `kind` is written without a space after `previous` in canonical text (`out` so far):
    /// before `,` `)` `.`, after `(` `.` and a unary minus.
    static func isTight(_ kind: TokenKind, after previous: TokenKind, in out: String) -> Bool {
        kind == .symbol(.comma) || kind == .symbol(.rparen) || kind == .symbol(.dot)
            || previous == .symbol(.lparen) || previous == .symbol(.dot) || isUnaryMinus(previous, before: out)
    }

    /// A condition's tokens written back one space apart (none inside parentheses, before `,` and
    /// around `.`), comments dropped: the spelling a segment's condition is stored and shown in.
    static func canonicalText(_ tokens: ArraySlice<Token>) -> String {
        var out = ""
        var previous: TokenKind?
        for t in tokens {
            if let p = previous, !isTight(t.kind, after: p, in: out) { out += " " }
            out += spelling(t.kind)
            previous = t.kind
        }
        return out
    }

    /// A `-` that negates what follows: at the start, or after an operator, keyword, `(` or `,`.
    static func isUnaryMinus(_ kind: TokenKind, before text: String) -> Bool {
        guard kind == .symbol(.minus) else { return false }
        let head = text.dropLast()  // the minus itself
        guard let last = head.last(where: { $0 != " " }) else { return true }
        return "=<>!(,".contains(last) || head.hasSuffix(" in") || head.hasSuffix(" between") || head.hasSuffix(" and")
            || head.hasSuffix(" or") || head.hasSuffix(" not")
    }

    static func spelling(_ kind: TokenKind) -> String {
        switch kind {
        case .keyword(let k): return k.rawValue
        case .identifier(let s): return s
        case .string(let s):
            var quoted = "\""
            for ch in s.unicodeScalars {
                switch ch {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                case "\n": quoted += "\\n"
                case "\t": quoted += "\\t"
                default: quoted.unicodeScalars.append(ch)
                }
            }
            return quoted + "\""
        case .integer(let n): return String(n)
        case .decimal(let d, let p): return Value.decimalString(d, places: p)
        case .date(let d): return Day.format(d)
        case .datetime(let s): return Day.formatDateTime(s)
        case .symbol(let s): return s.rawValue
        case .dotCommand(let c): return c
        case .end: return ""
        }
    }
}
