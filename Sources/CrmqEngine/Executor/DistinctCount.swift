/// `count distinct PATH`: per group, the number of different non-null stored values. Text is
/// compared as stored (its dictionary code), so case-sensitively, as `by` groups it.
extension GroupTable {
    mutating func countDistinct(_ values: [Int64], call c: Int, slots: [Int32], cancellation: Cancellation) throws(Diagnostic) {
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
