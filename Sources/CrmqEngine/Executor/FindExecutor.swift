/// Runs a `find`: select rows, order them (fully, through a heap, or in an index's order),
/// apply offset and limit, then project the columns lazily.
struct FindExecutor {
    let db: Database

    func run(_ plan: FindPlan) -> ResultSet {
        let q = plan.query
        let selector = RowSelector(db: db)
        var rows: [Int32]
        switch plan.order {
        case .none:
            rows = selector.rows(plan.filter)
        case .sort:
            rows = selector.rows(plan.filter)
            let keys = sortKeys(q, rows)
            rows = SortKey.order(keys, count: rows.count).map { rows[$0] }
        case .heap(let keep):
            rows = selector.rows(plan.filter)
            let keys = sortKeys(q, rows)
            rows = SortKey.best(keys, count: rows.count, keep: keep).map { rows[$0] }
        case .indexWalk(let field, let descending, let keep):
            rows = walk(plan.filter, field: field, descending: descending, keep: keep)
        }
        let start = min(q.offset, rows.count)
        let end = q.limit.map { min(rows.count, start + $0) } ?? rows.count
        if start > 0 || end < rows.count { rows = Array(rows[start..<end]) }
        let readers = q.columns.map { PathReader($0.path, in: db) }
        let columns = q.columns.map { ResultColumn($0.header, ResultType($0.path.type)) }
        return ResultSet(columns: columns, rows: rows, readers: readers)
    }

    private func sortKeys(_ q: BoundFind, _ rows: [Int32]) -> [SortKey] {
        q.order.map { SortKey(reader: PathReader($0.path, in: db), rows: rows, descending: $0.descending) }
    }

    /// The first `keep` rows in the order of a sorted index that the filter keeps; equal values
    /// stay in row order, and rows with no value come last, as a full sort would give them.
    private func walk(_ filter: FilterPlan, field: Int, descending: Bool, keep: Int) -> [Int32] {
        guard case .sorted(let index)? = db[filter.entity].index(field) else { preconditionFailure("no sorted index") }
        let bits: Bitmap? = filter.residual == .all ? nil : RowSelector(db: db).bitmap(filter)
        func kept(_ r: Int32) -> Bool { bits.map { $0[Int(r)] } ?? true }
        var out: [Int32] = []
        out.reserveCapacity(min(keep, index.count))  // `limit 2147483647` must not reserve 8 GB
        if descending {
            var end = index.count
            while end > 0 && out.count < keep {
                // One run of equal values, emitted in row order.
                var start = end - 1
                let v = index.value(at: end - 1)
                while start > 0 && index.value(at: start - 1) == v { start -= 1 }
                for p in start..<end where kept(index.rows[p]) {
                    out.append(index.rows[p])
                    if out.count == keep { break }
                }
                end = start
            }
        } else {
            for p in 0..<index.count where kept(index.rows[p]) {
                out.append(index.rows[p])
                if out.count == keep { break }
            }
        }
        if out.count < keep {
            let column = db[filter.entity].columns[field].integers
            for r in 0..<Int32(column.count) where column[Int(r)] == nullInt && kept(r) {
                out.append(r)
                if out.count == keep { break }
            }
        }
        return out
    }
}
