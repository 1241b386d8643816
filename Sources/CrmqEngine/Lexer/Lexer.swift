/// Turns source text into tokens with byte ranges. Comments run from `--` to the end of the line.
public struct Lexer {
    private let source: SourceText
    private let bytes: [UInt8]
    private var pos = 0
    private var atLineStart = true
    /// Whether the token being read is the first on its line (kept for a token that fails).
    private var tokenStartsLine = true

    /// Lexes `source` from byte `offset` on (a script resumes after a line it could not read).
    public init(_ source: SourceText, from offset: Int = 0) {
        self.source = source
        self.bytes = source.bytes
        self.pos = offset
    }

    /// All tokens, ending with `.end`.
    public static func tokenize(_ source: SourceText) throws(Diagnostic) -> [Token] {
        let (tokens, error) = tokenizePrefix(source)
        if let error { throw error }
        return tokens
    }

    /// The tokens up to the first lexical error (then `.end` at the error), and that error:
    /// a script runs the statements before a bad character, as other shells do.
    public static func tokenizePrefix(_ source: SourceText, from offset: Int = 0) -> ([Token], Diagnostic?) {
        var lexer = Lexer(source, from: offset)
        var tokens: [Token] = []
        while true {
            do {
                let t = try lexer.next()
                tokens.append(t)
                if t.kind == .end { return (tokens, nil) }
            } catch {
                // The end stands where the bad token starts; mid-line, it does not end the statement.
                let at = error.range?.start ?? lexer.pos
                tokens.append(Token(kind: .end, range: SourceRange(at, at), startsLine: lexer.tokenStartsLine))
                return (tokens, error)
            }
        }
    }

    public mutating func next() throws(Diagnostic) -> Token {
        skipTrivia()
        let startsLine = atLineStart
        tokenStartsLine = startsLine
        atLineStart = false
        let start = pos
        guard pos < bytes.count else { return Token(kind: .end, range: SourceRange(start, start), startsLine: true) }
        let c = bytes[pos]

        if c == UInt8(ascii: "."), startsLine, pos + 1 < bytes.count, isLetter(bytes[pos + 1]) {
            while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
            var end = pos
            while end > start, isSpace(bytes[end - 1]) { end -= 1 }
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            return Token(kind: .dotCommand(text), range: SourceRange(start, end), startsLine: true)
        }
        if isLetter(c) {
            while pos < bytes.count, isLetter(bytes[pos]) || isDigit(bytes[pos]) { pos += 1 }
            let kind: TokenKind = Keyword.lookup(bytes[start..<pos]).map { .keyword($0) }
                ?? .identifier(String(decoding: bytes[start..<pos], as: UTF8.self))
            return Token(kind: kind, range: SourceRange(start, pos), startsLine: startsLine)
        }
        if isDigit(c) {
            return Token(kind: try number(), range: SourceRange(start, pos), startsLine: startsLine)
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            return Token(kind: .string(try string(quote: c)), range: SourceRange(start, pos), startsLine: startsLine)
        }
        pos += 1
        let next: UInt8? = pos < bytes.count ? bytes[pos] : nil
        let symbol: Symbol
        switch c {
        case UInt8(ascii: "("): symbol = .lparen
        case UInt8(ascii: ")"): symbol = .rparen
        case UInt8(ascii: ","): symbol = .comma
        case UInt8(ascii: "."): symbol = .dot
        case UInt8(ascii: "*"): symbol = .star
        case UInt8(ascii: ";"): symbol = .semicolon
        case UInt8(ascii: "-"): symbol = .minus
        case UInt8(ascii: "+"): symbol = .plus
        case UInt8(ascii: "/"): symbol = .slash
        case UInt8(ascii: "="):
            if next == UInt8(ascii: "=") { pos += 1 }  // `==` reads as `=`
            symbol = .equal
        case UInt8(ascii: "!") where next == UInt8(ascii: "="):
            pos += 1; symbol = .notEqual
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: "=") { pos += 1; symbol = .lessEqual }
            else if next == UInt8(ascii: ">") { pos += 1; symbol = .notEqual }
            else { symbol = .less }
        case UInt8(ascii: ">"):
            if next == UInt8(ascii: "=") { pos += 1; symbol = .greaterEqual } else { symbol = .greater }
        default:
            // Step over a whole UTF-8 character so the caret covers it.
            while pos < bytes.count, bytes[pos] & 0xC0 == 0x80 { pos += 1 }
            throw unexpectedCharacter(SourceRange(start, pos))
        }
        return Token(kind: .symbol(symbol), range: SourceRange(start, pos), startsLine: startsLine)
    }

    /// A character that starts no token. Control characters (a NUL byte) are named by code, not
    /// printed; U+FFFD is what a byte that is not UTF-8 was read as.
    private func unexpectedCharacter(_ range: SourceRange) -> Diagnostic {
        let ch = source.slice(range)
        guard let scalar = ch.unicodeScalars.first else { return Diagnostic(.lexer, "unexpected character", at: range) }
        if scalar.value < 0x20 || scalar.value == 0x7F {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: 4 - hex.count) + hex
            return Diagnostic(.lexer, "unexpected control character \(code)", at: range,
                              hint: scalar.value == 0 ? "a NUL byte: is this a binary file?" : "remove it")
        }
        if scalar == "\u{FFFD}" {
            return Diagnostic(.lexer, "invalid UTF-8", at: range,
                              hint: "statements are read as UTF-8; save the file as UTF-8")
        }
        return Diagnostic(.lexer, "unexpected character \"\(ch)\"", at: range,
                          hint: scalar == "`" ? "text is quoted with \" or '" : nil)
    }

    private mutating func skipTrivia() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\n") {
                atLineStart = true
                pos += 1
            } else if isSpace(c) {
                pos += 1
            } else if c == UInt8(ascii: "-"), pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "-") {
                while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
            } else {
                return
            }
        }
    }

    private mutating func string(quote: UInt8) throws(Diagnostic) -> String {
        let start = pos
        pos += 1
        var out: [UInt8] = []
        while pos < bytes.count {
            let c = bytes[pos]
            if c == quote {
                // A doubled quote stands for one quote character, as in SQL.
                if pos + 1 < bytes.count, bytes[pos + 1] == quote {
                    out.append(quote); pos += 2; continue
                }
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\"), pos + 1 < bytes.count {
                let e = bytes[pos + 1]
                switch e {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                default: out.append(e)
                }
                pos += 2
                continue
            }
            out.append(c)
            pos += 1
        }
        var d = Diagnostic(.lexer, "unterminated text", at: SourceRange(start, start + 1),
                           hint: "close it with \(quote == UInt8(ascii: "\"") ? "\"" : "'")")
        d.isUnexpectedEnd = true
        throw d
    }

    private mutating func number() throws(Diagnostic) -> TokenKind {
        let start = pos
        while pos < bytes.count, isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "_") { pos += 1 }
        // YYYY-MM-DD, optionally followed by THH:MM[:SS][Z].
        if pos - start == 4, pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "-"), isDigit(bytes[pos + 1]) {
            var end = pos
            while end < bytes.count, isDigit(bytes[end]) || bytes[end] == UInt8(ascii: "-") { end += 1 }
            var text = String(decoding: bytes[start..<end], as: UTF8.self)
            var isDateTime = false
            if end < bytes.count, bytes[end] == UInt8(ascii: "T"), end + 1 < bytes.count, isDigit(bytes[end + 1]) {
                end += 1
                while end < bytes.count, isDigit(bytes[end]) || bytes[end] == UInt8(ascii: ":") { end += 1 }
                if end < bytes.count, bytes[end] == UInt8(ascii: "Z") { end += 1 }
                text = String(decoding: bytes[start..<end], as: UTF8.self)
                isDateTime = true
            }
            pos = end
            if isDateTime, let s = Day.parseDateTime(text) { return .datetime(s) }
            if !isDateTime, let d = Day.parse(text) { return .date(d) }
            throw Diagnostic(.lexer, "\"\(text)\" is not a valid \(isDateTime ? "date and time" : "date")",
                             at: SourceRange(start, end),
                             hint: isDateTime ? "write it as YYYY-MM-DDTHH:MM:SS" : "write dates as YYYY-MM-DD")
        }
        var digits = String(String(decoding: bytes[start..<pos], as: UTF8.self).filter { $0 != "_" })
        var places = 0
        if pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "."), isDigit(bytes[pos + 1]) {
            pos += 1
            let fracStart = pos
            while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
            places = pos - fracStart
            digits += String(decoding: bytes[fracStart..<pos], as: UTF8.self)
        }
        if pos < bytes.count, isLetter(bytes[pos]) {
            let s = pos
            while pos < bytes.count, isLetter(bytes[pos]) || isDigit(bytes[pos]) { pos += 1 }
            throw Diagnostic(.lexer, "a number cannot be followed by letters", at: SourceRange(s, pos),
                             hint: "put a space between them, or quote text with \"")
        }
        guard places <= 6 else {
            throw Diagnostic(.lexer, "too many decimal places (at most 6)", at: SourceRange(start, pos))
        }
        guard let value = Int64(digits) else {
            throw Diagnostic(.lexer, "number out of range", at: SourceRange(start, pos),
                             hint: "numbers have at most 18 digits")
        }
        return places == 0 ? .integer(value) : .decimal(digits: value, places: places)
    }

    private func isLetter(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == UInt8(ascii: "_")
    }
    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }
}
