/// Something wrong with what the user wrote or asked for, pointing at the source.
///
/// Every stage (lexer, parser, binder, executor) reports its errors as a `Diagnostic`,
/// so that one renderer prints them all the same way.
public struct Diagnostic: Error, Sendable, Equatable {
    public enum Stage: String, Sendable {
        case lexer, parser, binder, executor, shell, storage
    }

    public var stage: Stage
    public var message: String
    /// Where in the statement the problem is; `nil` for errors about no particular place.
    public var range: SourceRange?
    /// Shown under the caret: a did-you-mean or what would be accepted.
    public var hint: String?

    public init(_ stage: Stage, _ message: String, at range: SourceRange? = nil, hint: String? = nil) {
        self.stage = stage
        self.message = message
        self.range = range
        self.hint = hint
    }

    /// True when the parser stopped only because the input ended: the shell then asks for more lines.
    public var isUnexpectedEnd: Bool = false

    /// Set when the statement did not fail but was stopped (Ctrl-C, `.timeout`): a run stops
    /// after Ctrl-C even with `keepGoing`.
    public var cancelled: Cancellation.Reason?

    /// Lines printed after the caret: the other bad rows of an import.
    public var notes: [String] = []
}

/// Prints a diagnostic in the house style:
/// ```
/// error: unknown field "vaule" on opportunities
///  --> query:1:36
/// 1 | find opportunities where stage = "Won" and vaule > 10000
///   |                                            ^^^^^ did you mean "value"?
/// ```
/// A generated statement may be one 10 MB line: then only a window of the line around the caret
/// is shown, and long quoted names in the message are shortened.
public enum DiagnosticRenderer {
    /// Lines up to this many bytes are shown whole.
    static let wholeLine = 160
    /// Around the caret of a longer line, this many bytes either side (and of the caret's span).
    static let context = 60

    public static func render(_ d: Diagnostic, in source: SourceText?, color: Bool = false) -> String {
        let red = color ? "\u{1B}[1;31m" : ""
        let blue = color ? "\u{1B}[1;34m" : ""
        let reset = color ? "\u{1B}[0m" : ""
        var out = "\(red)error\(reset): \(shorten(d.message))\n"
        let hint = d.hint.map(shorten)
        let notes = d.notes.map { shorten($0) + "\n" }.joined()
        guard let source, let range = d.range else {
            if let hint { out += "  = hint: \(hint)\n" }
            return out + notes
        }
        let (line, column) = source.location(of: range.start)
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        out += "\(pad)\(blue)-->\(reset) \(source.name):\(line):\(column)\n"
        let shown = excerpt(source, range)
        out += "\(blue)\(gutter) |\(reset) \(shown.text)\n"
        // Tabs in the source keep the caret aligned.
        let lead = shown.lead.map { $0 == "\t" ? "\t" : " " }.joined()
        out += "\(pad) \(blue)|\(reset) \(lead)\(red)\(String(repeating: "^", count: shown.width))\(reset)"
        if let hint { out += " \(hint)" }
        out += "\n"
        return out + notes
    }

    /// The part of the line shown, the characters before the caret in it, and the caret's width:
    /// the range clipped to its first line, at least one caret.
    private static func excerpt(_ source: SourceText, _ range: SourceRange) -> (text: String, lead: [Character], width: Int) {
        let bytes = source.bytes
        let line = source.lineRange(containing: range.start)
        let start = min(max(range.start, line.start), line.end)
        let end = min(max(range.end, start), line.end)
        var from = line.start, to = line.end
        if line.length > wholeLine {
            from = min(start, boundary(bytes, max(line.start, start - context)))
            to = boundary(bytes, min(line.end, min(end, start + context) + context))
        }
        func piece(_ a: Int, _ b: Int) -> String { visible(String(decoding: bytes[a..<b], as: UTF8.self)) }
        let before = (from > line.start ? "..." : "") + piece(from, start)
        let span = piece(start, min(end, to))
        let text = before + span + piece(min(end, to), to) + (to < line.end ? "..." : "")
        return (text, Array(before), max(1, span.count))
    }

    /// The first byte at or after `i` that starts a UTF-8 character.
    private static func boundary(_ bytes: [UInt8], _ i: Int) -> Int {
        var i = i
        while i < bytes.count, bytes[i] & 0xC0 == 0x80 { i += 1 }
        return i
    }

    /// Control characters (a NUL byte, an escape) drawn as their visible pictures (U+2400...),
    /// so an error about one does not garble the terminal; tabs stay for alignment.
    static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) else { return s }
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            if c.value < 0x20 && c != "\t" { out.append(Unicode.Scalar(0x2400 + c.value)!) }
            else if c.value == 0x7F { out.append(Unicode.Scalar(0x2421)!) }
            else { out.append(c) }
        }
        return String(out)
    }

    /// A message or hint with each very long quoted part cut in its middle (a 1 MB name or text
    /// is quoted in full by the stage that found it) and control characters made visible.
    static func shorten(_ message: String) -> String {
        guard message.utf8.count > 200 else { return visible(message) }
        let parts = message.split(separator: "\"", omittingEmptySubsequences: false)
        let clipped = parts.enumerated().map { i, part -> String in
            guard i % 2 == 1, part.count > 60 else { return String(part) }
            return "\(part.prefix(40))...\(part.suffix(10))"
        }
        var text = clipped.joined(separator: "\"")
        if text.count > 400 { text = "\(text.prefix(300))...\(text.suffix(60))" }
        return visible(text)
    }
}
