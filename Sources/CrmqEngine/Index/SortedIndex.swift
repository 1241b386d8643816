/// The non-null values of a numeric or date column in ascending order, each with its row: range
/// predicates become two binary searches, and `order by ... limit` reads from one end.
/// Equal values keep their rows ascending.
public struct SortedIndex: Sendable {
    public let values: [Int64]
    public let rows: [Int32]

    public init(column: [Int64]) {
        var pairs: [(Int64, Int32)] = []
        pairs.reserveCapacity(column.count)
        for (row, v) in column.enumerated() where v != nullInt { pairs.append((v, Int32(row))) }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        values = pairs.map(\.0)
        rows = pairs.map(\.1)
    }

    public var count: Int { values.count }

    /// Positions `[start, end)` of the values within `[lo, hi]`.
    public func positions(lo: Int64, hi: Int64) -> Range<Int> {
        guard lo <= hi else { return 0..<0 }
        let start = lowerBound(lo)
        let end = hi == .max ? values.count : lowerBound(hi + 1)
        return start..<max(start, end)
    }

    /// The first position whose value is `>= v`.
    public func lowerBound(_ v: Int64) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    public var memory: Int { values.count * 12 }
}
