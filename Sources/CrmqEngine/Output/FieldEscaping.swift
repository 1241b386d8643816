/// The escaping of CSV, TSV and JSON fields, done on UTF-8 bytes into an `OutputBuffer`. Each writes
/// exactly the bytes of its `String` counterpart (`DelimitedFormatter.csvField`, `tsvField`,
/// `FormulaGuard`, `JSONFormatter.quote`), which stay for headers and computed cells.
extension OutputBuffer {
    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), backslash = UInt8(ascii: "\\")
    private static let newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), tab = UInt8(ascii: "\t")

    /// Whether a spreadsheet would run a text starting with these bytes as a formula.
    static func isFormula(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = s.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == tab || first == cr
    }

    /// A CSV field: quoted, its quotes doubled, when it holds `,` `"` or a line break; with
    /// `neutralise`, a formula is always quoted and led by `'`.
    mutating func append(csvField s: UnsafeBufferPointer<UInt8>, neutralise: Bool = false) {
        let formula = neutralise && Self.isFormula(s)
        guard formula || s.contains(where: { $0 == Self.comma || $0 == Self.quote || $0 == Self.newline || $0 == Self.cr }) else {
            return bytes.append(contentsOf: s)
        }
        bytes.append(Self.quote)
        if formula { bytes.append(UInt8(ascii: "'")) }
        for b in s {
            bytes.append(b)
            if b == Self.quote { bytes.append(b) }
        }
        bytes.append(Self.quote)
    }

    /// A TSV field: tabs, line breaks and backslashes written as `\t` `\n` `\r` `\\`; with
    /// `neutralise`, a formula led by `'`.
    mutating func append(tsvField s: UnsafeBufferPointer<UInt8>, neutralise: Bool = false) {
        if neutralise && Self.isFormula(s) { bytes.append(UInt8(ascii: "'")) }
        var start = 0
        for i in 0..<s.count {
            let escaped: UInt8
            switch s[i] {
            case Self.tab: escaped = UInt8(ascii: "t")
            case Self.newline: escaped = UInt8(ascii: "n")
            case Self.cr: escaped = UInt8(ascii: "r")
            case Self.backslash: escaped = Self.backslash
            default: continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[start..<i]))
            bytes.append(Self.backslash)
            bytes.append(escaped)
            start = i + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[start...]))
    }

    /// A JSON string: quoted, with `"` `\` and control characters escaped.
    mutating func append(jsonString s: UnsafeBufferPointer<UInt8>) {
        bytes.append(Self.quote)
        var start = 0
        for i in 0..<s.count where s[i] < 0x20 || s[i] == Self.quote || s[i] == Self.backslash {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[start..<i]))
            start = i + 1
            switch s[i] {
            case Self.quote: bytes.append(contentsOf: [Self.backslash, Self.quote])
            case Self.backslash: bytes.append(contentsOf: [Self.backslash, Self.backslash])
            case Self.newline: bytes.append(contentsOf: [Self.backslash, UInt8(ascii: "n")])
            case Self.cr: bytes.append(contentsOf: [Self.backslash, UInt8(ascii: "r")])
            case Self.tab: bytes.append(contentsOf: [Self.backslash, UInt8(ascii: "t")])
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array(#"\u00"#.utf8))
                bytes.append(hex[Int(s[i] >> 4)])
                bytes.append(hex[Int(s[i] & 15)])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[start...]))
        bytes.append(Self.quote)
    }
}
