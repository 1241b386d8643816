/// `as of 2026-03-31`, `as of last quarter`, `as of today`: a query of the data as it stood at the
/// end of that day, or of the period's last day (a date-time is the moment itself).
public struct AsOfSyntax: Equatable, Sendable {
    /// A date, a date-time, `today`/`yesterday`/`tomorrow`, or a period (`last quarter`).
    public var point: Literal
    /// From `as` to the end of the date or period.
    public var range: SourceRange

    public init(point: Literal, range: SourceRange) {
        self.point = point
        self.range = range
    }
}
