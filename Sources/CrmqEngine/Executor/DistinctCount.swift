/// `count distinct PATH`: per group, the number of different non-null stored values. Text is
/// compared as stored (its dictionary code), so case-sensitively, as `by` groups it.
extension GroupTable {
    /// Bits a per-group table of the values seen may take before a hash set is used instead.
    static let distinctTableBits = 1 << 26

    mutating func countDistinct(_ values: [Int64], call c: Int, slots: [Int32], cancellation: Cancellation) throws(Diagnostic) {
        // Ids and codes are mostly a dense range: a bit per (group, value) decides "seen" with one
        // load, where a hash set of pairs costs a hash per row.
        var lo = Int64.max, hi = Int64.min, groups: Int32 = 0
        for (i, v) in values.enumerated() where v != nullInt {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
            groups = Swift.max(groups, slots[i] + 1)
        }
        if lo <= hi, hi - lo < Int64(GroupTable.distinctTableBits), (hi - lo + 1) * Int64(groups) <= Int64(GroupTable.distinctTableBits) {
            let width = Int(hi - lo + 1)
            var seen = Bitmap(count: width * Int(groups))
            for i in slots.indices {
                if i & Cancellation.blockMask == 0 { try cancellation.check() }
                let v = values[i]
                if v == nullInt { continue }
                let bit = Int(slots[i]) * width + Int(v - lo)
                if !seen[bit] {
                    seen.set(bit)
                    counts[Int(slots[i]) * calls + c] += 1
                }
            }
            return
        }
        var seen = Set<DistinctPair>()
        for i in slots.indices {
            if i & Cancellation.blockMask == 0 { try cancellation.check() }
            let v = values[i]
            if v == nullInt { continue }
            if seen.insert(DistinctPair(slot: slots[i], value: v)).inserted {
                counts[Int(slots[i]) * calls + c] += 1
            }
        }
    }
}

/// A group slot and a value seen in it.
private struct DistinctPair: Hashable {
    let slot: Int32
    let value: Int64
}
