/// JSON (one array of objects) and JSON Lines (one object per line), with typed values:
/// numbers for int, money and percent, booleans, null, ISO 8601 strings for dates.
enum JSONFormatter {
    static func write(_ result: ResultSet, lines: Bool, to sink: inout some OutputSink) {
        let keys = result.columns.map { quote($0.name) + ":" }
        if !lines { sink.write(result.rowCount == 0 ? "[]\n" : "[\n") }
        var chunk = OutputBuffer()
        for r in 0..<result.rowCount {
            if r & 4095 == 0 && sink.isCancelled { break }  // Ctrl-C, .timeout
            chunk.append(lines ? "{" : "  {")
            for c in 0..<result.columns.count {
                if c > 0 { chunk.append(",") }
                chunk.append(keys[c])
                // A text read from a column's dictionary is escaped from its bytes, making no String.
                let stored: Void? = result.withStoredUTF8(row: r, column: c) { chunk.append(jsonString: $0) }
                if stored == nil { chunk.append(literal(result.value(row: r, column: c))) }
            }
            chunk.append(lines ? "}\n" : (r == result.rowCount - 1 ? "}\n" : "},\n"))
            if chunk.isFull { chunk.flush(to: &sink) }
        }
        chunk.flush(to: &sink)
        if !lines && result.rowCount > 0 { sink.write("]\n") }
    }

    static func literal(_ v: Value) -> String {
        switch v {
        case .null: "null"
        case .int, .money, .percent, .decimal, .bool: v.plainText
        case .date, .datetime, .text: quote(v.plainText)
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
