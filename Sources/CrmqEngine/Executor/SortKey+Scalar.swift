/// Sort keys of computed values (`order by value * probability desc`): computed once for every
/// candidate row, set-wise, then ranked like a field's values.
extension SortKey {
    init(values: ScalarValues, descending: Bool, cancellation: Cancellation = .none) throws(Diagnostic) {
        self.descending = descending
        switch values {
        case .texts(let codes, let dictionary):
            let order = try SortKey.alphabeticalRanks(dictionary, cancellation: cancellation)
            ranks = codes.map { $0 < 0 ? nullInt : order[Int($0)] }
        case .numbers(let v, let ok):
            let fits = v.allSatisfy { $0 > Int128(nullInt) && $0 <= Int128(Int64.max) }
            if fits {
                ranks = v.indices.map { ok[$0] ? Int64(v[$0]) : nullInt }
                return
            }
            // Beyond 64 bits: rank the distinct values instead.
            let distinct = Array(Set(v.indices.filter { ok[$0] }.map { v[$0] })).sorted()
            var rank: [Int128: Int64] = [:]
            for (r, x) in distinct.enumerated() { rank[x] = Int64(r) }
            ranks = v.indices.map { ok[$0] ? rank[v[$0]]! : nullInt }
        }
    }
}
