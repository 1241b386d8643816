/// `with totals`: after each group of the leading keys a subtotal row, and a grand total last, as
/// SQL's ROLLUP gives them. Every subtotal is aggregated again over the rows of its groups (an
/// average of the rows, not of the groups' averages; a distinct count of the rows), over the rows
/// of the groups that `having` keeps.
///
/// Order: the groups under one subtotal are ordered by `order by` (then by their keys), and the
/// subtotals among themselves the same way, by their own values: `order by sum desc` puts the
/// largest team first and, within each team, its largest type first. `limit` and `offset` then
/// count the rows shown, totals included.
struct AggregateTotals {
    let executor: AggregateExecutor
    let query: BoundAggregate
    let groups: [GroupColumn]
    let inputs: [CallInput]

    private struct Entry {
        /// How many leading keys the row keeps: all of them for a group, fewer for a subtotal.
        var level: Int
        var keys: [Int64]
        var values: [Value]
        var sortable: [Int128?]
    }

    func result(details: [(keys: [Int64], values: [Value], sortable: [Int128?])], slots: [Int32],
                passing: [Bool]?) throws(Diagnostic) -> ResultSet {
        let k = groups.count
        var entries = details.map { Entry(level: k, keys: $0.keys, values: $0.values, sortable: $0.sortable) }
        var columns = groups, values = inputs, count = groups.first?.keys.count ?? 0
        if let passing {
            let positions = slots.indices.filter { passing[Int(slots[$0])] }.map { Int32($0) }
            columns = groups.map { $0.keeping(positions) }
            values = inputs.map { $0.keeping(positions) }
            count = positions.count
        }
        for level in stride(from: k - 1, through: 0, by: -1) {
            try executor.cancellation.check()
            let (table, _) = try executor.aggregate(query, Array(columns.prefix(level)), values, count: count, needSlots: false)
            for slot in table.usedSlots {
                let (keys, v, sortable) = try executor.row(query, table, values, slot: slot)
                entries.append(Entry(level: level, keys: keys + [Int64](repeating: 0, count: k - level), values: v, sortable: sortable))
            }
        }
        let order = try ordered(entries)
        let start = min(query.offset, order.count)
        let end = query.limit.map { min(order.count, start + $0) } ?? order.count
        var rows: [[Value]] = []
        var totals: [Int: Int] = [:]
        for p in order[start..<end] {
            let e = entries[p]
            if e.level < k { totals[rows.count] = e.level }
            rows.append((0..<k).map { $0 < e.level ? groups[$0].decode(e.keys[$0]) : .null } + e.values)
        }
        return ResultSet(columns: AggregateExecutor.columns(query), rows: rows, keyColumns: k, totals: totals)
    }

    /// The entries in report order: each subtotal after its groups, siblings by `order by`.
    private func ordered(_ entries: [Entry]) throws(Diagnostic) -> [Int] {
        let k = groups.count
        var ranks: [[Int64]] = []
        for e in entries {
            ranks.append((0..<k).map { i in
                let v = e.keys[i]
                if i >= e.level || v == nullInt { return nullInt }
                return groups[i].ranks.map { $0[Int(v)] } ?? v
            })
        }
        // The entry standing for each prefix of keys: a subtotal, or the group itself.
        var byPrefix: [[Int64]: Int] = [:]
        for (i, e) in entries.enumerated() { byPrefix[Array(e.keys.prefix(e.level))] = i }

        func compare<T: Comparable>(_ a: T?, _ b: T?, _ descending: Bool) -> Bool? {
            if a == b { return nil }
            guard let a else { return false }
            guard let b else { return true }
            return (a < b) != descending
        }
        func rank(_ x: Int, _ i: Int) -> Int64? { ranks[x][i] == nullInt ? nil : ranks[x][i] }
        /// Two entries under one parent, both keeping `level` keys.
        func siblings(_ x: Int, _ y: Int, _ level: Int) -> Bool {
            for key in query.order {
                switch key {
                case .group(let i, let d) where i < level:
                    if let c = compare(rank(x, i), rank(y, i), d) { return c }
                case .value(let i, let d):
                    if let c = compare(entries[x].sortable[i], entries[y].sortable[i], d) { return c }
                default: continue
                }
            }
            for i in 0..<level { if let c = compare(rank(x, i), rank(y, i), false) { return c } }
            return false
        }
        var order = Array(entries.indices)
        try executor.cancellation.sort(&order) { x, y in
            let a = entries[x], b = entries[y]
            let common = min(a.level, b.level)
            guard let split = (0..<common).first(where: { a.keys[$0] != b.keys[$0] }) else {
                // One holds the other: the group comes before its subtotal.
                return a.level > b.level
            }
            let ax = byPrefix[Array(a.keys.prefix(split + 1))] ?? x
            let by = byPrefix[Array(b.keys.prefix(split + 1))] ?? y
            return siblings(ax, by, split + 1)
        }
        return order
    }
}
