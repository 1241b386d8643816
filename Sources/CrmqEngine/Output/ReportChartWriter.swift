/// The chart a report draws under its table at a terminal (never on a pipe or file): the funnel's
/// centred bars, plain bars, or the dashboard's panel. Colour only when the table has it.
///
/// ```
///  stage              reached
///  Prospecting          2,000  ████████████████████████████████████████
///  Qualification        1,391        ███████████████████████████
/// ```
enum ReportChartWriter {
    static func write(_ table: ReportTable, options: DisplayOptions, to sink: inout some OutputSink) {
        let result = table.result
        switch table.chart {
        case .none:
            return
        case .funnel(let column, let skipLast):
            let rows = max(0, result.rowCount - skipLast)
            sink.write("\n")
            sink.write(bars(result, column: column, rows: rows, centred: true, options: options))
        case .bars(let column):
            sink.write("\n")
            sink.write(bars(result, column: column, rows: result.rowCount, centred: false, options: options))
        case .dashboard(let figures):
            sink.write(dashboard(figures, options: options))
        }
    }

    /// The dashboard's panel: the figures in two columns when the width allows (pipeline on the
    /// left, results on the right), then the open deals by stage as bars.
    ///
    /// ```
    ///  open deals               6,133   won this quarter     4,397,684.83
    ///  open pipeline   161,185,914.66   won last quarter     7,212,093.11
    /// ```
    static func dashboard(_ d: DashboardFigures, options: DisplayOptions) -> String {
        let style = Style(color: options.color)
        let cells = d.figures.map { (label: $0.0, value: CellText.human($0.1)) }
        let labelWidth = cells.map { TextWidth.of($0.label) }.max() ?? 0
        let valueWidth = cells.map { TextWidth.of($0.value) }.max() ?? 0
        let cellWidth = labelWidth + 2 + valueWidth
        let width = options.effectiveWidth ?? BarChart.defaultWidth
        func cell(_ c: (label: String, value: String)) -> String {
            TextWidth.pad(c.label, to: labelWidth, right: false) + "  " + style.bold(TextWidth.pad(c.value, to: valueWidth, right: true))
        }
        var out = ""
        // Pipeline figures left, results right; one column on a narrow screen.
        let left = [0, 1, 2, 7].filter { $0 < cells.count }, right = [3, 4, 5, 6].filter { $0 < cells.count }
        if width >= 1 + cellWidth * 2 + 4 {
            for i in 0..<max(left.count, right.count) {
                var line = " " + (i < left.count ? cell(cells[left[i]]) : String(repeating: " ", count: cellWidth))
                if i < right.count { line += "    " + cell(cells[right[i]]) }
                out += TerminalTable.trimTrailing(line) + "\n"
            }
        } else {
            for i in left + right { out += TerminalTable.trimTrailing(" " + cell(cells[i])) + "\n" }
        }
        if !d.stages.isEmpty {
            let result = ResultSet(columns: [ResultColumn("open deals by stage", .text), ResultColumn("deals", .int)],
                                   rows: d.stages.map { [.text($0.0), .int($0.1)] })
            out += "\n" + bars(result, column: 1, rows: result.rowCount, centred: false, options: options)
        }
        return out
    }

    /// One line per row: its first column, the number, a bar scaled to the largest.
    static func bars(_ result: ResultSet, column: Int, rows: Int, centred: Bool, options: DisplayOptions) -> String {
        let style = Style(color: options.color)
        let labels = (0..<rows).map { r in
            let v = result.value(row: r, column: 0)
            return v.isNull ? "(none)" : CellText.human(v)
        }
        let values = (0..<rows).map { result.value(row: $0, column: column) }
        let numbers = values.map(CellText.human)
        let measures = values.map { Double(ReportFigures.cents($0)) }
        let labelHeader = result.columns[0].name, numberHeader = result.columns[column].name
        let numberWidth = numbers.reduce(TextWidth.of(numberHeader)) { max($0, TextWidth.of($1)) }
        let width = options.effectiveWidth ?? BarChart.defaultWidth
        let fixed = 1 + numberWidth + 2 + 2
        var labelWidth = labels.reduce(TextWidth.of(labelHeader)) { max($0, TextWidth.of($1)) }
        labelWidth = max(min(labelWidth, width - fixed - BarChart.minimumBar - 1), min(labelWidth, TerminalTable.minimumTextWidth))
        let barWidth = min(BarChart.maximumBar, max(BarChart.minimumBar, width - fixed - labelWidth - 1))
        var out = " " + style.bold(TextWidth.pad(TextWidth.truncate(labelHeader, to: labelWidth), to: labelWidth, right: false))
            + "  " + style.bold(TextWidth.pad(numberHeader, to: numberWidth, right: true)) + "\n"
        let largest = measures.max() ?? 0
        for r in 0..<rows {
            let fraction = largest > 0 ? max(0, measures[r]) / largest : 0
            let bar = centred ? BarChart.centred(fraction, width: barWidth) : BarChart.bar(fraction, width: barWidth)
            let line = " " + TextWidth.pad(TextWidth.truncate(labels[r], to: labelWidth), to: labelWidth, right: false)
                + "  " + TextWidth.pad(numbers[r], to: numberWidth, right: true) + "  " + bar
            out += TerminalTable.trimTrailing(line) + "\n"
        }
        return out
    }
}
