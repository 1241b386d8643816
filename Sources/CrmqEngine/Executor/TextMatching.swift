/// Case-insensitive text comparison without allocating for ASCII text, which most CRM data is;
/// other text falls back to Unicode lowercasing.
public enum TextMatching {
    /// `needle` must already be lowercased.
    public static func matches(_ haystack: String, _ match: TextMatch, _ needle: String) -> Bool {
        var h = haystack, n = needle
        return h.withUTF8 { hb in
            n.withUTF8 { nb in
                if isASCII(hb) && isASCII(nb) { return matchASCII(hb, match, nb) }
                let lower = haystack.lowercased()
                switch match {
                case .contains: return lower.contains(needle)
                case .startsWith: return lower.hasPrefix(needle)
                case .endsWith: return lower.hasSuffix(needle)
                }
            }
        }
    }

    /// Case-insensitive equality; `lowered` must already be lowercased.
    public static func equals(_ text: String, _ lowered: String) -> Bool {
        var t = text, l = lowered
        return t.withUTF8 { tb in
            l.withUTF8 { lb in
                if isASCII(tb) && isASCII(lb) {
                    guard tb.count == lb.count else { return false }
                    for i in 0..<tb.count where fold(tb[i]) != lb[i] { return false }
                    return true
                }
                return text.lowercased() == lowered
            }
        }
    }

    private static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for c in b where c >= 0x80 { return false }
        return true
    }

    @inline(__always) private static func fold(_ c: UInt8) -> UInt8 {
        c >= 0x41 && c <= 0x5A ? c | 0x20 : c
    }

    private static func matchASCII(_ h: UnsafeBufferPointer<UInt8>, _ m: TextMatch, _ n: UnsafeBufferPointer<UInt8>) -> Bool {
        if n.count > h.count { return false }
        func at(_ start: Int) -> Bool {
            for i in 0..<n.count where fold(h[start + i]) != n[i] { return false }
            return true
        }
        switch m {
        case .startsWith: return at(0)
        case .endsWith: return at(h.count - n.count)
        case .contains:
            if n.isEmpty { return true }
            for s in 0...(h.count - n.count) where fold(h[s]) == n[0] && at(s) { return true }
            return false
        }
    }
}
