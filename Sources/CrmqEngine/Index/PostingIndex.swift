/// Rows grouped by an integer key (an enum code, a text's dictionary code, a referenced id),
/// stored as one array of rows with offsets (CSR): `rows[offsets[k] ..< offsets[k + 1]]` are the
/// rows whose key is `k`, ascending. For a reference this is the reverse index: an account's id
/// gives the rows of its opportunities.
public struct PostingIndex: Sendable {
    public let offsets: [Int32]
    public let rows: [Int32]
    /// Rows whose key is null, ascending.
    public let nullRows: [Int32]

    /// Builds the index over `keys` (one per row; `nullInt` or a negative value for null) with a
    /// counting sort: two passes, no comparisons.
    public init(keys: [Int64], keyCount: Int) {
        var counts = [Int32](repeating: 0, count: keyCount + 1)
        var nulls: [Int32] = []
        keys.withUnsafeBufferPointer { k in
            for v in k {
                if v >= 0 && v < keyCount { counts[Int(v) + 1] += 1 }
            }
        }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var next = counts
        var rows = [Int32](repeating: 0, count: Int(counts[keyCount]))
        keys.withUnsafeBufferPointer { k in
            rows.withUnsafeMutableBufferPointer { out in
                next.withUnsafeMutableBufferPointer { pos in
                    for (row, v) in k.enumerated() {
                        if v >= 0 && v < keyCount {
                            out[Int(pos[Int(v)])] = Int32(row)
                            pos[Int(v)] += 1
                        } else {
                            nulls.append(Int32(row))
                        }
                    }
                }
            }
        }
        self.offsets = counts
        self.rows = rows
        self.nullRows = nulls
    }

    public var keyCount: Int { offsets.count - 1 }

    /// The rows with key `k` (none for a key outside the index).
    public func rows(for k: Int64) -> ArraySlice<Int32> {
        guard k >= 0, k < keyCount else { return [] }
        return rows[Int(offsets[Int(k)])..<Int(offsets[Int(k) + 1])]
    }

    public func count(for k: Int64) -> Int {
        guard k >= 0, k < keyCount else { return 0 }
        return Int(offsets[Int(k) + 1] - offsets[Int(k)])
    }

    /// Approximate bytes held.
    public var memory: Int { (offsets.count + rows.count + nullRows.count) * 4 }
}
