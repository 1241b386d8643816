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
}

/// Prints a diagnostic in the house style:
/// ```
/// error: unknown field "vaule" on opportunities
///  --> query:1:36
/// 1 | find opportunities where stage = "Won" and vaule > 10000
///   |                                            ^^^^^ did you mean "value"?
/// ```
public enum DiagnosticRenderer {
    public static func render(_ d: Diagnostic, in source: SourceText?, color: Bool = false) -> String {
        let red = color ? "\u{1B}[1;31m" : ""
        let blue = color ? "\u{1B}[1;34m" : ""
        let reset = color ? "\u{1B}[0m" : ""
        var out = "\(red)error\(reset): \(d.message)\n"
        guard let source, let range = d.range else {
            if let hint = d.hint { out += "  = hint: \(hint)\n" }
            return out
        }
        let (line, column) = source.location(of: range.start)
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        out += "\(pad)\(blue)-->\(reset) \(source.name):\(line):\(column)\n"
        let text = source.lineText(containing: range.start)
        out += "\(blue)\(gutter) |\(reset) \(text)\n"
        // The caret spans the range, clipped to its first line; at least one caret.
        let lineChars = Array(text)
        let startCol = min(column - 1, lineChars.count)
        let endLoc = source.location(of: range.end)
        let endCol = endLoc.line == line ? endLoc.column - 1 : lineChars.count
        let width = max(1, endCol - startCol)
        // Tabs in the source keep the caret aligned.
        let lead = lineChars.prefix(startCol).map { $0 == "\t" ? "\t" : " " }.joined()
        out += "\(pad) \(blue)|\(reset) \(lead)\(red)\(String(repeating: "^", count: width))\(reset)"
        if let hint = d.hint { out += " \(hint)" }
        out += "\n"
        return out
    }
}
