/// CSV injection: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return as a formula (`=HYPERLINK(...)`, `@SUM(...)`). As OWASP advises, `export` writes such a text
/// cell with a single quote before it, and quoted, so it reads as text. Only text cells are defused:
/// a number (`-5.00` in a money column) is data, and stays a number (`raw` turns the guard off).
enum FormulaGuard {
    /// Whether a spreadsheet would run `s` as a formula.
    static func isFormula(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        return first == "=" || first == "+" || first == "-" || first == "@" || first == "\t" || first == "\r"
    }

    /// A CSV field: a formula gets a leading `'` and is always quoted; anything else as `csvField`.
    static func csvField(_ s: String) -> String {
        guard isFormula(s) else { return DelimitedFormatter.csvField(s) }
        var out = "\"'"
        for ch in s.unicodeScalars {
            if ch == "\"" { out += "\"\"" } else { out.unicodeScalars.append(ch) }
        }
        return out + "\""
    }

    /// A TSV field (TSV has no quoting): a formula gets a leading `'`.
    static func tsvField(_ s: String) -> String {
        DelimitedFormatter.tsvField(isFormula(s) ? "'" + s : s)
    }
}
