/// Writes a view's sections in the session's output format.
///
/// - table: a heading per section; the record as `field  value` lines, lists as tables (fitted
///   to the terminal like any result) with "and N more" under a capped one;
/// - csv, tsv: per section a line with its heading, then its table (the record as field,value
///   rows), a blank line between sections;
/// - markdown: a `###` heading per section, then its table;
/// - json: one object whose keys are the sections (`account`, `contacts`, `open_deals`, ...): the
///   record as an object, a list as `{"count": N, "rows": [...]}`, won and lost as an object;
/// - jsonl: one object per section, its name under `section`.
enum ViewWriter {
    static func write(_ results: [ViewResult], title: String, format: OutputFormat, display: DisplayOptions,
                      to sink: inout some OutputSink) {
        switch format {
        case .table: writeText(results, title: title, display: display, to: &sink)
        case .csv, .tsv, .markdown: writeTables(results, title: title, format: format, to: &sink)
        case .json, .jsonl: writeJSON(results, lines: format == .jsonl, to: &sink)
        }
    }

    /// The heading of a section: the view's title for the record, a list with its count.
    static func heading(_ r: ViewResult, title: String, first: Bool) -> String {
        if first { return title }
        switch r.section.shape {
        case .list: return "\(r.section.title) (\(CellText.grouped(String(r.total ?? r.table.rowCount))))"
        case .timeline:
            let n = r.total ?? r.table.rowCount
            return "\(r.section.title) (\(n) \(n == 1 ? "change" : "changes"))"
        case .record, .outcome: return r.section.title
        }
    }

    // MARK: - table

    private static func writeText(_ results: [ViewResult], title: String, display: DisplayOptions,
                                  to sink: inout some OutputSink) {
        let style = Style(color: display.color)
        for (i, r) in results.enumerated() {
            if sink.isCancelled { return }
            if i > 0 { sink.write("\n") }
            sink.write(style.bold(heading(r, title: title, first: i == 0)) + "\n")
            switch r.section.shape {
            case .record:
                writeRecord(r.table, skipId: i == 0, display: display, to: &sink)
            case .list, .timeline, .outcome:
                if r.table.rowCount == 0 {
                    sink.write("  none\n")
                    continue
                }
                var options = display
                options.maxRows = nil
                if options.isPlain {
                    TableFormatter.write(r.table, footer: false, to: &sink)
                } else {
                    TerminalTable.write(r.table, options: options, footer: false, to: &sink)
                }
                if let total = r.total, total > r.table.rowCount {
                    sink.write(" and \(CellText.grouped(String(total - r.table.rowCount))) more\n")
                }
            }
        }
        sink.write("\n")
    }

    /// One record as `  field   value` lines. At a terminal wide enough the pairs go in two or
    /// three columns, down then across, so the record takes a few lines of the screen; values are
    /// cut to the width. On a pipe, one pair a line.
    private static func writeRecord(_ table: ResultSet, skipId: Bool, display: DisplayOptions, to sink: inout some OutputSink) {
        guard table.rowCount > 0 else {
            sink.write("  none\n")
            return
        }
        let style = Style(color: display.color)
        let fields = table.columns.enumerated().filter { !(skipId && $0.element.name == "id") }
        let values = fields.map { table.value(row: 0, column: $0.offset) }
        let texts = values.map { CellText.human($0) }
        let names = fields.map(\.element.name)
        let gap = 4
        /// Each column's key and value widths when the pairs are laid out in `n` columns.
        func layout(_ n: Int) -> [(key: Int, value: Int)] {
            let rows = (names.count + n - 1) / n
            return (0..<n).map { c in
                let range = (c * rows)..<min(names.count, (c + 1) * rows)
                return (range.map { TextWidth.of(names[$0]) }.max() ?? 0, range.map { TextWidth.of(texts[$0]) }.max() ?? 0)
            }
        }
        var widths = layout(1)
        if let width = display.effectiveWidth {
            // As many columns as fit with every value whole, up to three; else one, values cut.
            for n in [3, 2] where names.count >= 2 * n {
                let candidate = layout(n)
                if 2 + candidate.reduce(0) { $0 + $1.key + 2 + $1.value } + gap * (n - 1) <= width {
                    widths = candidate
                    break
                }
            }
            if widths.count == 1 { widths[0].value = max(6, width - widths[0].key - 4) }
        }
        let columns = widths.count
        let rows = (names.count + columns - 1) / columns
        for r in 0..<rows {
            var line = " "
            for c in 0..<columns {
                let i = c * rows + r
                guard i < names.count else { break }
                let text = TextWidth.truncate(texts[i], to: widths[c].value)
                let shown = values[i].isNull && display.color ? style.dim("null") : text
                line += " " + TextWidth.pad(names[i], to: widths[c].key, right: false) + "  " + shown
                if c < columns - 1 { line += String(repeating: " ", count: max(0, widths[c].value - TextWidth.of(text)) + gap - 1) }
            }
            sink.write(TerminalTable.trimTrailing(line) + "\n")
        }
    }

    // MARK: - csv, tsv, markdown

    private static func writeTables(_ results: [ViewResult], title: String, format: OutputFormat,
                                    to sink: inout some OutputSink) {
        for (i, r) in results.enumerated() {
            if sink.isCancelled { return }
            if i > 0 { sink.write(format == .csv ? "\r\n" : "\n") }
            let head = heading(r, title: title, first: i == 0)
            let table = r.section.shape == .record ? transposed(r.table) : r.table
            switch format {
            case .markdown:
                sink.write("### \(head)\n\n")
                TableFormatter.writeMarkdown(table, to: &sink)
            case .tsv:
                sink.write(head.replacingTabs + "\n")
                DelimitedFormatter.writeTSV(table, to: &sink)
            default:
                let one = ResultSet(columns: [ResultColumn(head, .text)], rows: [])
                var line = StringSink()
                DelimitedFormatter.writeCSV(one, to: &line)
                sink.write(line.text)
                DelimitedFormatter.writeCSV(table, to: &sink)
            }
        }
    }

    /// A one-row result as `field,value` rows.
    private static func transposed(_ table: ResultSet) -> ResultSet {
        let rows: [[Value]] = table.rowCount == 0 ? [] : table.columns.indices.map { c in
            [.text(table.columns[c].name), .text(table.value(row: 0, column: c).plainText)]
        }
        return ResultSet(columns: [ResultColumn("field", .text), ResultColumn("value", .text)], rows: rows)
    }

    // MARK: - json

    private static func writeJSON(_ results: [ViewResult], lines: Bool, to sink: inout some OutputSink) {
        var parts: [(String, String)] = []
        for r in results {
            let body: String
            switch r.section.shape {
            case .record, .outcome:
                body = r.table.rowCount == 0 ? "null" : object(r.table, row: 0)
            case .list, .timeline:
                let rows = (0..<r.table.rowCount).map { object(r.table, row: $0) }
                body = "{\"count\":\(r.total ?? r.table.rowCount),\"rows\":[" + rows.joined(separator: ",") + "]}"
            }
            parts.append((r.section.key, body))
        }
        if lines {
            for (key, body) in parts {
                sink.write("{\"section\":\(JSONFormatter.quote(key)),\"value\":\(body)}\n")
            }
        } else {
            sink.write("{\n" + parts.map { "  \(JSONFormatter.quote($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}\n")
        }
    }

    private static func object(_ table: ResultSet, row: Int) -> String {
        "{" + table.columns.indices.map { c in
            JSONFormatter.quote(table.columns[c].name) + ":" + JSONFormatter.literal(table.value(row: row, column: c))
        }.joined(separator: ",") + "}"
    }
}

private extension String {
    var replacingTabs: String { String(map { $0 == "\t" ? " " : $0 }) }
}
