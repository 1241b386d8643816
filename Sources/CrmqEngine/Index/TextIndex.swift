/// A text column's dictionary in case-insensitive alphabetical order, with the rows of each
/// dictionary code: `=`, `in` and `starts with` look up codes by binary search instead of testing
/// every distinct value, then read the rows from the postings.
public struct TextIndex: Sendable {
    /// Dictionary codes in alphabetical (lowercased) order.
    public let sortedCodes: [Int32]
    /// The lowercased text of each entry of `sortedCodes`.
    public let sortedKeys: [String]
    public let postings: PostingIndex

    public init(_ column: TextColumn) {
        let lowered = column.dictionary.map { $0.lowercased() }
        let order = lowered.indices.sorted { lowered[$0] != lowered[$1] ? lowered[$0] < lowered[$1] : $0 < $1 }
        sortedCodes = order.map { Int32($0) }
        sortedKeys = order.map { lowered[$0] }
        postings = PostingIndex(keys: column.codes.map { Int64($0) }, keyCount: column.dictionary.count)
    }

    /// Codes whose text equals `lowered` ignoring case.
    public func codes(equalTo lowered: String) -> ArraySlice<Int32> {
        let start = lowerBound(lowered)
        var end = start
        while end < sortedKeys.count && sortedKeys[end] == lowered { end += 1 }
        return sortedCodes[start..<end]
    }

    /// Codes whose text starts with `lowered` ignoring case.
    public func codes(withPrefix lowered: String) -> ArraySlice<Int32> {
        let start = lowerBound(lowered)
        var end = start
        while end < sortedKeys.count && sortedKeys[end].hasPrefix(lowered) { end += 1 }
        return sortedCodes[start..<end]
    }

    private func lowerBound(_ key: String) -> Int {
        var lo = 0, hi = sortedKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sortedKeys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    public var memory: Int { sortedCodes.count * 4 + sortedKeys.reduce(0) { $0 + $1.utf8.count + 16 } + postings.memory }
}
