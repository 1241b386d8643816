/// A text column's dictionary in case-insensitive byte order, with the rows of each dictionary
/// code: `=`, `in` and `starts with` find their codes by binary search instead of testing every
/// distinct value, then read the rows from the postings.
///
/// The lowercased keys live in one byte buffer (not one String each): building and searching
/// compare raw bytes, which is many times faster than String comparison for half a million emails.
public struct TextIndex: Sendable {
    /// Dictionary codes in key order.
    public let sortedCodes: [Int32]
    /// Lowercased UTF-8 of every dictionary entry, in code order, and where each starts.
    private let keyBytes: [UInt8]
    private let keyStarts: [Int32]
    public let postings: PostingIndex

    public init(_ column: TextColumn) {
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        starts.reserveCapacity(column.dictionary.count + 1)
        for text in column.dictionary {
            let lowered = TextIndex.fold(text)
            bytes.append(contentsOf: lowered.utf8)
            starts.append(Int32(bytes.count))
        }
        keyBytes = bytes
        keyStarts = starts
        var codes = (0..<Int32(column.dictionary.count)).map { $0 }
        bytes.withUnsafeBufferPointer { b in
            starts.withUnsafeBufferPointer { s in
                codes.sort { x, y in
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
