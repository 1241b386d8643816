/// Both bounds of a range in one search (the planner's range access and its estimate).
extension SortedIndex {
    /// Positions `[start, end)` of the values within `[lo, hi]`, as `positions(lo:hi:)` gives them,
    /// found in one descent: both bounds share the halvings until a middle value falls inside the
    /// range, then each finishes in its own half (C++'s `equal_range`).
    public func span(lo: Int64, hi: Int64) -> Range<Int> {
        guard lo <= hi else { return 0..<0 }
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            let v = value(at: mid)
            if v < lo {
                low = mid + 1
            } else if v > hi {
                high = mid
            } else {
                let start = partitionPoint(low..<mid) { value(at: $0) >= lo }
                let end = partitionPoint(mid + 1..<high) { value(at: $0) > hi }
                return start..<end
            }
        }
        return low..<low
    }

    /// The first position in `range` where `holds` is true (it stays true after it), or the end.
    @inline(__always)
    private func partitionPoint(_ range: Range<Int>, where holds: (Int) -> Bool) -> Int {
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let mid = (low + high) / 2
            if holds(mid) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
