/// Rows grouped by an integer key (an enum code, a text's dictionary code, a referenced id),
/// stored as one array of rows with offsets (CSR): `rows[offsets[k] ..< offsets[k + 1]]` are the
/// rows whose key is `k`, ascending. For a reference this is the reverse index: an account's id
/// gives the rows of its opportunities.
///
/// A key space far larger than the rows (a reference into ids with large gaps, up to 2^31 in a
/// file) is kept sparse: `sparseKeys` lists the keys present in order, and slot `s` holds the rows
/// of `sparseKeys[s]`. Memory then follows the rows, not the key space.
public struct PostingIndex: Sendable {
    public internal(set) var offsets: [Int32]
    public internal(set) var rows: [Int32]
    /// Rows whose key is null, ascending.
    public internal(set) var nullRows: [Int32]
    /// The keys present, ascending, when the index is sparse; nil when slot `k` is key `k`. A
    /// sparse slot may be left without rows by changes (`PostingIndex+Changes.swift`).
    public internal(set) var sparseKeys: [Int64]?
    /// Keys are below this.
    public internal(set) var keyCount: Int

    /// Builds the index over `keys` (one per row; `nullInt` or a negative value for null).
    public init(keys: [Int64], keyCount: Int) {
        self.keyCount = keyCount
        if keyCount > IdMap.denseLimit(records: keys.count) {
            (offsets, rows, nullRows, sparseKeys) = Self.sparse(keys: keys, keyCount: keyCount)
            return
        }
        sparseKeys = nil
        // A counting sort: two passes, no comparisons.
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

    /// The sparse form: rows sorted by key (stable, so each key's rows stay ascending).
    private static func sparse(keys: [Int64], keyCount: Int) -> ([Int32], [Int32], [Int32], [Int64]) {
        var nulls: [Int32] = [], present: [Int32] = []
        for (row, v) in keys.enumerated() {
            if v >= 0 && v < keyCount { present.append(Int32(row)) } else { nulls.append(Int32(row)) }
        }
        present.sort { keys[Int($0)] != keys[Int($1)] ? keys[Int($0)] < keys[Int($1)] : $0 < $1 }
        var offsets: [Int32] = [0], distinct: [Int64] = []
        for (p, row) in present.enumerated() {
            let k = keys[Int(row)]
            if distinct.last != k {
                if !distinct.isEmpty { offsets.append(Int32(p)) }
                distinct.append(k)
            }
        }
        if !distinct.isEmpty { offsets.append(Int32(present.count)) }
        return (offsets, present, nulls, distinct)
    }

    /// The slot of key `k`, or nil when no row has it.
    func slot(_ k: Int64) -> Int? {
        guard k >= 0, k < keyCount else { return nil }
        guard let sparseKeys else { return Int(k) }
        var lo = 0, hi = sparseKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sparseKeys[mid] < k { lo = mid + 1 } else { hi = mid }
        }
        return lo < sparseKeys.count && sparseKeys[lo] == k ? lo : nil
    }

    /// The rows with key `k` (none for a key outside the index).
    public func rows(for k: Int64) -> ArraySlice<Int32> {
        guard let s = slot(k) else { return [] }
        return rows[Int(offsets[s])..<Int(offsets[s + 1])]
    }

    public func count(for k: Int64) -> Int {
        guard let s = slot(k) else { return 0 }
        return Int(offsets[s + 1] - offsets[s])
    }

    /// Each key that has rows, ascending, with how many.
    public var keysPresent: [(key: Int64, rows: Int)] {
        let slots = offsets.count - 1
        return (0..<max(slots, 0)).compactMap { s in
            let n = Int(offsets[s + 1] - offsets[s])
            return n > 0 ? (sparseKeys?[s] ?? Int64(s), n) : nil
        }
    }

    /// Approximate bytes held.
    public var memory: Int { (offsets.count + rows.count + nullRows.count) * 4 + (sparseKeys?.count ?? 0) * 8 }
}
