/// One content line of a vCard after unfolding: the bytes of `[group.]NAME[;params]:value`, and
/// the 1-based physical line it starts on.
struct VCardLine: Equatable {
    var bytes: [UInt8]
    var line: Int
}

/// Splits a vCard file into content lines, undoing the three ways clients break a long line:
/// - RFC 2425/6350 folding: a line that starts with a space or tab goes on the one before
///   (the line break and that one character are dropped);
/// - vCard 2.1 quoted-printable soft breaks: a QUOTED-PRINTABLE value ending in `=` goes on in
///   the next line, whatever it starts with (Outlook and Android write these);
/// - vCard 2.1 base64 bodies written without indentation (old phones): lines with no `:` after a
///   BASE64 property belong to it, up to the blank line that ends it.
/// Line ends may be CRLF, LF or a lone CR. Blank lines are dropped.
enum VCardLines {
    static func unfold(_ bytes: [UInt8]) -> [VCardLine] {
        var lines: [VCardLine] = []
        var current: [UInt8] = []
        var currentLine = 0
        var physical = 0
        var i = bytes.startIndex
        // A UTF-8 byte order mark (Windows tools write one) is not part of the first line.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        var hasCurrent = false
        func flush() {
            if hasCurrent && !current.isEmpty { lines.append(VCardLine(bytes: current, line: currentLine)) }
            current = []
            hasCurrent = false
        }
        while i < bytes.endIndex {
            physical += 1
            var end = i
            while end < bytes.endIndex && bytes[end] != 0x0A && bytes[end] != 0x0D { end += 1 }
            let text = bytes[i..<end]
            // The next line starts after CRLF, LF or CR.
            var next = end
            if next < bytes.endIndex {
                next += (bytes[next] == 0x0D && next + 1 < bytes.endIndex && bytes[next + 1] == 0x0A) ? 2 : 1
            }
            i = next
            if hasCurrent && Self.continuesSoftBreak(current) {
                current.removeLast()  // the `=` of the soft break
                current.append(contentsOf: text)
                continue
            }
            if let first = text.first, (first == 0x20 || first == 0x09), hasCurrent {
                current.append(contentsOf: text.dropFirst())
                continue
            }
            if text.isEmpty {
                flush()
                continue
            }
            if hasCurrent && !text.contains(0x3A) && Self.isBase64(current) {
                current.append(contentsOf: text)
                continue
            }
            flush()
            current = Array(text)
            currentLine = physical
            hasCurrent = true
        }
        flush()
        return lines
    }

    /// A quoted-printable value that ends in `=`: the 2.1 soft line break.
    static func continuesSoftBreak(_ line: [UInt8]) -> Bool {
        guard line.last == UInt8(ascii: "=") else { return false }
        let head = Self.head(line)
        return head.count < line.count && contains(head, "QUOTED-PRINTABLE")
    }

    static func isBase64(_ line: [UInt8]) -> Bool {
        let head = Self.head(line)
        return head.count < line.count && (contains(head, "BASE64") || contains(head, "ENCODING=B"))
    }

    /// The name and parameters: the bytes before the first `:`.
    private static func head(_ line: [UInt8]) -> ArraySlice<UInt8> {
        line[..<(line.firstIndex(of: 0x3A) ?? line.endIndex)]
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard haystack.count >= n.count else { return false }
        var start = haystack.startIndex
        while start + n.count <= haystack.endIndex {
            var k = 0
            while k < n.count && VCardBytes.upper(haystack[start + k]) == n[k] { k += 1 }
            if k == n.count { return true }
            start += 1
        }
        return false
    }
}

enum VCardBytes {
    /// A file that starts with a UTF-16 byte order mark (Windows tools save "Unicode" text so), as
    /// UTF-8; any other file as it is. An unpaired surrogate becomes U+FFFD.
    static func utf8(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) else {
            return bytes
        }
        let little = bytes[0] == 0xFF
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = 2
        while i + 1 < bytes.count {
            units.append(little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
            i += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }

    static func upper(_ b: UInt8) -> UInt8 { b >= 0x61 && b <= 0x7A ? b - 0x20 : b }
    static func upper(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes.map(upper), as: UTF8.self) }
}
