/// A text column's dictionary in case-insensitive byte order, with the rows of each dictionary
/// code: `=`, `in` and `starts with` find their codes by binary search instead of testing every
/// distinct value, then read the rows from the postings.
///
/// The lowercased keys live in one byte buffer (not one String each): building and searching
/// compare raw bytes, which is many times faster than String comparison for half a million emails.
public struct TextIndex: Sendable {
    /// Dictionary codes in key order.
    public internal(set) var sortedCodes: [Int32]
    /// Lowercased UTF-8 of every dictionary entry, in code order, and where each starts.
    var keyBytes: [UInt8]
    var keyStarts: [Int32]
    public internal(set) var postings: PostingIndex

    public init(_ column: TextColumn, cancellation: Cancellation = .none) throws(Diagnostic) {
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        starts.reserveCapacity(column.dictionary.count + 1)
        for i in column.dictionary.indices {
            if i & 4095 == 0 { try cancellation.check() }
            // Read in place: most entries are already folded, and need no String.
            let folded = column.dictionary.withUTF8(i) { utf8 in
                if utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) {
                    bytes.append(contentsOf: utf8)
                    return true
                }
                return false
            }
            if !folded { bytes.append(contentsOf: TextIndex.fold(column.dictionary[i]).utf8) }
            starts.append(Int32(bytes.count))
        }
        keyBytes = bytes
        keyStarts = starts
        var codes = (0..<Int32(column.dictionary.count)).map { $0 }
        try bytes.withUnsafeBufferPointer { (b) throws(Diagnostic) in
            try starts.withUnsafeBufferPointer { (s) throws(Diagnostic) in
                try cancellation.sort(&codes) { x, y in
                    let c = TextIndex.compare(b, Int(s[Int(x)]), Int(s[Int(x) + 1]), b, Int(s[Int(y)]), Int(s[Int(y) + 1]))
                    return c != 0 ? c < 0 : x < y
                }
            }
        }
        sortedCodes = codes
        postings = PostingIndex(keys: column.codes.map { Int64($0) }, keyCount: column.dictionary.count)
    }

    /// The case folding the index uses: the same as `TextMatching` (ASCII fast, Unicode otherwise).
    static func fold(_ s: String) -> String {
        s.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) ? s : s.lowercased()
    }

    /// Codes whose text equals `lowered` ignoring case.
    public func codes(equalTo lowered: String) -> ArraySlice<Int32> {
        codes(matching: Array(lowered.utf8), prefix: false)
    }

    /// Codes whose text starts with `lowered` ignoring case.
    public func codes(withPrefix lowered: String) -> ArraySlice<Int32> {
        codes(matching: Array(lowered.utf8), prefix: true)
    }

    private func codes(matching key: [UInt8], prefix: Bool) -> ArraySlice<Int32> {
        keyBytes.withUnsafeBufferPointer { b in
            key.withUnsafeBufferPointer { k in
                func entry(_ i: Int) -> (Int, Int) {
                    let code = Int(sortedCodes[i])
                    return (Int(keyStarts[code]), Int(keyStarts[code + 1]))
                }
                // First entry >= key.
                var lo = 0, hi = sortedCodes.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    let (s, e) = entry(mid)
                    if TextIndex.compare(b, s, e, k, 0, k.count) < 0 { lo = mid + 1 } else { hi = mid }
                }
                var end = lo
                while end < sortedCodes.count {
                    let (s, e) = entry(end)
                    let length = e - s
                    let matches = prefix
                        ? length >= k.count && TextIndex.compare(b, s, s + k.count, k, 0, k.count) == 0
                        : length == k.count && TextIndex.compare(b, s, e, k, 0, k.count) == 0
                    if !matches { break }
                    end += 1
                }
                return sortedCodes[lo..<end]
            }
        }
    }

    /// The folded length of entry `code`, in bytes.
    public func keyLength(_ code: Int32) -> Int { Int(keyStarts[Int(code) + 1] - keyStarts[Int(code)]) }

    /// Whether dictionary entry `code` matches a (folded) needle, comparing the index's folded
    /// bytes: no String is touched, which makes `contains` over half a million emails cheap.
    public func matches(code: Int32, _ m: TextMatch, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        keyBytes.withUnsafeBufferPointer { b in
            TextIndex.matches(b, Int(keyStarts[Int(code)]), Int(keyStarts[Int(code) + 1]), m, needle)
        }
    }

    /// Calls `body` with a matcher over the folded keys (one buffer access for many tests).
    public func withMatcher<R>(_ body: ((Int32, TextMatch, UnsafeBufferPointer<UInt8>) -> Bool) -> R) -> R {
        keyBytes.withUnsafeBufferPointer { b in
            keyStarts.withUnsafeBufferPointer { starts in
                body { code, m, needle in
                    TextIndex.matches(b, Int(starts[Int(code)]), Int(starts[Int(code) + 1]), m, needle)
                }
            }
        }
    }

    /// Equality, prefix, suffix or substring of `h[hs..<he]` and the needle, bytewise.
    @inline(__always)
    static func matches(_ h: UnsafeBufferPointer<UInt8>, _ hs: Int, _ he: Int, _ m: TextMatch,
                        _ n: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = he - hs
        if n.count > length { return false }
        func at(_ start: Int) -> Bool {
            var i = 0
            while i < n.count {
                if h[start + i] != n[i] { return false }
                i += 1
            }
            return true
        }
        switch m {
        case .startsWith: return at(hs)
        case .endsWith: return at(he - n.count)
        case .contains:
            if n.isEmpty { return true }
            let first = n[0]
            var s = hs
            while s <= he - n.count {
                if h[s] == first && at(s) { return true }
                s += 1
            }
            return false
        }
    }

    /// Lexicographic byte comparison of `a[as..<ae]` and `b[bs..<be]`.
    @inline(__always)
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ as: Int, _ ae: Int,
                        _ b: UnsafeBufferPointer<UInt8>, _ bs: Int, _ be: Int) -> Int {
        let n = min(ae - `as`, be - bs)
        var i = 0
        while i < n {
            let x = a[`as` + i], y = b[bs + i]
            if x != y { return x < y ? -1 : 1 }
            i += 1
        }
        return (ae - `as`) - (be - bs)
    }

    public var memory: Int { sortedCodes.count * 8 + keyBytes.count + postings.memory }
}
