/// The human table (psql's aligned style) and Markdown.
///
/// ```
///  id | name           | stage       |     value
/// ----+----------------+-------------+-----------
///   7 | Acme – Renewal | Negotiation | 12,500.00
/// (1 row)
/// ```
enum TableFormatter {
    static func write(_ result: ResultSet, to sink: inout some OutputSink) {
        let (cells, widths) = layout(result, stop: { sink.isCancelled })
        let numeric = result.columns.map { $0.type.isNumeric }
        var header = ""
        for (i, c) in result.columns.enumerated() {
            header += (i == 0 ? " " : " | ") + pad(c.name, widths[i], right: false)
        }
        sink.write(trimTrailing(header) + "\n")
        sink.write(widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "\n")
        var chunk = ""
        for row in cells {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += (i == 0 ? " " : " | ") + pad(cell, widths[i], right: numeric[i])
            }
            chunk += trimTrailing(line) + "\n"
            if chunk.utf8.count > 1 << 16 {
                if sink.isCancelled { return }  // Ctrl-C, .timeout: nothing more is written
                sink.write(chunk)
                chunk = ""
            }
        }
        sink.write(chunk)
        let n = result.rowCount
        sink.write("(\(CellText.grouped(String(n))) \(n == 1 ? "row" : "rows"))\n")
    }

    static func writeMarkdown(_ result: ResultSet, to sink: inout some OutputSink) {
        let (cells, widths) = layout(result, escapePipes: true, stop: { sink.isCancelled })
        let numeric = result.columns.map { $0.type.isNumeric }
        sink.write("| " + result.columns.enumerated().map { pad(escape($1.name), widths[$0], right: false) }
            .joined(separator: " | ") + " |\n")
        sink.write("|" + widths.enumerated().map { i, w in
            numeric[i] ? " " + String(repeating: "-", count: max(w - 1, 2)) + ": " : " " + String(repeating: "-", count: max(w, 3)) + " "
        }.joined(separator: "|") + "|\n")
        var chunk = ""
        for row in cells {
            chunk += "| " + row.enumerated().map { pad($1, widths[$0], right: numeric[$0]) }.joined(separator: " | ") + " |\n"
            if chunk.utf8.count > 1 << 16 {
                if sink.isCancelled { return }  // Ctrl-C, .timeout: nothing more is written
                sink.write(chunk)
                chunk = ""
            }
        }
        sink.write(chunk)
    }

    /// Every cell's text and each column's width; `stop` is asked once per block of rows (Ctrl-C).
    private static func layout(_ result: ResultSet, escapePipes: Bool = false, stop: () -> Bool) -> ([[String]], [Int]) {
        var widths = result.columns.map { (escapePipes ? escape($0.name) : $0.name).count }
        var cells: [[String]] = []
        cells.reserveCapacity(result.rowCount)
        for r in 0..<result.rowCount {
            if r & 4095 == 0 && stop() { break }
            var row: [String] = []
            row.reserveCapacity(result.columns.count)
            for c in 0..<result.columns.count {
                var s = CellText.human(result.value(row: r, column: c))
                if escapePipes { s = escape(s) }
                widths[c] = max(widths[c], s.count)
                row.append(s)
            }
            cells.append(row)
        }
        return (cells, widths)
    }

    private static func escape(_ s: String) -> String {
        s.contains("|") ? s.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") : s
    }

    private static func pad(_ s: String, _ width: Int, right: Bool) -> String {
        let n = width - s.count
        if n <= 0 { return s }
        let spaces = String(repeating: " ", count: n)
        return right ? spaces + s : s + spaces
    }

    private static func trimTrailing(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
