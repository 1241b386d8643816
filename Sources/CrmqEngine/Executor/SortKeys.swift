/// Sort keys as integers: each path's values mapped to a rank that orders the way users expect
/// (numbers and dates by value, enums in their list's order, text alphabetically ignoring case).
struct SortKey {
    /// One rank per input row; `nullInt` for null.
    var ranks: [Int64]
    var descending: Bool

    init(reader: PathReader, rows: [Int32], descending: Bool) {
        self.descending = descending
        var ranks = rows.map { reader.stored(Int($0)) }
        if case .text(let t) = reader.column {
            let order = SortKey.alphabeticalRanks(t.dictionary)
            for i in ranks.indices where ranks[i] != nullInt { ranks[i] = order[Int(ranks[i])] }
        }
        self.ranks = ranks
    }

    /// The rank of each dictionary entry in case-insensitive alphabetical order (ties by exact text).
    static func alphabeticalRanks(_ dictionary: [String]) -> [Int64] {
        let lowered = dictionary.map { $0.lowercased() }
        let sorted = dictionary.indices.sorted {
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

    /// Sorts positions `0..<count` by `keys` in turn, ties kept in input order.
    static func order(_ keys: [SortKey], count: Int) -> [Int] {
        var positions = Array(0..<count)
        positions.sort { a, b in
            for k in keys {
                let c = k.compare(a, b)
                if c != 0 { return c < 0 }
            }
            return a < b
        }
        return positions
    }
}
