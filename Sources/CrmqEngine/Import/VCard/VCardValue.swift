/// Turns a property's raw value into text: transfer encoding (2.1 quoted-printable, base64), then
/// the character set, then the structure (`;` between components, `,` between list items) and the
/// backslash escapes. Only the properties the reader maps come here.
enum VCardValue {
    /// What stops a value from decoding; the reader words it with the property and its line.
    enum Problem: Error, Equatable {
        case badQuotedPrintable(String)
        case badBase64
        case unknownCharset(String)
    }

    /// The value's components, each a list of items, unescaped and decoded.
    static func components(of property: VCardProperty, version: VCardVersion) throws(Problem) -> [[String]] {
        let bytes = try transferDecoded(property)
        let text = try decode(bytes, charset: property.charset)
        return split(text, version: version)
    }

    static func transferDecoded(_ property: VCardProperty) throws(Problem) -> [UInt8] {
        switch property.encoding {
        case "QUOTED-PRINTABLE", "Q": return try quotedPrintable(property.value)
        case "BASE64", "B": return try base64(property.value)
        default: return property.value
        }
    }

    /// RFC 2045 6.7: `=XX` is a byte; a `=` at the end of a line was a soft break (already joined by
    /// `VCardLines`); any other `=` is an error.
    static func quotedPrintable(_ bytes: [UInt8]) throws(Problem) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            guard b == UInt8(ascii: "=") else {
                out.append(b)
                i += 1
                continue
            }
            if i + 1 == bytes.count { break }  // a soft break at the very end
            guard i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) else {
                let end = min(bytes.count, i + 3)
                throw .badQuotedPrintable(String(decoding: bytes[i..<end], as: UTF8.self))
            }
            out.append(hi << 4 | lo)
            i += 3
        }
        return out
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    static func base64(_ bytes: [UInt8]) throws(Problem) -> [UInt8] {
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for b in bytes {
            let v: UInt32
            switch b {
            case 0x41...0x5A: v = UInt32(b - 0x41)
            case 0x61...0x7A: v = UInt32(b - 0x61 + 26)
            case 0x30...0x39: v = UInt32(b - 0x30 + 52)
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            case UInt8(ascii: "="), 0x20, 0x09: continue
            default: throw .badBase64
            }
            acc = (acc << 6 | v) & 0xFFFFFF
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    /// UTF-8 unless CHARSET says otherwise. Without a CHARSET, bytes that are not UTF-8 are read as
    /// Windows-1252: old 2.1 exports (Outlook's among them) write the system code page unlabelled.
    static func decode(_ bytes: [UInt8], charset: String?) throws(Problem) -> String {
        switch charset?.uppercased() {
        case nil, "UTF-8", "UTF8", "US-ASCII", "ASCII":
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            if charset == nil || charset?.uppercased() != "UTF-8" && charset?.uppercased() != "UTF8" {
                return windows1252(bytes)
            }
            // Labelled UTF-8 but not: repair rather than refuse the card, marking what was lost.
            return String(decoding: bytes, as: UTF8.self)
        case "ISO-8859-1", "ISO8859-1", "LATIN1", "ISO-8859-15", "WINDOWS-1252", "CP1252", "WIN-1252":
            return windows1252(bytes)
        case let other?:
            throw .unknownCharset(other)
        }
    }

    /// ISO-8859-1 is read as its superset Windows-1252 (0x80-0x9F are the euro sign, curly quotes,
    /// dashes...), which is what files labelled ISO-8859-1 hold in practice.
    static func windows1252(_ bytes: [UInt8]) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes {
            if b >= 0x80 && b <= 0x9F, let u = Unicode.Scalar(cp1252High[Int(b - 0x80)]) {
                s.append(u)
            } else {
                s.append(Unicode.Scalar(b))
            }
        }
        return String(s)
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Splits at unescaped `;` (components) and `,` (items), undoing the escapes: 3.0 and 4.0 escape
    /// `\\` `\,` `\;` and write a line break as `\n`; 2.1 escapes only `\;` and has no item lists, so
    /// a Windows path in a 2.1 note keeps its backslashes.
    static func split(_ text: String, version: VCardVersion) -> [[String]] {
        var components: [[String]] = []
        var items: [String] = []
        var current = String.UnicodeScalarView()
        var escaped = false
        let modern = version != .v21
        for u in text.unicodeScalars {
            if escaped {
                escaped = false
                switch u {
                case ";": current.append(u)
                case "n" where modern, "N" where modern: current.append("\n")
                case "," where modern, "\\" where modern, ":" where modern: current.append(u)
                default:
                    current.append("\\")
                    current.append(u)
                }
                continue
            }
            switch u {
            case "\\": escaped = true
            case ";":
                items.append(String(current))
                components.append(items)
                items = []
                current = String.UnicodeScalarView()
            case "," where modern:
                items.append(String(current))
                current = String.UnicodeScalarView()
            default: current.append(u)
            }
        }
        if escaped { current.append("\\") }
        items.append(String(current))
        components.append(items)
        return components
    }
}

/// The vCard versions, which differ in escaping and in how parameters and encodings are written.
enum VCardVersion: Equatable {
    case v21, v30, v40

    init(_ text: String) {
        switch text.trimmingCharactersSpaces {
        case "2.1", "2.0", "1.0": self = .v21
        case "4.0": self = .v40
        default: self = .v30
        }
    }
}

fileprivate extension String {
    var trimmingCharactersSpaces: String {
        String(String.UnicodeScalarView(unicodeScalars.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()))
    }
}
