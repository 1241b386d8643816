/// The inner loops of grouping, over raw buffers and a range of rows, so a chunk of a large input
/// runs them on its own core (and a narrower column type needs only another overload).
enum GroupKernels {
    /// Adds one to each row's slot: its key (a code below `nullSlot`), or `nullSlot` for null.
    @inline(__always)
    static func countSlots(_ key: UnsafeBufferPointer<Int64>, _ range: Range<Int>, nullSlot: Int,
                           into rows: UnsafeMutableBufferPointer<Int>) {
        for i in range {
            let v = key[i]
            rows[v == nullInt ? nullSlot : Int(v)] &+= 1
        }
    }

    /// Adds each row's value (nulls skipped) into its key's slot. False when an Int64 sum overflowed.
    @inline(__always)
    static func sumSlots(_ values: UnsafeBufferPointer<Int64>, by key: UnsafeBufferPointer<Int64>, _ range: Range<Int>,
                         nullSlot: Int, into sums: UnsafeMutableBufferPointer<Int64>) -> Bool {
        var overflow = false
        for i in range {
            let x = values[i]
            if x == nullInt { continue }
            let kv = key[i]
            let slot = kv == nullInt ? nullSlot : Int(kv)
            let (t, o) = sums[slot].addingReportingOverflow(x)
            sums[slot] = t
            overflow = overflow || o
        }
        return !overflow
    }

    /// Adds the rows' values (nulls skipped) into `sum`. False when it overflowed.
    @inline(__always)
    static func sumAll(_ values: UnsafeBufferPointer<Int64>, _ range: Range<Int>, into sum: inout Int64) -> Bool {
        var overflow = false
        for i in range {
            let x = values[i]
            if x == nullInt { continue }
            let (t, o) = sum.addingReportingOverflow(x)
            sum = t
            overflow = overflow || o
        }
        return !overflow
    }
}
