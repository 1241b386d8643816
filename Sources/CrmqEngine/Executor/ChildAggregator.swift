/// Computes aggregates over child collections set-wise: one pass over the child collection's
/// passing rows, accumulating into the parent row each refers to (through the id map), never a
/// scan of the children per parent. Then carried over to the statement's rows through the hops.
struct ChildAggregator {
    let db: Database
    var cancellation: Cancellation = .none

    /// Per row of the statement's entity: the aggregate's exact value at `scale` decimal places
    /// (a money sum at scale 2 is cents; a date's min is its day number at scale 0), and whether
    /// there is one.
    func values(_ a: BoundChildAggregate, scale: Int) throws(Diagnostic) -> (values: [Int128], valid: [Bool]) {
        let perParent = try parentValues(a, scale: scale)
        return try carry(perParent, over: a.collection)
    }

    /// Which rows of the statement's entity have at least one child passing `filter`
    /// (`any C (filter)`); through a null reference, none.
    func anyMatches(_ collection: BoundChildCollection, _ filter: BoundFilter) throws(Diagnostic) -> Bitmap {
        try SemiJoin(db: db, cancellation: cancellation)
            .matches(.any, collection, filter, plan: Planner(db).planFilter(filter, on: collection.child))
    }

    /// Whether a count of every child is read from the reverse index's counts, not from the children.
    static func countsFromIndex(_ a: BoundChildAggregate, in db: Database) -> Bool {
        guard a.function == .count, a.filter == .all, case .posting? = db[a.collection.child].index(a.collection.reference) else { return false }
        return true
    }

    // MARK: - Per parent

    private func parentValues(_ a: BoundChildAggregate, scale: Int) throws(Diagnostic) -> (values: [Int128], valid: [Bool]) {
        let n = db[a.collection.parent].count
        switch a.function {
        case .count:
            var counts = [Int128](repeating: 0, count: n)
            if ChildAggregator.countsFromIndex(a, in: db), case .posting(let reverse)? = db[a.collection.child].index(a.collection.reference) {
                // Every child counts: the reverse index already holds each parent's number of children.
                let ids = db[a.collection.parent].ids
                for p in 0..<n { counts[p] = Int128(reverse.count(for: ids[p])) }
                try cancellation.check()
            } else {
                try forEachPassingChild(a.collection, a.filter) { prow, _ in counts[prow] += 1 }
            }
            let factor = BoundExpr.power(scale)
            return (factor == 1 ? counts : counts.map { $0 * factor }, [Bool](repeating: true, count: n))
        case .sum, .avg, .min, .max:
            guard let field = a.field else { preconditionFailure("the binder gives sum, avg, min and max a field") }
            let reader = PathReader(field, in: db)
            let natural = field.type.isDecimal ? 2 : 0
            var acc = [Int128](repeating: 0, count: n)
            var seen = [Int](repeating: 0, count: n)
            let function = a.function
            try forEachPassingChild(a.collection, a.filter) { prow, crow in
                let v = reader.stored(crow)
                guard v != nullInt else { return }
                let x = Int128(v)
                switch function {
                case .min: acc[prow] = seen[prow] == 0 ? x : Swift.min(acc[prow], x)
                case .max: acc[prow] = seen[prow] == 0 ? x : Swift.max(acc[prow], x)
                default: acc[prow] += x
                }
                seen[prow] += 1
            }
            var valid = [Bool](repeating: true, count: n)
            for p in 0..<n {
                switch function {
                case .sum:
                    acc[p] = BoundExpr.rescale(acc[p], from: natural, to: scale)
                case .avg:
                    if seen[p] == 0 { valid[p] = false; continue }
                    acc[p] = scale >= natural
                        ? BoundExpr.divide(acc[p] * BoundExpr.power(scale - natural), Int128(seen[p]))
                        : BoundExpr.divide(acc[p], Int128(seen[p]) * BoundExpr.power(natural - scale))
                default:
                    if seen[p] == 0 { valid[p] = false; continue }
                    acc[p] = BoundExpr.rescale(acc[p], from: natural, to: scale)
                }
            }
            return (acc, valid)
        }
    }

    /// Calls `body(parentRow, childRow)` for each child row that passes `filter` and refers to a
    /// present parent. The filter runs through its plan, so a selective index on the child reads
    /// only the rows it names.
    private func forEachPassingChild(_ c: BoundChildCollection, _ filter: BoundFilter,
                                     _ body: (Int, Int) -> Void) throws(Diagnostic) {
        try cancellation.check()
        let child = db[c.child]
        let plan = Planner(db).planFilter(filter, on: c.child)
        let selected: [Int32]?
        if case .scan = plan.access, plan.residual == .all {
            selected = nil
        } else {
            selected = try RowSelector(db: db, cancellation: cancellation).rows(plan)
        }
        let refs = child.columns[c.reference].integers
        let map = db[c.parent].idMap
        let n = selected?.count ?? refs.count
        let block = 1 << 16
        try refs.withReader { (ref) throws(Diagnostic) in
            var start = 0
            while start < n {
                let end = Swift.min(start + block, n)
                if let selected {
                    for k in start..<end {
                        let i = Int(selected[k])
                        let prow = map.row(ref(i))
                        if prow >= 0 { body(Int(prow), i) }
                    }
                } else {
                    for i in start..<end {
                        let prow = map.row(ref(i))
                        if prow >= 0 { body(Int(prow), i) }
                    }
                }
                try cancellation.check()
                start = end
            }
        }
    }

    // MARK: - Through the hops

    /// Per-parent values carried to the rows of the statement's entity; through a null reference
    /// a row has no value.
    private func carry(_ v: (values: [Int128], valid: [Bool]), over c: BoundChildCollection) throws(Diagnostic) -> (values: [Int128], valid: [Bool]) {
        guard !c.hops.isEmpty else { return v }
        // Walk back from the parent towards the root: each hop's source rows take their target's value.
        var current = v
        for hop in c.hops.reversed() {
            let step = ReferenceHop(hop, in: db)
            let refs = step.refs, map = step.targetMap
            var values = [Int128](repeating: 0, count: refs.count)
            var valid = [Bool](repeating: false, count: refs.count)
            refs.forEachValue { i, ref in
                let r = map.row(ref)
                if r >= 0 { values[i] = current.values[Int(r)]; valid[i] = current.valid[Int(r)] }
            }
            try cancellation.check()
            current = (values, valid)
        }
        return current
    }
}
