/// How many terminal columns text takes, and cutting it to fit with an ellipsis.
///
/// A character counts 2 when it is East Asian wide or an emoji, 0 when it is a control
/// character, 1 otherwise; a combining accent belongs to its letter's Character, so it adds nothing.
enum TextWidth {
    static let ellipsis: Character = "…"

    static func of(_ s: String) -> Int {
        // Most cells are ASCII: count bytes without looking at Characters.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s.utf8.count }
        var n = 0
        for ch in s { n += of(ch) }
        return n
    }

    static func of(_ ch: Character) -> Int {
        guard let u = ch.unicodeScalars.first?.value else { return 0 }
        if u < 0x20 || (u >= 0x7F && u < 0xA0) { return 0 }
        return isWide(u) ? 2 : 1
    }

    /// `s` cut to at most `width` columns, ending in "…" when something was cut.
    static func truncate(_ s: String, to width: Int) -> String {
        if of(s) <= width { return s }
        guard width > 0 else { return "" }
        var out = ""
        var used = 0
        for ch in s {
            let w = of(ch)
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        out.append(ellipsis)
        return out
    }

    /// `s` padded with spaces to `width` columns, on the left for numbers.
    static func pad(_ s: String, to width: Int, right: Bool) -> String {
        let n = width - of(s)
        if n <= 0 { return s }
        let spaces = String(repeating: " ", count: n)
        return right ? spaces + s : s + spaces
    }

    /// Words filled into lines of at most `width` columns (a longer word gets a line of its own).
    static func wrap(_ text: String, indent: String = "", width: Int) -> String {
        var out = "", line = indent
        for word in text.split(separator: " ") {
            if line.count > indent.count, of(line) + 1 + of(String(word)) > width {
                out += line + "\n"
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        return out + line + "\n"
    }

    private static func isWide(_ u: UInt32) -> Bool {
        switch u {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
