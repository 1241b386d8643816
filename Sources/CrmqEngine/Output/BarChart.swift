/// Grouped counts and sums drawn as bars (`--chart`, `.chart on`), or as a funnel (`.chart funnel`):
///
/// ```
///  stage                count
///  Prospecting            818 ████████████████████████████████████████
///  Qualification          689 █████████████████████████████████▋
///  Needs Analysis         512 █████████████████████████
/// (8 rows)
/// ```
/// The bars measure the first number column and share the width left after the labels and numbers.
/// The funnel centres its bars and adds each group's share of the first group and of the one before:
/// where the deals drop out.
enum BarChart {
    /// Bars are never narrower than this; the labels are cut first.
    static let minimumBar = 10
    /// Nor wider: past this a longer bar tells nothing more.
    static let maximumBar = 60
    /// Where no width is known (a pipe with `.chart on`), charts take this many columns.
    static let defaultWidth = 80
    private static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The number of leading label columns when the result can be drawn: one or more group
    /// columns followed only by numbers; nil for anything else (a plain total, a `find`, a result
    /// `with totals`, whose totals would dwarf the bars of its groups).
    static func labelColumns(of result: ResultSet) -> Int? {
        guard result.totals.isEmpty, let firstNumber = result.columns.firstIndex(where: \.type.isNumeric), firstNumber > 0 else { return nil }
        return result.columns[firstNumber...].allSatisfy(\.type.isNumeric) ? firstNumber : nil
    }

    static func write(_ result: ResultSet, style chartStyle: ChartStyle, options: DisplayOptions,
                      to sink: inout some OutputSink) {
        guard let labelCount = labelColumns(of: result) else { return }
        let shown = min(result.rowCount, options.maxRows ?? result.rowCount)
        let funnel = chartStyle == .funnel
        let style = Style(color: options.color)

        var labels: [String] = []
        var numbers: [[String]] = []
        var measures: [Double] = []
        for r in 0..<shown {
            labels.append((0..<labelCount).map { label(result.value(row: r, column: $0)) }.joined(separator: " / "))
            numbers.append((labelCount..<result.columns.count).map { CellText.human(result.value(row: r, column: $0)) })
            measures.append(magnitude(result.value(row: r, column: labelCount)))
        }
        var numberHeaders = result.columns[labelCount...].map(\.name)
        if funnel {
            numberHeaders += ["of first", "of previous"]
            for r in 0..<shown {
                numbers[r] += [share(measures[r], of: measures.first ?? 0), r == 0 ? "" : share(measures[r], of: measures[r - 1])]
            }
        }
        let labelHeader = result.columns[..<labelCount].map(\.name).joined(separator: " / ")
        let numberWidths = numberHeaders.indices.map { c in
            numbers.reduce(TextWidth.of(numberHeaders[c])) { max($0, TextWidth.of($1[c])) }
        }
        // " label  n1  n2  bar": the label gives up room before the bar drops under its minimum.
        let width = options.effectiveWidth ?? defaultWidth
        let fixed = 1 + numberWidths.reduce(0) { $0 + $1 + 2 } + 2
        var labelWidth = labels.reduce(TextWidth.of(labelHeader)) { max($0, TextWidth.of($1)) }
        labelWidth = max(min(labelWidth, width - fixed - minimumBar - 1), min(labelWidth, TerminalTable.minimumTextWidth))
        let barWidth = min(maximumBar, max(minimumBar, width - fixed - labelWidth - 1))

        var header = " " + style.bold(TextWidth.pad(TextWidth.truncate(labelHeader, to: labelWidth), to: labelWidth, right: false))
        for (c, name) in numberHeaders.enumerated() {
            header += "  " + style.bold(TextWidth.pad(name, to: numberWidths[c], right: true))
        }
        sink.write(header + "\n")
        let largest = measures.max() ?? 0
        var chunk = ""
        for r in 0..<shown {
            var line = " " + TextWidth.pad(TextWidth.truncate(labels[r], to: labelWidth), to: labelWidth, right: false)
            for (c, n) in numbers[r].enumerated() {
                line += "  " + TextWidth.pad(n, to: numberWidths[c], right: true)
            }
            let fraction = largest > 0 ? max(0, measures[r]) / largest : 0
            let bar = funnel ? centred(fraction, width: barWidth) : bar(fraction, width: barWidth)
            chunk += TerminalTable.trimTrailing(line + "  " + bar) + "\n"
        }
        sink.write(chunk)
        sink.write(TextWidth.wrap(TerminalTable.footer(rows: result.rowCount, shown: shown), width: width))
    }

    /// A bar of `fraction` of `width` columns, to an eighth of a column; a value above zero always shows.
    static func bar(_ fraction: Double, width: Int) -> String {
        let units = Int((fraction * Double(width * 8)).rounded())
        if units == 0 { return fraction > 0 ? eighths[1] : "" }
        return String(repeating: "█", count: units / 8) + eighths[units % 8]
    }

    /// A bar of whole blocks centred in `width` columns, so that the rows together draw a funnel.
    static func centred(_ fraction: Double, width: Int) -> String {
        var blocks = Int((fraction * Double(width)).rounded())
        if blocks == 0 && fraction > 0 { blocks = 1 }
        // Keep the centring symmetric: the same parity as the widest bar.
        if blocks > 0, (width - blocks) % 2 == 1 { blocks += blocks < width ? 1 : -1 }
        return String(repeating: " ", count: (width - blocks) / 2) + String(repeating: "█", count: blocks)
    }

    /// "70%": `part` as a whole percentage of `whole`; empty when there is nothing to compare with.
    static func share(_ part: Double, of whole: Double) -> String {
        guard whole > 0 else { return "" }
        return "\(Int((part / whole * 100).rounded()))%"
    }

    private static func label(_ v: Value) -> String {
        v.isNull ? "(none)" : CellText.human(v)
    }

    private static func magnitude(_ v: Value) -> Double {
        switch v {
        case .int(let n): Double(n)
        case .money(let c), .percent(let c), .decimal(let c): Double(c) / 100
        default: 0
        }
    }
}
