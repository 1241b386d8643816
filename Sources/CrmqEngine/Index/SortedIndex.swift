/// The rows of a numeric or date column in ascending order of value (rows with no value left
/// out): range predicates become two binary searches, and `order by ... limit` reads from one end.
/// Equal values keep their rows ascending.
///
/// The values are read from the column itself, which the index shares rather than copies: an
/// index costs four bytes a row, not twelve. While the column changes, the index lets go of it
/// (`SortedIndex+Changes.swift`), so that the write does not copy the whole column.
public struct SortedIndex: Sendable {
    var column: IntColumn
    public internal(set) var rows: [Int32]

    public init(column: IntColumn, cancellation: Cancellation = .none) throws(Diagnostic) {
        self.column = column
        var rows: [Int32] = []
        rows.reserveCapacity(column.count)
        column.forEachValue { row, v in if v != nullInt { rows.append(Int32(row)) } }
        try column.withReader { (c) throws(Diagnostic) in
            try cancellation.sort(&rows) { c(Int($0)) != c(Int($1)) ? c(Int($0)) < c(Int($1)) : $0 < $1 }
        }
        self.rows = rows
    }

    public var count: Int { rows.count }

    /// The value at sorted position `p`.
    @inline(__always)
    public func value(at p: Int) -> Int64 { column[Int(rows[p])] }

    /// Positions `[start, end)` of the values within `[lo, hi]`.
    public func positions(lo: Int64, hi: Int64) -> Range<Int> {
        guard lo <= hi else { return 0..<0 }
        let start = lowerBound(lo)
        let end = hi == .max ? rows.count : lowerBound(hi + 1)
        return start..<max(start, end)
    }

    /// The first position whose value is `>= v`.
    public func lowerBound(_ v: Int64) -> Int {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if value(at: mid) < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    public var memory: Int { rows.count * 4 }
}
