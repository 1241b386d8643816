/// Cuts a script that arrives a block at a time (a pipe, a file read in blocks) into pieces that
/// can run as soon as they are complete, so that a program can drive crmq statement by statement
/// and a long script never has to be held whole.
///
/// A piece is a run of whole lines holding one or more statements. It ends where the parser would
/// end a statement anyway:
/// - after a line whose last token is `;` (or a shell command's line): it runs at once;
/// - before a line that starts a new statement (`find`, `count`, `.format`, ...): a statement
///   without `;` runs when the next statement's first line arrives, or at the end of the input.
///
/// Each place found by a quick scan of the bytes (quotes, `--` comments, the first word of a line)
/// is confirmed by the real lexer and parser, with the `--keep-going` recovery `Session.run` does,
/// before the piece is handed out; where they disagree (a statement that goes on past a line
/// starting with `sum`, a broken statement whose later lines belong to it), the lines stay
/// together. So a piece runs exactly as it did when the whole script was parsed at once, and its
/// diagnostics name lines of the whole input (`SourceText.firstLine`).
public struct StatementStream {
    /// The name diagnostics give the input ("stdin", a file's path).
    public let name: String
    /// Bytes received, from `consumed` on not yet taken as lines.
    private var received: [UInt8] = []
    private var consumed = 0
    /// Where the search for the next line break resumes: `received` before it holds none.
    private var searched = 0
    /// The whole lines gathered for the next piece.
    private var pending: [UInt8] = []
    /// The number of `pending`'s first line, and of the next line to come.
    private var pendingFirstLine = 1
    private var nextLine = 1
    /// True once `pending` holds more than blank lines and comments.
    private var pendingHasContent = false
    /// The quote of a text literal left open at the end of the last line.
    private var openQuote: UInt8?
    /// Pieces ready to run, in order.
    private var ready: [Piece] = []
    private var atEnd = false
    /// Places the parser did not confirm in a row, and the size of `pending` at the last one:
    /// after many, confirming waits until `pending` doubles, so that a statement of many lines
    /// that each look like a new statement costs linear time, not quadratic.
    private var refusals = 0
    private var refusedSize = 0

    public init(name: String) { self.name = name }

    /// Statements to run: those of `source` that start before byte `end`. The text may go on
    /// with the line of the next statement, which the parser needs to see to say what it says
    /// at the whole input (a statement cut off by the next line's statement).
    public struct Piece: Sendable {
        public let source: SourceText
        public let end: Int
    }

    /// Adds the next bytes of the input (any amount: a line may be cut anywhere, even inside a character).
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        received.append(contentsOf: bytes)
    }

    /// Marks the end of the input: what is left runs as the last piece.
    public mutating func finish() { atEnd = true }

    /// True when the input has ended and every piece has been handed out.
    public var isFinished: Bool { atEnd && ready.isEmpty && consumed == received.count && !pendingHasContent }

    /// The next piece to run, or nil when more input is needed (or none is left).
    public mutating func next() -> Piece? {
        while ready.isEmpty {
            guard let lineEnd = nextLineBreak() else {
                guard atEnd else { return nil }
                if consumed < received.count {
                    // A last line without its line break still counts.
                    take(line: consumed..<received.count, breakLength: 0)
                    consumed = received.count
                }
                if pendingHasContent { emit(SourceText(name: name, text: String(decoding: pending, as: UTF8.self),
                                                       firstLine: pendingFirstLine)) }
                pending.removeAll()
                break
            }
            take(line: consumed..<lineEnd, breakLength: 1)
            consumed = lineEnd + 1
            searched = consumed
            compact()
        }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    private mutating func nextLineBreak() -> Int? {
        let found = received[searched...].firstIndex(of: UInt8(ascii: "\n"))
        searched = found ?? received.count
        return found
    }

    /// Drops the lines already taken once they are a good part of the buffer.
    private mutating func compact() {
        if consumed >= 1 << 16 && consumed * 2 >= received.count {
            received.removeSubrange(0..<consumed)
            searched -= consumed
            consumed = 0
        }
    }

    /// Adds one line (and its line break) to the piece being gathered, handing out the piece
    /// before it or with it where a statement ends.
    private mutating func take(line range: Range<Int>, breakLength: Int) {
        let lineBytes = received[range.lowerBound..<(range.upperBound + breakLength)]
        let shape = scan(received[range])
        if shape.startsStatement && pendingHasContent && willAsk(.beforeStatement, size: pending.count + lineBytes.count) {
            var text = pending
            text.append(contentsOf: lineBytes)
            offer(text, endingAt: pending.count)
        }
        if !pendingHasContent {
            // Blank lines and comments before a statement run nothing: keep no piece for them.
            pending.removeAll(keepingCapacity: pending.capacity <= 1 << 20)
            pendingFirstLine = nextLine
        }
        pending.append(contentsOf: lineBytes)
        nextLine += 1
        if shape.hasContent { pendingHasContent = true }
        let place: Place = shape.endsStatement == true ? .afterSemicolon : .insideText
        if shape.endsStatement != nil && pendingHasContent && breakLength > 0 && willAsk(place, size: pending.count) {
            offer(pending, endingAt: pending.count)
        }
    }

    /// Where the quick scan believes a statement may end.
    private enum Place {
        /// After a line ending in `;`: always asked, so that such a line is answered at once.
        case afterSemicolon
        /// Before a line starting with a statement's word: after many refusals in a row, asked
        /// again only once `pending` has doubled.
        case beforeStatement
        /// After a line ending in a `;` that the scan believes inside a text (the lexer may have
        /// resumed on a new line after an error): asked again only once `pending` has doubled.
        case insideText
    }

    /// True when the parser is to be asked about a place, for a text of `size` bytes.
    private func willAsk(_ place: Place, size: Int) -> Bool {
        let patient = place == .insideText || (place == .beforeStatement && refusals >= 8)
        return !patient || size >= 2 * refusedSize
    }

    /// Hands out `pending` as a piece when the parser confirms that its statements end at byte
    /// `offset` of `text` (`pending` plus perhaps the next line).
    private mutating func offer(_ text: [UInt8], endingAt offset: Int) {
        let source = SourceText(name: name, text: String(decoding: text, as: UTF8.self), firstLine: pendingFirstLine)
        // Invalid bytes were decoded as 3-byte replacements; `offset` follows a line break, where
        // decoding the part before it on its own gives the same bytes.
        let end = offset + Self.growth(text[..<offset])
        switch Self.parse(source, before: end) {
        case .ends:
            openQuote = nil
            emit(source, end: end)
        case .continues:
            refusals += 1
            refusedSize = text.count
        case .openText(let quote):
            // The lexer knows better than the scan (it resumed on a new line after an error).
            openQuote = quote
            refusals += 1
            refusedSize = text.count
        }
    }

    private mutating func emit(_ source: SourceText, end: Int? = nil) {
        ready.append(Piece(source: source, end: end ?? source.bytes.count))
        pending.removeAll(keepingCapacity: pending.capacity <= 1 << 20)
        pendingHasContent = false
        pendingFirstLine = nextLine
        refusals = 0
        refusedSize = 0
    }

    /// How many bytes decoding `bytes` as UTF-8 adds (invalid bytes become U+FFFD).
    private static func growth(_ bytes: ArraySlice<UInt8>) -> Int {
        if bytes.allSatisfy({ $0 < 0x80 }) { return 0 }
        return String(decoding: bytes, as: UTF8.self).utf8.count - bytes.count
    }

    /// What the parser makes of a piece's text.
    enum Ending: Equatable {
        /// Every statement begun before the place ends before it.
        case ends
        /// A statement goes on past it.
        case continues
        /// The text ends inside a text literal opened with `quote`.
        case openText(quote: UInt8)
    }

    /// Runs the parser over `source` as `Session.run` does with `--keep-going` (a lexical error
    /// resumes on the next line, a syntax error at the next `;` or statement), and tells whether
    /// every statement begun before byte `offset` also ends before it.
    static func parse(_ source: SourceText, before offset: Int) -> Ending {
        var parser = Parser(source)
        while true {
            while parser.peek.isSymbol(.semicolon) { parser.index += 1 }
            if parser.peek.kind != .end && parser.peek.range.start >= offset { return .ends }
            do {
                guard try parser.nextStatement() != nil else { return .ends }
                if parser.previous.range.end > offset { return .continues }
            } catch {
                if error.isUnexpectedEnd {
                    if error.stage == .lexer, let at = error.range?.start, at < source.bytes.count {
                        return .openText(quote: source.bytes[at])
                    }
                    return .continues
                }
                if let at = error.range?.start, at >= offset { return .continues }
                if error.stage == .lexer {
                    guard let next = source.startOfLine(after: error.range?.start ?? 0) else { return .ends }
                    parser = Parser(source, from: next)
                } else {
                    parser.recover()
                    if parser.previous.range.end > offset { return .continues }
                }
            }
        }
    }

    /// What a quick look at a line tells: whether it starts a statement, holds anything that is
    /// not blank or a comment, and ends a statement.
    private struct LineShape {
        var startsStatement = false
        var hasContent = false
        /// True after a last `;` outside text; false after a last `;` the scan believes inside a
        /// text (the lexer may disagree); nil when the line does not end in `;`.
        var endsStatement: Bool?
    }

    /// Follows quotes and `--` comments through a line, as the lexer does.
    private mutating func scan(_ line: ArraySlice<UInt8>) -> LineShape {
        var shape = LineShape()
        var i = line.startIndex
        let end = line.endIndex
        var last: UInt8 = 0
        var lastInText: UInt8 = 0
        if openQuote == nil {
            while i < end, Self.isBlank(line[i]) { i += 1 }
            if i + 1 < end, line[i] == UInt8(ascii: "."), Self.isLetter(line[i + 1]) {
                // A shell command is its whole line, and complete with it.
                return LineShape(startsStatement: true, hasContent: true, endsStatement: true)
            }
            var j = i
            while j < end, Self.isLetter(line[j]) || Self.isDigit(line[j]) { j += 1 }
            if j > i, Self.isLetter(line[i]), let k = Keyword.lookup(line[i..<j]), Parser.statementKeywords.contains(k) {
                shape.startsStatement = true
            } else if j > i, Keyword.lookup(line[i..<j]) == .set {
                // `set fiscal ...` starts a statement; `set FIELD = ...` goes on an `update`.
                var k = j
                while k < end, Self.isBlank(line[k]) { k += 1 }
                var l = k
                while l < end, Self.isLetter(line[l]) { l += 1 }
                if l > k, Keyword.lookup(line[k..<l]) == .fiscal { shape.startsStatement = true }
            } else if j > i, Keyword.lookup(line[i..<j]) == .show {
                // `show account 42` starts a view; `show name, stage` goes on a `find`.
                var k = j
                while k < end, Self.isBlank(line[k]) { k += 1 }
                var l = k
                while l < end, Self.isLetter(line[l]) || Self.isDigit(line[l]) { l += 1 }
                var m = l
                while m < end, Self.isBlank(line[m]) { m += 1 }
                if l > k, m > l, m < end, Self.isDigit(line[m]) || line[m] == UInt8(ascii: "\"") || line[m] == UInt8(ascii: "'") {
                    shape.startsStatement = true
                }
            }
        } else {
            shape.hasContent = true
        }
        while i < end {
            let c = line[i]
            if let quote = openQuote {
                if !Self.isBlank(c) { lastInText = c }
                if c == quote {
                    // A doubled quote stands for the quote itself.
                    if i + 1 < end, line[i + 1] == quote { i += 2; continue }
                    openQuote = nil
                    last = c
                } else if c == UInt8(ascii: "\\") {
                    i += 2
                    continue
                }
                i += 1
                continue
            }
            if Self.isBlank(c) { i += 1; continue }
            if c == UInt8(ascii: "-"), i + 1 < end, line[i + 1] == UInt8(ascii: "-") { break }
            shape.hasContent = true
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { openQuote = c }
            last = c
            i += 1
        }
        if openQuote == nil {
            shape.endsStatement = last == UInt8(ascii: ";") ? true : nil
        } else {
            shape.endsStatement = lastInText == UInt8(ascii: ";") ? false : nil
        }
        return shape
    }

    private static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D }
    private static func isLetter(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == UInt8(ascii: "_")
    }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
