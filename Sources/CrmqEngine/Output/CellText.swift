/// How a value reads in a table for people: thousands separators on money, short date-times.
enum CellText {
    static func human(_ v: Value) -> String {
        switch v {
        case .null: return ""
        case .money(let c): return grouped(Value.decimalString(c, places: 2))
        case .percent(let p):
            // 60% rather than 60.00%; keep the fraction only when there is one.
            let s = Value.decimalString(p, places: 2)
            return (s.hasSuffix(".00") ? String(s.dropLast(3)) : s) + "%"
        case .decimal(let d): return grouped(Value.decimalString(d, places: 2))
        case .datetime(let s):
            let iso = Day.formatDateTime(s)  // 2026-03-01T14:30:00Z
            return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
        case .text(let t):
            // One line per cell: a table row must stay a row.
            return t.contains(where: { $0.isNewline || $0 == "\t" })
                ? String(t.map { $0.isNewline || $0 == "\t" ? " " : $0 }) : t
        default: return v.plainText
        }
    }

    /// "1234567.50" -> "1,234,567.50".
    static func grouped(_ s: String) -> String {
        var sign = "", rest = Substring(s)
        if rest.hasPrefix("-") { sign = "-"; rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = Array(parts[0])
        var out = ""
        for (i, ch) in whole.enumerated() {
            if i > 0, (whole.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return sign + out + (parts.count > 1 ? "." + parts[1] : "")
    }
}
