/// Spelling values into the statements a report runs, as a user would type them.
enum ReportText {
    /// `"Closed Won"`, with the lexer's escapes.
    static func quoted(_ s: String) -> String {
        Parser.spelling(.string(s))
    }

    /// `("Proposal", "Negotiation")`.
    static func list(_ values: [String]) -> String {
        "(" + values.map(quoted).joined(separator: ", ") + ")"
    }

    /// ` as of 2026-03-31 where owner.team = "DACH"` for a caption, or nothing.
    static func narrowed(_ context: ReportContext) -> String {
        (context.asOf.map { " as of \($0)" } ?? "") + (context.condition.map { " where \($0.text)" } ?? "")
    }
}
