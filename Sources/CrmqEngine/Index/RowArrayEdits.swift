/// Removing and inserting a few entries of a large sorted row array in place: one block move
/// (memmove) per stretch between edits, so a change touches only the part of the array after its
/// first edit, and never allocates a new array.
enum RowArrayEdits {
    /// Removes the entries at `positions` (ascending, distinct, in range).
    static func remove(at positions: [Int], from a: inout [Int32]) {
        guard let first = positions.first else { return }
        let n = a.count
        a.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            var write = first
            for (i, p) in positions.enumerated() {
                let end = i + 1 < positions.count ? positions[i + 1] : n
                let length = end - p - 1
                if length > 0 { (base + write * 4).copyMemory(from: base + (p + 1) * 4, byteCount: length * 4) }
                write += length
            }
        }
        a.removeLast(positions.count)
    }

    /// Inserts `items[i]` before the entry now at `positions[i]` (`a.count` for the end);
    /// `positions` is ascending, and items at the same position go in the order given.
    static func insert(_ items: [Int32], at positions: [Int], into a: inout [Int32]) {
        precondition(items.count == positions.count, "one position per item")
        guard !items.isEmpty else { return }
        let n = a.count
        a.append(contentsOf: repeatElement(0, count: items.count))
        a.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            // From the back, so every entry moves once, to its final place.
            var end = n
            for i in stride(from: items.count - 1, through: 0, by: -1) {
                let p = positions[i]
                let length = end - p
                if length > 0 { (base + (p + i + 1) * 4).copyMemory(from: base + p * 4, byteCount: length * 4) }
                buffer[p + i] = items[i]
                end = p
            }
        }
    }

    /// Keeps the rows that `renumbered` maps to a row (it maps a removed row to -1), renumbered,
    /// in their order: what a deletion that moves later rows up does to a list of rows.
    static func renumber(_ a: inout [Int32], _ renumbered: UnsafeBufferPointer<Int32>) {
        var write = 0
        a.withUnsafeMutableBufferPointer { rows in
            for read in 0..<rows.count {
                let r = renumbered[Int(rows[read])]
                if r >= 0 {
                    rows[write] = r
                    write += 1
                }
            }
        }
        a.removeLast(a.count - write)
    }
}

extension RowArrayEdits {
    /// The first position in `from ..< end` whose entry is not below what is searched
    /// (`isBelow` holds up to some position, then never), or `end`. It looks 1, 2, 4, ...
    /// entries ahead first, so ascending searches over one array cost a pass for many and a
    /// binary search for few.
    @inline(__always)
    static func gallop(from: Int, to end: Int, _ isBelow: (Int) -> Bool) -> Int {
        var lo = from, hi = from, step = 1
        while hi < end && isBelow(hi) {
            lo = hi + 1
            hi = min(end, hi + step)
            step *= 2
        }
        while lo < hi {
            let mid = (lo + hi) / 2
            if isBelow(mid) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
