/// Runs a `find`: filter, sort, offset and limit, then a lazy projection of the chosen columns.
struct FindExecutor {
    let db: Database

    func run(_ plan: FindPlan) -> ResultSet {
        let q = plan.query
        var rows = FilterEvaluator(db).evaluate(plan.filter, on: q.entity).rows
        if !q.order.isEmpty {
            let keys = q.order.map { SortKey(reader: PathReader($0.path, in: db), rows: rows, descending: $0.descending) }
            rows = SortKey.order(keys, count: rows.count).map { rows[$0] }
        }
        let start = min(q.offset, rows.count)
        let end = q.limit.map { min(rows.count, start + $0) } ?? rows.count
        if start > 0 || end < rows.count { rows = Array(rows[start..<end]) }
        let readers = q.columns.map { PathReader($0.path, in: db) }
        let columns = q.columns.map { ResultColumn($0.header, ResultType($0.path.type)) }
        return ResultSet(columns: columns, rows: rows, readers: readers)
    }
}
