/// Contacts as vCard 4.0 (RFC 6350): one card per row of the columns `Binder.vCardColumns`
/// (first and last name, email, phone, title, account name, city, country). Values are escaped
/// (`\` `,` `;` and line breaks), lines folded at 75 octets, every line ends in CRLF.
enum VCardWriter {
    static func write(_ result: ResultSet, to sink: inout some OutputSink) {
        var chunk = ""
        for r in 0..<result.rowCount {
            if r & 4095 == 0 && sink.isCancelled { break }  // Ctrl-C, .timeout
            let cell = { (c: Int) -> String in
                let v = result.value(row: r, column: c)
                return v == .null ? "" : v.plainText
            }
            chunk += card(first: cell(0), last: cell(1), email: cell(2), phone: cell(3), title: cell(4),
                          organisation: cell(5), city: cell(6), country: cell(7))
            if chunk.utf8.count > 1 << 16 { sink.write(chunk); chunk = "" }
        }
        sink.write(chunk)
    }

    static func card(first: String, last: String, email: String, phone: String, title: String,
                     organisation: String, city: String, country: String) -> String {
        var lines = ["BEGIN:VCARD", "VERSION:4.0"]
        let full = [first, last].filter { !$0.isEmpty }.joined(separator: " ")
        lines.append("FN:" + escape(full))  // FN is required, even when empty
        lines.append("N:" + escape(last) + ";" + escape(first) + ";;;")
        if !email.isEmpty { lines.append("EMAIL:" + escape(email)) }
        if !phone.isEmpty { lines.append("TEL:" + escape(phone)) }
        if !title.isEmpty { lines.append("TITLE:" + escape(title)) }
        if !organisation.isEmpty { lines.append("ORG:" + escape(organisation)) }
        if !city.isEmpty || !country.isEmpty {
            // ADR: post office box; extended; street; locality; region; postal code; country.
            lines.append("ADR:;;;" + escape(city) + ";;;" + escape(country))
        }
        lines.append("END:VCARD")
        return lines.map(fold).joined()
    }

    /// RFC 6350 3.4: a backslash, comma, semicolon or line break in a value is escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        var previousCR = false
        for u in s.unicodeScalars {
            defer { previousCR = u == "\r" }
            switch u {
            case "\\": out += "\\\\"
            case ",": out += "\\,"
            case ";": out += "\\;"
            case "\r": out += "\\n"
            case "\n": if !previousCR { out += "\\n" }  // CRLF is one line break
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// RFC 6350 3.2: a line longer than 75 octets goes on in lines that start with a space, never
    /// splitting a UTF-8 sequence; each line ends in CRLF.
    static func fold(_ line: String) -> String {
        var out = ""
        var width = 0
        var limit = 75
        for ch in line.unicodeScalars {
            let n = String(ch).utf8.count
            if width + n > limit {
                out += "\r\n "
                width = 0
                limit = 74  // the leading space counts
            }
            out.unicodeScalars.append(ch)
            width += n
        }
        return out + "\r\n"
    }
}
