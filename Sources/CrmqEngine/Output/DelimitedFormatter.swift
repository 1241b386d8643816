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
        let csv = separator == ","
        sink.write(result.columns.map { escape($0.name) }.joined(separator: separator) + lineEnd)
        var chunk = OutputBuffer()
        for r in 0..<result.rowCount {
            if r & 4095 == 0 && sink.isCancelled { break }  // Ctrl-C, .timeout
            for c in 0..<result.columns.count {
                if c > 0 { chunk.append(separator) }
                // A text read from a column's dictionary is escaped from its bytes, making no String.
                let stored: Void? = result.withStoredUTF8(row: r, column: c) { bytes in
                    if csv { chunk.append(csvField: bytes, neutralise: neutralise) } else { chunk.append(tsvField: bytes, neutralise: neutralise) }
                }
                if stored != nil { continue }
                // Only text is defused: a number (-5.00) is data a spreadsheet reads as a number.
                let value = result.value(row: r, column: c)
                if case .text(let s) = value { chunk.append(escape(s)) } else { chunk.append(plain(value.plainText)) }
            }
            chunk.append(lineEnd)
            if chunk.isFull { chunk.flush(to: &sink) }
        }
        chunk.flush(to: &sink)
    }

    static func csvField(_ s: String) -> String {
        // Unicode scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n",
        // and a quote followed by a combining mark is one Character, but still a quote to double.
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        var out = "\""
        for ch in s.unicodeScalars {
            if ch == "\"" { out += "\"\"" } else { out.unicodeScalars.append(ch) }
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
