/// Sort keys as integers: each path's values mapped to a rank that orders the way users expect
/// (numbers and dates by value, enums in their list's order, text alphabetically ignoring case).
struct SortKey {
    /// One rank per input row; `nullInt` for null.
    var ranks: [Int64]
    var descending: Bool

    init(reader: PathReader, rows: [Int32], descending: Bool, cancellation: Cancellation = .none) throws(Diagnostic) {
        self.descending = descending
        var ranks = rows.map { reader.stored(Int($0)) }
        if case .text(let t) = reader.column {
            let order = try SortKey.alphabeticalRanks(t.dictionary, cancellation: cancellation)
            for i in ranks.indices where ranks[i] != nullInt { ranks[i] = order[Int(ranks[i])] }
        }
        self.ranks = ranks
    }

    /// The rank of each dictionary entry in case-insensitive alphabetical order (ties by exact text).
    static func alphabeticalRanks(_ dictionary: TextDictionary, cancellation: Cancellation = .none) throws(Diagnostic) -> [Int64] {
        try alphabeticalRanks(Array(dictionary), cancellation: cancellation)
    }

    static func alphabeticalRanks(_ dictionary: [String], cancellation: Cancellation = .none) throws(Diagnostic) -> [Int64] {
        var lowered: [String] = []
        lowered.reserveCapacity(dictionary.count)
        for (i, s) in dictionary.enumerated() {
            if i & 4095 == 0 { try cancellation.check() }
            lowered.append(s.lowercased())
        }
        var sorted = Array(dictionary.indices)
        try cancellation.sort(&sorted) {
            lowered[$0] != lowered[$1] ? lowered[$0] < lowered[$1] : dictionary[$0] < dictionary[$1]
        }
        var rank = [Int64](repeating: 0, count: dictionary.count)
        for (r, i) in sorted.enumerated() { rank[i] = Int64(r) }
        return rank
    }

    /// Orders positions `a` and `b`: nulls last in either direction, as users of a CRM expect
    /// ("top deals by value" should not start with deals that have no value).
    @inline(__always)
    func compare(_ a: Int, _ b: Int) -> Int {
        let x = ranks[a], y = ranks[b]
        if x == y { return 0 }
        if x == nullInt { return 1 }
        if y == nullInt { return -1 }
        return (x < y) != descending ? -1 : 1
    }

    /// The first `keep` positions of `order(keys, count:)`, without sorting the rest: a bounded
    /// max-heap holds the best so far, and most positions lose against its top at once.
    static func best(_ keys: [SortKey], count: Int, keep: Int, cancellation: Cancellation = .none) throws(Diagnostic) -> [Int] {
        guard keep > 0 else { return [] }
        func less(_ a: Int, _ b: Int) -> Bool {
            for k in keys {
                let c = k.compare(a, b)
                if c != 0 { return c < 0 }
            }
            return a < b
        }
        var heap: [Int] = []
        heap.reserveCapacity(keep + 1)
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var top = i
                if l < heap.count && less(heap[top], heap[l]) { top = l }
                if r < heap.count && less(heap[top], heap[r]) { top = r }
                if top == i { return }
                heap.swapAt(i, top)
                i = top
            }
        }
        for p in 0..<count {
            if p & Cancellation.blockMask == 0 { try cancellation.check() }
            if heap.count < keep {
                heap.append(p)
                var i = heap.count - 1
                while i > 0 {
                    let parent = (i - 1) / 2
                    if !less(heap[parent], heap[i]) { break }
                    heap.swapAt(i, parent)
                    i = parent
                }
            } else if less(p, heap[0]) {
                heap[0] = p
                siftDown(0)
            }
        }
        try cancellation.sort(&heap, by: less)
        return heap
    }

    /// Sorts positions `0..<count` by `keys` in turn, ties kept in input order.
    static func order(_ keys: [SortKey], count: Int, cancellation: Cancellation = .none) throws(Diagnostic) -> [Int] {
        var positions = Array(0..<count)
        try cancellation.sort(&positions) { a, b in
            for k in keys {
                let c = k.compare(a, b)
                if c != 0 { return c < 0 }
            }
            return a < b
        }
        return positions
    }
}
