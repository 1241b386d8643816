/// `any`, `no` and `all` over a child collection, set-wise: the child's condition runs once over the
/// child collection (through its plan, so the child's indexes apply), the passing records name their
/// parents through their reference column, and the parents carry back to the statement's rows over
/// the dot path. Never a scan of the children per parent.
///
/// When only a few candidate rows are asked about, their children are found the other way, through
/// the reverse index of the child's reference (the parents' postings), and only those are tested.
struct SemiJoin {
    let db: Database
    var cancellation: Cancellation = .none

    /// The child records whose presence decides: for `all C (f)`, the records that break it.
    static func childFilter(_ q: Quantifier, _ f: BoundFilter) -> BoundFilter {
        q == .all ? .not(f) : f
    }

    /// The rows of the collection's root that `q C (f)` keeps. `plan` is the child filter's plan
    /// (nil: a plain scan of the child collection).
    func matches(_ q: Quantifier, _ c: BoundChildCollection, _ f: BoundFilter, plan: FilterPlan?) throws(Diagnostic) -> Bitmap {
        var bits = try carry(parents(c, SemiJoin.childFilter(q, f), plan: plan), over: c)
        if q != .any { bits.invert() }
        return bits
    }

    /// Of `rows` (ascending rows of the root), those that `q C (f)` keeps, ascending.
    func matches(_ q: Quantifier, _ c: BoundChildCollection, _ f: BoundFilter, plan: FilterPlan?,
                 among rows: [Int32]) throws(Diagnostic) -> [Int32] {
        let childFilter = SemiJoin.childFilter(q, f)
        let parentRows = self.parentRows(of: rows, c)
        let has: Bitmap
        if let few = try parentsThroughPostings(parentRows, c, childFilter, plan: plan) {
            has = few
        } else {
            has = try parents(c, childFilter, plan: plan)
        }
        var out: [Int32] = []
        out.reserveCapacity(rows.count)
        for (i, r) in rows.enumerated() {
            let p = parentRows[i]
            if (p >= 0 && has[Int(p)]) == (q == .any) { out.append(r) }
        }
        return out
    }

    // MARK: - From the children

    /// The parent rows with at least one child record that `filter` keeps; with a plan (of that
    /// filter), the plan decides.
    func parents(_ c: BoundChildCollection, _ filter: BoundFilter, plan: FilterPlan?) throws(Diagnostic) -> Bitmap {
        try cancellation.check()
        let refs = db[c.child].columns[c.reference].integers
        let parent = db[c.parent]
        let map = parent.idMap
        let children: [Int32]?
        if let plan {
            if case .scan = plan.access, plan.residual == .all {
                children = nil
            } else {
                children = try RowSelector(db: db, cancellation: cancellation).rows(plan)
            }
        } else if filter == .all {
            children = nil
        } else {
            children = try FilterEvaluator(db, cancellation: cancellation).evaluate(filter, on: c.child).rows
        }
        // The bitmap is local to the loop (not captured), so its writes need no exclusivity checks.
        return try refs.withReader { (ref) throws(Diagnostic) -> Bitmap in
            var has = Bitmap(count: parent.count)
            let n = children?.count ?? refs.count
            let block = 1 << 16
            var start = 0
            while start < n {
                let end = Swift.min(start + block, n)
                if let children {
                    for k in start..<end {
                        let prow = map.row(ref(Int(children[k])))
                        if prow >= 0 { has.set(Int(prow)) }
                    }
                } else {
                    for i in start..<end {
                        let prow = map.row(ref(i))
                        if prow >= 0 { has.set(Int(prow)) }
                    }
                }
                try cancellation.check()
                start = end
            }
            return has
        }
    }

    // MARK: - From the parents

    /// The parent row each root row reaches through the hops; -1 through a null reference.
    private func parentRows(of rows: [Int32], _ c: BoundChildCollection) -> [Int32] {
        var current = rows
        for hop in c.hops {
            let step = ReferenceHop(hop, in: db)
            let refs = step.refs, map = step.targetMap
            for i in 0..<current.count where current[i] >= 0 {
                current[i] = map.row(refs[Int(current[i])])
            }
        }
        return current
    }

    /// When the parents' children (through the reverse index of the child's reference) are fewer
    /// than the child filter's plan would read, tests just those; nil otherwise.
    private func parentsThroughPostings(_ parentRows: [Int32], _ c: BoundChildCollection, _ filter: BoundFilter,
                                        plan: FilterPlan?) throws(Diagnostic) -> Bitmap? {
        guard case .posting(let postings)? = db[c.child].index(c.reference) else { return nil }
        let parent = db[c.parent]
        let budget = plan?.estimate ?? db[c.child].count
        let ids = parent.ids
        var seen = Bitmap(count: parent.count)
        var distinct: [Int32] = []
        var total = 0
        for p in parentRows where p >= 0 && !seen[Int(p)] {
            seen.set(Int(p))
            distinct.append(p)
            total += postings.count(for: ids[Int(p)])
            if total * Planner.indexRowCost > budget { return nil }
        }
        var children: [Int32] = []
        children.reserveCapacity(total)
        for p in distinct { children.append(contentsOf: postings.rows(for: ids[Int(p)])) }
        children.sort()
        try cancellation.check()
        let passing = try CandidateFilter(db: db, cancellation: cancellation, plans: plan?.related ?? [])
            .filter(filter, children)
        let refs = db[c.child].columns[c.reference].integers
        var has = Bitmap(count: parent.count)
        for r in passing {
            let prow = parent.idMap.row(refs[Int(r)])
            if prow >= 0 { has.set(Int(prow)) }
        }
        return has
    }

    // MARK: - Through the hops

    /// Parent rows carried to the root's rows over the hops; through a null reference, false.
    func carry(_ bits: Bitmap, over c: BoundChildCollection) throws(Diagnostic) -> Bitmap {
        var current = bits
        for hop in c.hops.reversed() {
            let step = ReferenceHop(hop, in: db)
            let refs = step.refs, map = step.targetMap
            let inner = current
            current = map.dense.withUnsafeBufferPointer { table in
                refs.bitmap { ref in
                    let row = map.row(ref, dense: table)
                    return row >= 0 && inner[Int(row)]
                }
            }
            try cancellation.check()
        }
        return current
    }
}
