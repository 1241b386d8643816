/// CSV (RFC 4180: header row, CRLF line ends, fields quoted when they hold `,` `"` or a line break)
/// and TSV (tabs and line breaks inside a value escaped as `\t`, `\n`).
enum DelimitedFormatter {
    /// With `neutralise`, text that a spreadsheet would run as a formula is defused (`FormulaGuard`).
    static func writeCSV(_ result: ResultSet, neutralise: Bool = false, to sink: inout some OutputSink) {
        let escape = neutralise ? { FormulaGuard.csvField($0) } : csvField
        write(result, separator: ",", escape: escape, neutralise: neutralise, to: &sink, lineEnd: "\r\n")
    }

    static func writeTSV(_ result: ResultSet, neutralise: Bool = false, to sink: inout some OutputSink) {
        let escape = neutralise ? { FormulaGuard.tsvField($0) } : tsvField
        write(result, separator: "\t", escape: escape, neutralise: neutralise, to: &sink, lineEnd: "\n")
    }

    private static func write(_ result: ResultSet, separator: String, escape: (String) -> String, neutralise: Bool = false,
                              to sink: inout some OutputSink, lineEnd: String) {
        let plain = neutralise ? (separator == "," ? csvField : tsvField) : escape
        sink.write(result.columns.map { escape($0.name) }.joined(separator: separator) + lineEnd)
        var chunk = ""
        for r in 0..<result.rowCount {
            if r & 4095 == 0 && sink.isCancelled { break }  // Ctrl-C, .timeout
            for c in 0..<result.columns.count {
                if c > 0 { chunk += separator }
                // Only text is defused: a number (-5.00) is data a spreadsheet reads as a number.
                let value = result.value(row: r, column: c)
                if case .text(let s) = value { chunk += escape(s) } else { chunk += plain(value.plainText) }
            }
            chunk += lineEnd
            if chunk.utf8.count > 1 << 16 { sink.write(chunk); chunk = "" }
        }
        sink.write(chunk)
    }

    static func csvField(_ s: String) -> String {
        // Unicode scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        var out = "\""
        for ch in s {
            if ch == "\"" { out += "\"\"" } else { out.append(ch) }
        }
        return out + "\""
    }

    static func tsvField(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\\" }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
