/// `.width`, `.rows`, `.chart` and `.pager`: how results look at a terminal (and on a pipe, once set).
extension ShellCommands {
    /// The narrowest `.width`: a table of two short columns still fits.
    static let minimumWidth = 20

    static func display(_ command: ShellCommand, _ argument: String?, at range: SourceRange?,
                        settings: inout DisplayOptions, console: inout some Console) throws(Diagnostic) {
        switch command {
        case .width:
            guard let argument else {
                console.write("width: " + describeWidth(settings) + "\n")
                return
            }
            if argument.lowercased() == "auto" { settings.width = nil; return }
            guard let n = Int(argument), n >= minimumWidth, n <= 10_000 else {
                throw Diagnostic(.shell, "\"\(argument)\" is not a width", at: range,
                                 hint: "give a number of columns from \(minimumWidth), or auto for the terminal's width")
            }
            settings.width = n
        case .rows:
            guard let argument else {
                console.write("rows: " + (settings.maxRows.map { "at most \(CellText.grouped(String($0)))" } ?? "all") + "\n")
                return
            }
            if argument.lowercased() == "all" { settings.maxRows = nil; return }
            guard let n = Int(argument), n >= 1 else {
                throw Diagnostic(.shell, "\"\(argument)\" is not a number of rows", at: range,
                                 hint: "give a number from 1, or all to show every row")
            }
            settings.maxRows = n
        case .chart:
            let names = ChartStyle.allCases.map(\.rawValue)
            guard let argument else {
                console.write("chart: \(settings.chart.rawValue)\n")
                return
            }
            guard let style = ChartStyle(rawValue: argument.lowercased()) else {
                throw Diagnostic(.shell, ".chart takes \(names.joined(separator: ", "))", at: range,
                                 hint: Suggestions.didYouMean(argument, in: names)
                                     ?? "on draws bars, funnel a sales funnel, off tables")
            }
            settings.chart = style
        case .pager:
            guard let argument else {
                console.write("pager: \(settings.pager ? "on" : "off")\n")
                return
            }
            guard ["on", "off"].contains(argument.lowercased()) else {
                throw Diagnostic(.shell, ".pager takes on or off", at: range,
                                 hint: Suggestions.didYouMean(argument, in: ["on", "off"]))
            }
            settings.pager = argument.lowercased() == "on"
        default:
            break
        }
    }

    private static func describeWidth(_ settings: DisplayOptions) -> String {
        if let w = settings.width { return "\(w) columns (set with .width; .width auto follows the terminal)" }
        if let w = settings.terminalWidth { return "\(w) columns (the terminal's)" }
        return "unlimited (not a terminal)"
    }
}
