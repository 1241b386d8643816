/// A text hashed and compared by its UTF-8 bytes, where Swift's `String` hashes and compares by
/// canonical equivalence (normalizing as it goes: slow for text that is not ASCII). Used where
/// byte-exact identity is what is wanted, or where it agrees with Swift's equality (`isCanonical`
/// texts; `TextColumn` and `TextLookup` go by bytes in place, without a key per text).
struct UTF8Key: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    func hash(into hasher: inout Hasher) {
        var t = text
        t.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    static func == (a: UTF8Key, b: UTF8Key) -> Bool {
        var x = a.text, y = b.text
        return x.withUTF8 { p in y.withUTF8 { q in p.count == q.count && p.elementsEqual(q) } }
    }

    /// Whether `text` is made only of characters that are in normal form C whatever surrounds them
    /// (below U+0300 - Latin and its extensions, IPA - and the dashes, quotes, bullets and
    /// currency signs of U+2010-U+2027, U+2030-U+205E, U+20A0-U+20BF). Two such texts are equal
    /// as Swift strings exactly when their bytes are.
    static func isCanonical(_ text: String) -> Bool {
        var t = text
        return t.withUTF8(isCanonical)
    }

    /// Whether `utf8` is well-formed UTF-8 of a text that `isCanonical(_: String)` accepts. Bytes
    /// that are not UTF-8 are not: a `String` made of them would differ from them.
    static func isCanonical(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = utf8.count
        while i < n {
            let c = utf8[i]
            if c < 0x80 { i += 1; continue }
            if c >= 0xC2 && c < 0xCC {
                guard i + 1 < n, utf8[i + 1] & 0xC0 == 0x80 else { return false }
                i += 2
                continue
            }
            guard c == 0xE2, i + 2 < n else { return false }
            let d = utf8[i + 1], e = utf8[i + 2]
            switch d {
            case 0x80: guard (0x90...0xA7).contains(e) || (0xB0...0xBF).contains(e) else { return false }
            case 0x81: guard (0x80...0x9E).contains(e) else { return false }
            case 0x82: guard (0xA0...0xBF).contains(e) else { return false }
            default: return false
            }
            i += 3
        }
        return true
    }
}
