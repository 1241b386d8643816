/// The human table (psql's aligned style) and Markdown.
///
/// ```
///  id | name           | stage       |     value
/// ----+----------------+-------------+-----------
///   7 | Acme – Renewal | Negotiation | 12,500.00
/// (1 row)
/// ```
///
/// Both are written a block at a time as the rows are read, so that a million-row result does not
/// become a million strings: a first pass over the rows measures the columns without keeping a
/// cell, the second formats each row again and writes it.
enum TableFormatter {
    /// `footer: false` leaves out the "(N rows)" line (a view's sections say "and N more" instead).
    static func write(_ result: ResultSet, footer: Bool = true, to sink: inout some OutputSink) {
        // A short result keeps its cells from the measuring pass (a point lookup pays for them once).
        let cells = result.rowCount <= 64 ? (0..<result.rowCount).flatMap { r in (0..<result.columns.count).map { cellText(result, r, $0) } } : nil
        let widths = cells.map { measure(result, $0) } ?? measure(result, stop: { sink.isCancelled })
        let numeric = result.columns.map { $0.type.isNumeric }
        var header = ""
        for (i, c) in result.columns.enumerated() {
            header += (i == 0 ? " " : " | ") + pad(c.name, widths[i], right: false)
        }
        sink.write(trimTrailing(header) + "\n")
        sink.write(widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "\n")
        var chunk = ""
        for r in 0..<result.rowCount {
            var line = ""
            for c in 0..<result.columns.count {
                let cell = cells?[r * result.columns.count + c] ?? cellText(result, r, c)
                line += (c == 0 ? " " : " | ") + pad(cell, widths[c], right: numeric[c])
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
        if footer { sink.write("(\(CellText.grouped(String(n))) \(n == 1 ? "row" : "rows"))\n") }
    }

    static func writeMarkdown(_ result: ResultSet, to sink: inout some OutputSink) {
        let widths = measure(result, escapePipes: true, stop: { sink.isCancelled })
        let numeric = result.columns.map { $0.type.isNumeric }
        sink.write("| " + result.columns.enumerated().map { pad(escape($1.name), widths[$0], right: false) }
            .joined(separator: " | ") + " |\n")
        sink.write("|" + widths.enumerated().map { i, w in
            numeric[i] ? " " + String(repeating: "-", count: max(w - 1, 2)) + ": " : " " + String(repeating: "-", count: max(w, 3)) + " "
        }.joined(separator: "|") + "|\n")
        var chunk = ""
        for r in 0..<result.rowCount {
            chunk += "| " + (0..<result.columns.count).map { c in
                pad(escape(cellText(result, r, c)), widths[c], right: numeric[c])
            }.joined(separator: " | ") + " |\n"
            if chunk.utf8.count > 1 << 16 {
                if sink.isCancelled { return }  // Ctrl-C, .timeout: nothing more is written
                sink.write(chunk)
                chunk = ""
            }
        }
        sink.write(chunk)
    }

    /// The width of each column: its header's or its widest cell's, in characters; `stop` is
    /// asked once per block of rows (Ctrl-C).
    private static func measure(_ result: ResultSet, escapePipes: Bool = false, stop: () -> Bool) -> [Int] {
        var widths = result.columns.map { (escapePipes ? escape($0.name) : $0.name).count }
        for r in 0..<result.rowCount {
            if r & 4095 == 0 && stop() { break }
            for c in 0..<result.columns.count {
                var s = cellText(result, r, c)
                if escapePipes { s = escape(s) }
                widths[c] = max(widths[c], characters(s))
            }
        }
        return widths
    }

    /// The widths from cells already made (row after row).
    private static func measure(_ result: ResultSet, _ cells: [String]) -> [Int] {
        var widths = result.columns.map { $0.name.count }
        let n = widths.count
        for (i, s) in cells.enumerated() { widths[i % n] = max(widths[i % n], characters(s)) }
        return widths
    }

    /// A cell as the table shows it: a rolled-up key of a `with totals` row reads `total`.
    private static func cellText(_ result: ResultSet, _ r: Int, _ c: Int) -> String {
        result.isTotal(row: r, column: c) ? ResultSet.totalLabel : CellText.human(result.value(row: r, column: c))
    }

    private static func escape(_ s: String) -> String {
        s.contains("|") ? s.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") : s
    }

    /// The number of characters in `s`, counted fast for ASCII (most cells).
    private static func characters(_ s: String) -> Int {
        s.utf8.allSatisfy { $0 < 0x80 } ? s.utf8.count : s.count
    }

    private static func pad(_ s: String, _ width: Int, right: Bool) -> String {
        let n = width - characters(s)
        if n <= 0 { return s }
        let spaces = String(repeating: " ", count: n)
        return right ? spaces + s : s + spaces
    }

    /// `s` without its trailing spaces, found on its bytes (a space is one byte in UTF-8).
    private static func trimTrailing(_ s: String) -> String {
        let bytes = s.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: " ") { end = bytes.index(before: end) }
        return end == bytes.endIndex ? s : String(s[..<end])
    }
}
