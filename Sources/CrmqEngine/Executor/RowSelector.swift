/// Runs a filter plan: gathers candidate rows through the chosen index, then tests what remains.
/// Always returns rows ascending.
struct RowSelector {
    let db: Database
    /// Checked between the passes over columns (each a few milliseconds at a million rows).
    var cancellation: Cancellation = .none
    /// Whole-column tests and tests of many candidates run on all cores.
    var parallelism: Parallelism = .cores

    func rows(_ plan: FilterPlan) throws(Diagnostic) -> [Int32] {
        try cancellation.check()
        let n = db[plan.entity].count
        if case .scan = plan.access {
            if plan.residual == .all { return RowSelector.all(n) }
            let bits = try evaluator(plan).evaluate(plan.residual, on: plan.entity)
            try cancellation.check()
            return bits.rows
        }
        let candidates = try access(plan.access, plan.entity)
        try cancellation.check()
        if plan.residual == .all { return candidates }
        // Most rows are candidates: test whole columns and intersect; fewer: test the candidates.
        if candidates.count > n / 2 {
            let bits = try evaluator(plan).evaluate(plan.residual, on: plan.entity)
            try cancellation.check()
            return candidates.filter { bits[Int($0)] }
        }
        let filter = CandidateFilter(db: db, cancellation: cancellation, plans: plan.related)
        if parallelism.chunkCount(candidates.count) > 1, RowSelector.isLocal(plan.residual) {
            // Chunks of the candidates tested on the cores; each stays ascending, so they join in order.
            let parts = try parallelism.map(candidates.count) { (range: Range<Int>) throws(Diagnostic) in
                try filter.filter(plan.residual, Array(candidates[range]))
            }
            try cancellation.check()
            return Array(parts.joined())
        }
        let kept = try filter.filter(plan.residual, candidates)
        try cancellation.check()
        return kept
    }

    private func evaluator(_ plan: FilterPlan) -> FilterEvaluator {
        FilterEvaluator(db, cancellation: cancellation, plans: plan.related, parallelism: parallelism)
    }

    /// Whether a filter reads only the candidates' own values (through references too): such a
    /// test costs the same cut in chunks. Segments and related records are worked out once for
    /// the whole filter, which each chunk would repeat.
    static func isLocal(_ f: BoundFilter) -> Bool {
        switch f {
        case .all, .none: return true
        case .test(_, .inSegment): return false
        case .test: return true
        case .and(let parts), .or(let parts): return parts.allSatisfy(isLocal)
        case .not(let inner): return isLocal(inner)
        case .scalar, .related: return false
        }
    }

    /// `0, 1, ..., n-1`, written directly (building it from a Range goes through a slow generic path).
    static func all(_ n: Int) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = Int32(i) }
            count = n
        }
    }

    /// The bitmap of the rows a plan keeps.
    func bitmap(_ plan: FilterPlan) throws(Diagnostic) -> Bitmap {
        if case .scan = plan.access {
            let bits = try evaluator(plan).evaluate(plan.residual, on: plan.entity)
            try cancellation.check()
            return bits
        }
        return Bitmap(rows: try rows(plan), count: db[plan.entity].count)
    }

    private func access(_ access: Access, _ entity: String) throws(Diagnostic) -> [Int32] {
        let c = db[entity]
        switch access {
        case .scan:
            return RowSelector.all(c.count)
        case .ids(let ids):
            return ids.compactMap { c.row(ofId: $0).map { Int32($0) } }.sorted()
        case .postings(let field, let keys, let nulls):
            let p = postings(c, field)
            var lists = keys.map { p.rows(for: $0) }
            if nulls { lists.append(p.nullRows[...]) }
            return merge(lists, count: c.count)
        case .textEquals(let field, let values):
            guard case .text(let t)? = c.index(field) else { preconditionFailure("planned without a text index") }
            let codes = values.flatMap { t.codes(equalTo: $0) }
            return merge(codes.map { t.postings.rows(for: Int64($0)) }, count: c.count)
        case .textPrefix(let field, let prefix):
            guard case .text(let t)? = c.index(field) else { preconditionFailure("planned without a text index") }
            return merge(t.codes(withPrefix: prefix).map { t.postings.rows(for: Int64($0)) }, count: c.count)
        case .range(let field, let lo, let hi):
            guard case .sorted(let s)? = c.index(field) else { preconditionFailure("planned without a sorted index") }
            let slice = s.rows[s.span(lo: lo, hi: hi)]
            // Rows come in value order; put them back in row order.
            if slice.count > c.count / 32 { return Bitmap(rows: slice, count: c.count).rows }
            return slice.sorted()
        case .reverse(let field, let target):
            let targetRows = try rows(target)
            let targetIds = db[target.entity].ids
            let p = postings(c, field)
            return merge(targetRows.map { p.rows(for: targetIds[Int($0)]) }, count: c.count)
        case .semiJoin(let collection, let child):
            return try SemiJoin(db: db, cancellation: cancellation).parents(collection, .all, plan: child).rows
        case .union(let plans):
            var lists: [ArraySlice<Int32>] = []
            for branch in plans { lists.append(try rows(branch)[...]) }
            return merge(lists, count: c.count)
        }
    }

    private func postings(_ c: Collection, _ field: Int) -> PostingIndex {
        switch c.index(field) {
        case .posting(let p)?: return p
        case .text(let t)?: return t.postings
        default: preconditionFailure("planned without a posting index")
        }
    }

    /// The union of ascending row lists, ascending.
    private func merge(_ lists: [ArraySlice<Int32>], count: Int) -> [Int32] {
        let nonEmpty = lists.filter { !$0.isEmpty }
        if nonEmpty.isEmpty { return [] }
        if nonEmpty.count == 1 { return Array(nonEmpty[0]) }
        let total = nonEmpty.reduce(0) { $0 + $1.count }
        if total > count / 32 {
            var bits = Bitmap(count: count)
            for list in nonEmpty { for r in list { bits.set(Int(r)) } }
            return bits.rows
        }
        var out: [Int32] = []
        out.reserveCapacity(total)
        for list in nonEmpty { out.append(contentsOf: list) }
        out.sort()
        // Lists of different keys never share a row, except unions of overlapping plans.
        var unique: [Int32] = []
        unique.reserveCapacity(out.count)
        for r in out where unique.last != r { unique.append(r) }
        return unique
    }
}

extension Bitmap {
    init<S: Sequence>(rows: S, count: Int) where S.Element == Int32 {
        self.init(count: count)
        for r in rows { set(Int(r)) }
    }
}
