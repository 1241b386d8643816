/// `report KIND [for pipeline P] [PERIOD] [by KEY] [where CONDITION]`: a CRM report, run as plain
/// crmq statements (Reports/). Which clauses a kind takes the binder checks, against the report's
/// definition.
public struct ReportSyntax: Equatable, Sendable {
    /// `funnel`, `forecast`, ...: checked against the report registry by the binder.
    public var kind: Name
    /// `for pipeline "Enterprise"`: the pipeline's name as written, and where.
    public var pipeline: Name?
    public var period: ReportPeriodSyntax?
    /// `by owner`, `by owner.team`, `by month`: what the rows are.
    public var groupBy: Path?
    public var filter: ReportCondition?
    /// `as of DATE|PERIOD` (filled in by the `as of` parser): the cut-off, spliced after the entity
    /// of every statement the report runs (`count opportunities as of 2026-03-31 ...`).
    public var asOf: Expr? = nil
    public var range: SourceRange
}

/// The period of a report: `this quarter`, `last month`, `last 90 days`, `next 2 weeks`,
/// `this fiscal year`, `between 2026-01-01 and 2026-03-31`.
public enum ReportPeriodSyntax: Equatable, Sendable {
    case window(Window, SourceRange)
    case between(Expr, Expr, SourceRange)

    public var range: SourceRange {
        switch self {
        case .window(_, let r), .between(_, _, let r): r
        }
    }
}

/// The user's `where` of a report: the condition, and its canonical text (comments dropped, one
/// line) that the report splices into each of its statements. `pieces` map each token of the
/// text back to where the user wrote it, so that an error found in a generated statement points
/// at the user's text.
public struct ReportCondition: Equatable, Sendable {
    public var condition: Condition
    public var text: String
    public var pieces: [Piece]

    /// One token: its byte range in `text`, and in the user's source.
    public struct Piece: Equatable, Sendable {
        public var text: SourceRange
        public var source: SourceRange
    }

    /// The user's range for `range` of `text` (clipped to the tokens it touches).
    public func sourceRange(of range: SourceRange) -> SourceRange? {
        guard let first = pieces.first(where: { $0.text.end > range.start }),
              let last = pieces.last(where: { $0.text.start < max(range.end, range.start + 1) }) else { return nil }
        return first.source.union(last.source)
    }
}
