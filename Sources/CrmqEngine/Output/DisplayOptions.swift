/// How results look to a person: the width to fit, how many rows to show, colour, charts.
///
/// The defaults are the plain output of pipes and files (every row, no width limit, no colour),
/// which scripts and the golden tests rely on byte for byte. The command line fills in the
/// terminal's width, a row limit and colour when standard output is a terminal; `.width`,
/// `.rows` and `.chart` change them.
public struct DisplayOptions: Sendable, Equatable {
    /// The width of the terminal results go to, refreshed before each statement; nil on a pipe or file.
    public var terminalWidth: Int?
    /// `.width N`: the most columns a table or chart may take, on a terminal or not; nil follows the terminal.
    public var width: Int?
    /// The most rows a table shows (`.rows N`); nil shows every row.
    public var maxRows: Int?
    /// Colour for headers and nulls: only at a terminal, and never with NO_COLOR set.
    public var color = false
    /// Grouped counts and sums as bars (`--chart`, `.chart on|funnel`).
    public var chart: ChartStyle = .off
    /// `.pager on|off`: at a terminal, a result taller than the screen goes through `$PAGER`
    /// (the command line decides whether there is a terminal and a pager to use).
    public var pager = true

    public init() {}

    /// The rows a terminal shows unless `.rows` says otherwise: enough to see a result's shape,
    /// few enough that a million-row `find` does not flood the screen.
    public static let terminalRows = 50

    /// The width results must fit, if any.
    public var effectiveWidth: Int? { width ?? terminalWidth }

    /// True when tables come out exactly as on a pipe: no fitting, no row limit, no colour.
    var isPlain: Bool { effectiveWidth == nil && maxRows == nil && !color }
}

/// How `.chart` draws a grouped result.
public enum ChartStyle: String, Sendable, CaseIterable {
    /// Tables only.
    case off
    /// A horizontal bar per group, scaled to the largest.
    case bars = "on"
    /// Centred bars, with each group's share of the first and of the one before: the sales funnel.
    case funnel
}
