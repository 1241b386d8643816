/// Runs a `find`: select rows, order them (fully, through a heap, or in an index's order),
/// apply offset and limit, then project the columns lazily.
struct FindExecutor {
    let db: Database
    /// Checked once per block of rows: Ctrl-C and `.timeout` stop the statement.
    var cancellation: Cancellation = .none
    /// Large filters run on all cores.
    var parallelism: Parallelism = .cores

    func run(_ plan: FindPlan) throws(Diagnostic) -> ResultSet {
        let q = plan.query
        try cancellation.check()
        try cancellation.holdIfTesting()
        let selector = RowSelector(db: db, cancellation: cancellation, parallelism: parallelism)
        var rows: [Int32]
        switch plan.order {
        case .none:
            rows = try selector.rows(plan.filter)
        case .sort:
            rows = try selector.rows(plan.filter)
            let keys = try sortKeys(q, rows)
            rows = try SortKey.order(keys, count: rows.count, cancellation: cancellation).map { rows[$0] }
        case .heap(let keep):
            rows = try selector.rows(plan.filter)
            let keys = try sortKeys(q, rows)
            rows = try SortKey.best(keys, count: rows.count, keep: keep, cancellation: cancellation).map { rows[$0] }
        case .indexWalk(let field, let descending, let keep):
            rows = try walk(plan.filter, field: field, descending: descending, keep: keep)
        }
        let start = min(q.offset, rows.count)
        let end = q.limit.map { min(rows.count, start + $0) } ?? rows.count
        if start > 0 || end < rows.count { rows = Array(rows[start..<end]) }
        let columns = q.columns.map { ResultColumn($0.header, $0.value.type) }
        if q.columns.allSatisfy({ $0.path != nil }) {
            return ResultSet(columns: columns, rows: rows, readers: q.columns.map { PathReader($0.path!, in: db) })
        }
        // Computed columns are computed for the rows returned only (after offset and limit).
        let evaluator = try ScalarEvaluator(db: db, cancellation: cancellation, scalars: q.columns.map(\.value))
        var sources: [ResultSet.ColumnSource] = []
        for c in q.columns {
            if let p = c.path {
                sources.append(.reader(PathReader(p, in: db)))
            } else {
                sources.append(.values(try evaluator.valuesInBlocks(c.value, rows: rows).outputValues(c.value)))
            }
        }
        return ResultSet(columns: columns, rows: rows, sources: sources)
    }

    private func sortKeys(_ q: BoundFind, _ rows: [Int32]) throws(Diagnostic) -> [SortKey] {
        var keys: [SortKey] = []
        let computed = q.order.map(\.value).filter { $0.plainPath == nil }
        let evaluator = computed.isEmpty ? nil : try ScalarEvaluator(db: db, cancellation: cancellation, scalars: computed)
        for o in q.order {
            try cancellation.check()
            if let p = o.path {
                keys.append(try SortKey(reader: PathReader(p, in: db), rows: rows, descending: o.descending,
                                         cancellation: cancellation))
            } else if let evaluator {
                keys.append(try SortKey(values: try evaluator.valuesInBlocks(o.value, rows: rows), descending: o.descending,
                                         cancellation: cancellation))
            }
        }
        return keys
    }

    /// The first `keep` rows in the order of a sorted index that the filter keeps; equal values
    /// stay in row order, and rows with no value come last, as a full sort would give them.
    private func walk(_ filter: FilterPlan, field: Int, descending: Bool, keep: Int) throws(Diagnostic) -> [Int32] {
        guard case .sorted(let index)? = db[filter.entity].index(field) else { preconditionFailure("no sorted index") }
        let bits: Bitmap? = filter.residual == .all ? nil : try RowSelector(db: db, cancellation: cancellation, parallelism: parallelism).bitmap(filter)
        func kept(_ r: Int32) -> Bool { bits.map { $0[Int(r)] } ?? true }
        var out: [Int32] = []
        out.reserveCapacity(min(keep, index.count))  // `limit 2147483647` must not reserve 8 GB
        if descending {
            var end = index.count
            var runs = 0
            while end > 0 && out.count < keep {
                runs &+= 1
                if runs & Cancellation.blockMask == 0 { try cancellation.check() }
                // One run of equal values, emitted in row order.
                var start = end - 1
                let v = index.value(at: end - 1)
                while start > 0 && index.value(at: start - 1) == v {
                    start -= 1
                    if start & Cancellation.blockMask == 0 { try cancellation.check() }
                }
                for p in start..<end where kept(index.rows[p]) {
                    out.append(index.rows[p])
                    if out.count == keep { break }
                }
                end = start
            }
        } else {
            for p in 0..<index.count {
                if p & Cancellation.blockMask == 0 { try cancellation.check() }
                guard kept(index.rows[p]) else { continue }
                out.append(index.rows[p])
                if out.count == keep { break }
            }
        }
        if out.count < keep {
            let column = db[filter.entity].columns[field].integers
            for r in 0..<Int32(column.count) {
                if r & Int32(Cancellation.blockMask) == 0 { try cancellation.check() }
                guard column[Int(r)] == nullInt && kept(r) else { continue }
                out.append(r)
                if out.count == keep { break }
            }
        }
        return out
    }
}
