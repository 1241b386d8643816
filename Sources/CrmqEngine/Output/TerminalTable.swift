/// The table for a person at a terminal: the aligned style of `TableFormatter`, fitted to a width.
///
/// ```
///  id | name                  | stage       |     value
/// ----+-----------------------+-------------+-----------
///   7 | Acme Industries – Re… | Negotiation | 12,500.00
/// (showing 50 of 12,345 rows; .rows all shows every row)
/// ```
/// Long text is cut with an ellipsis, numbers are never cut; when even cut columns do not fit,
/// the last columns are left out and named under the table. Headers are bold and nulls dim when
/// colour is on.
enum TerminalTable {
    /// Text columns are cut down to this many columns, but no narrower (unless narrower already).
    static let minimumTextWidth = 6

    static func write(_ result: ResultSet, options: DisplayOptions, footer: Bool = true, to sink: inout some OutputSink) {
        let shown = min(result.rowCount, options.maxRows ?? result.rowCount)
        let numeric = result.columns.map(\.type.isNumeric)
        // Two passes over the rows, measuring and then writing, rather than keeping every cell
        // (`.rows all` may show millions).
        func cell(_ r: Int, _ c: Int) -> Cell {
            result.isTotal(row: r, column: c) ? Cell.total : Cell(result.value(row: r, column: c), color: options.color)
        }
        let headers = result.columns.map(\.name)
        var natural = headers.map { TextWidth.of($0) }
        for r in 0..<shown {
            if r & 4095 == 0 && sink.isCancelled { return }  // Ctrl-C, .timeout
            for c in headers.indices { natural[c] = max(natural[c], TextWidth.of(cell(r, c).text)) }
        }
        // Numbers, dates and booleans are short and mean nothing cut: only text gives up room.
        let fixed = result.columns.map { $0.type.isNumeric || [.date, .datetime, .bool].contains($0.type) }
        let fit = ColumnFit(natural: natural, fixed: fixed, budget: options.effectiveWidth)
        let style = Style(color: options.color)

        // The last column is not padded on the left-aligned side: no trailing blanks inside a colour.
        func fitted(_ text: String, _ c: Int, right: Bool) -> String {
            let cut = TextWidth.truncate(text, to: fit.widths[c])
            return right || c < fit.shown - 1 ? TextWidth.pad(cut, to: fit.widths[c], right: right) : cut
        }
        var header = ""
        for c in 0..<fit.shown {
            header += (c == 0 ? " " : " | ") + style.bold(fitted(headers[c], c, right: false))
        }
        sink.write(trimTrailing(header) + "\n")
        sink.write(fit.widths.prefix(fit.shown).map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "\n")
        var chunk = ""
        for r in 0..<shown {
            var line = ""
            for c in 0..<fit.shown {
                let value = cell(r, c)
                let text = fitted(value.text, c, right: numeric[c])
                line += (c == 0 ? " " : " | ") + (value.isTotal ? style.label(text) : value.isNull ? style.dim(text) : text)
            }
            chunk += trimTrailing(line) + "\n"
            if chunk.utf8.count > 1 << 16 {
                if sink.isCancelled { return }  // Ctrl-C, .timeout: nothing more is written
                sink.write(chunk)
                chunk = ""
            }
        }
        sink.write(chunk)
        if footer {
            sink.write(TextWidth.wrap(Self.footer(rows: result.rowCount, shown: shown), width: options.effectiveWidth ?? Int.max))
        }
        if fit.shown < headers.count {
            let note = "(too wide to show: \(headers[fit.shown...].joined(separator: ", ")); "
                + "pick columns with show, or widen with .width N)"
            sink.write(TextWidth.wrap(note, width: options.effectiveWidth ?? Int.max))
        }
    }

    /// "(12 rows)", or "(showing 50 of 12,345 rows; ...)" when the row limit cut the result.
    static func footer(rows: Int, shown: Int) -> String {
        let count = CellText.grouped(String(rows))
        if shown >= rows { return "(\(count) \(rows == 1 ? "row" : "rows"))" }
        return "(showing \(CellText.grouped(String(shown))) of \(count) rows; .rows all shows every row)"
    }

    /// One cell's text, and whether it stands for a missing value.
    struct Cell {
        var text: String
        var isNull: Bool
        /// A rolled-up key of a `with totals` row: a label, not a value.
        var isTotal = false

        static let total = Cell(text: ResultSet.totalLabel, isNull: false, isTotal: true)

        init(text: String, isNull: Bool, isTotal: Bool) {
            self.text = text
            self.isNull = isNull
            self.isTotal = isTotal
        }

        init(_ v: Value, color: Bool) {
            isNull = v.isNull
            // Without colour a null is blank, as on a pipe; with colour it can say so, dimmed.
            text = isNull && color ? "null" : CellText.human(v)
        }
    }

    static func trimTrailing(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// How wide each column may be so that a table fits a budget of terminal columns.
///
/// A table of columns w1...wn takes `sum(w) + 3n - 1` columns (" a | b" plus the "-+-" line).
/// Text columns share the cut: the widest are cut first, down to a common cap, so that a long
/// description gives up room before a short name does. `fixed` columns (numbers, dates) keep their width.
struct ColumnFit: Equatable {
    var widths: [Int]
    /// How many columns, from the left, fit at all.
    var shown: Int

    init(natural: [Int], fixed: [Bool], budget: Int?) {
        widths = natural
        shown = natural.count
        guard let budget, ColumnFit.total(natural) > budget else { return }
        let minimum = natural.indices.map { fixed[$0] ? natural[$0] : min(natural[$0], TerminalTable.minimumTextWidth) }
        // Leave columns out from the right until the rest fit at their minimum widths (keep one).
        while shown > 1, ColumnFit.total(Array(minimum.prefix(shown))) > budget { shown -= 1 }
        widths = Array(natural.prefix(shown))
        let floor = Array(minimum.prefix(shown))
        guard ColumnFit.total(widths) > budget else { return }
        // The largest cap on text widths that fits, found by bisection.
        func capped(_ cap: Int) -> [Int] {
            widths.indices.map { fixed[$0] ? widths[$0] : max(floor[$0], min(widths[$0], cap)) }
        }
        var low = 0, high = widths.max() ?? 0
        while low < high {
            let mid = (low + high + 1) / 2
            if ColumnFit.total(capped(mid)) <= budget { low = mid } else { high = mid - 1 }
        }
        widths = capped(low)
        // Hand the columns the cap left unused to the widest cut columns, one each.
        var spare = budget - ColumnFit.total(widths)
        for i in widths.indices.sorted(by: { natural[$0] > natural[$1] }) where spare > 0 && widths[i] < natural[i] {
            widths[i] += 1
            spare -= 1
        }
    }

    static func total(_ widths: [Int]) -> Int {
        widths.isEmpty ? 0 : widths.reduce(0, +) + 3 * widths.count - 1
    }
}

/// ANSI styles, or nothing when colour is off.
struct Style {
    var color: Bool
    func bold(_ s: String) -> String { color ? "\u{1B}[1m" + s + "\u{1B}[0m" : s }
    func dim(_ s: String) -> String { color ? "\u{1B}[2m" + s + "\u{1B}[0m" : s }
    /// A label in a value's place (`total`): dim italic, so it does not read as data.
    func label(_ s: String) -> String { color ? "\u{1B}[2;3m" + s + "\u{1B}[0m" : s }
}
