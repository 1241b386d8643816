/// Turns a bound statement into a plan, choosing indexes by their cost.
///
/// Its passes are named, and each can be switched off (the property test compares every plan with
/// the plain scan that `Planner(passes: [])` produces).
public struct Planner {
    public enum Pass: String, CaseIterable, Sendable {
        /// `a and (b and c)` -> `and(a, b, c)`; `not not a` -> `a`; drops `all`/`none` where they decide nothing.
        case simplify
        /// Finds candidate rows through an index when that reads fewer rows than a scan.
        case indexes
        /// A filter on a dot path runs on the referenced collection, then walks the reverse index.
        case pushdown
        /// `order by ... limit` keeps only the best rows, or reads them in index order.
        case topK
        /// `any`/`no`/`all` plan their child condition on the child collection (its indexes apply),
        /// and `any` finds its rows through the passing children's references.
        case semiJoin
    }

    public let db: Database
    public var passes: Set<Pass>
    /// Child conditions already planned, shared by copies of this planner: an `any` nested in an
    /// `any` is planned both as an access and as a residual test, which without this doubles the
    /// work at each level of nesting.
    let childPlans = ChildPlanMemo()

    /// Every pass: the planner's default.
    public static let allPasses = Set(Pass.allCases)

    public init(_ db: Database, passes: Set<Pass> = Planner.allPasses) {
        self.db = db
        self.passes = passes
    }

    public func plan(_ find: BoundFind) -> FindPlan {
        let filter = planFilter(find.filter, on: find.entity)
        return FindPlan(query: find, filter: filter, order: orderStrategy(find, filter))
    }

    public func plan(_ aggregate: BoundAggregate) -> AggregatePlan {
        AggregatePlan(query: aggregate, filter: planFilter(aggregate.filter, on: aggregate.entity))
    }

    // MARK: - Filters

    /// Reading a row through an index costs about this many column-scan steps: random access,
    /// then testing what remains one row at a time.
    static let indexRowCost = 4

    public func planFilter(_ filter: BoundFilter, on entity: String) -> FilterPlan {
        let f = passes.contains(.simplify) ? Simplify.apply(filter) : filter
        var plan = accessPlan(f, on: entity)
        if passes.contains(.semiJoin) { plan.related = relatedPlans(f) }
        return plan
    }

    private func accessPlan(_ f: BoundFilter, on entity: String) -> FilterPlan {
        let n = db[entity].count
        let scan = FilterPlan(entity: entity, access: .scan, residual: f, estimate: n, accessCondition: nil)
        guard passes.contains(.indexes) else { return scan }
        let terms: [BoundFilter]
        switch f {
        case .and(let parts): terms = parts
        case .all, .none: return scan
        default: terms = [f]
        }
        var best: (index: Int, access: Access, estimate: Int)?
        for (i, term) in terms.enumerated() {
            guard let (access, estimate) = self.access(for: term, on: entity) else { continue }
            if best == nil || estimate < best!.estimate { best = (i, access, estimate) }
        }
        guard let best, best.estimate * Planner.indexRowCost <= n else { return scan }
        var rest = terms
        rest.remove(at: best.index)
        let residual: BoundFilter = rest.isEmpty ? .all : rest.count == 1 ? rest[0] : .and(rest)
        return FilterPlan(entity: entity, access: best.access, residual: residual, estimate: best.estimate,
                          accessCondition: terms[best.index])
    }

    /// An index access that yields exactly the rows `term` keeps, with the number of rows it reads.
    func access(for term: BoundFilter, on entity: String) -> (Access, Int)? {
        let collection = db[entity]
        switch term {
        case .test(let path, .inSegment(let segment)) where path.hops.isEmpty:
            return segmentAccess(path, segment, on: entity)
        case .test(let path, let test) where path.hops.isEmpty:
            let field = path.field.field
            if field == 0 { return idAccess(test) }
            switch collection.index(field) {
            case .posting(let p)?:
                return postingAccess(field, p, test)
            case .text(let t)?:
                switch test {
                case .textEquals(let values):
                    let n = values.reduce(0) { sum, v in t.codes(equalTo: v).reduce(sum) { $0 + t.postings.count(for: Int64($1)) } }
                    return (.textEquals(field: field, values: values), n)
                case .textMatch(.startsWith, let prefix) where !prefix.isEmpty:
                    let n = t.codes(withPrefix: prefix).reduce(0) { $0 + t.postings.count(for: Int64($1)) }
                    return (.textPrefix(field: field, prefix: prefix), n)
                case .isNull:
                    return (.postings(field: field, keys: [], nulls: true), t.postings.nullRows.count)
                default:
                    return nil
                }
            case .sorted(let s)?:
                switch test {
                case .range(let lo, let hi):
                    return (.range(field: field, lo: lo, hi: hi), s.span(lo: lo, hi: hi).count)
                case .oneOf(let values) where values.count <= 16:
                    let branches = values.map { v in
                        FilterPlan(entity: entity, access: .range(field: field, lo: v, hi: v), residual: .all,
                                   estimate: s.span(lo: v, hi: v).count, accessCondition: .test(path, .range(v, v)))
                    }
                    return (.union(branches), branches.reduce(0) { $0 + $1.estimate })
                default:
                    return nil
                }
            case nil:
                return nil
            }
        case .test(let path, let test):
            // Through a reference: filter the target, then walk back. Null references pass `is null`,
            // which the reverse index cannot list, so that stays a scan.
            guard passes.contains(.pushdown), test != .isNull, let hop = path.hops.first,
                  case .posting(let reverse)? = collection.index(hop.field),
                  case .reference(let targetName) = collection.entity.fields[hop.field].type else { return nil }
            var rest = path
            rest.hops.removeFirst()
            rest.root = targetName
            let target = planFilter(.test(rest, test), on: targetName)
            let targetCount = max(1, db[targetName].count)
            // A target scan keeps an unknown share: assume a tenth.
            let kept = target.residual == .all ? target.estimate : max(1, target.estimate / 10)
            let fanout = Double(reverse.rows.count) / Double(targetCount)
            return (.reverse(field: hop.field, target: target), Int(Double(kept) * fanout) + 1)
        case .related(.any, let c, let inner) where passes.contains(.semiJoin):
            return semiJoinAccess(c, inner, on: entity)
        case .or(let parts):
            var branches: [FilterPlan] = []
            for part in parts {
                let p = planFilter(part, on: entity)
                if case .scan = p.access { return nil }
                branches.append(p)
            }
            return (.union(branches), branches.reduce(0) { $0 + $1.estimate })
        case .and:
            let p = planFilter(term, on: entity)
            if case .scan = p.access { return nil }
            return (.union([p]), p.estimate)
        default:
            return nil
        }
    }

    private func idAccess(_ test: BoundTest) -> (Access, Int)? {
        switch test {
        case .range(let lo, let hi) where lo > 0 && hi >= lo && hi - lo < 4096:
            return (.ids(Array(lo...hi)), Int(hi - lo + 1))
        case .oneOf(let values):
            return (.ids(values), values.count)
        default:
            return nil
        }
    }

    private func postingAccess(_ field: Int, _ p: PostingIndex, _ test: BoundTest) -> (Access, Int)? {
        var keys: [Int64]
        switch test {
        case .oneOf(let values): keys = values
        case .range(let lo, let hi):
            let from = max(lo, 0), to = min(hi, Int64(p.keyCount - 1))
            guard from <= to else { return (.postings(field: field, keys: [], nulls: false), 0) }
            guard to - from < 64 else { return nil }
            keys = Array(from...to)
        case .isNull:
            return (.postings(field: field, keys: [], nulls: true), p.nullRows.count)
        default:
            return nil
        }
        keys = keys.filter { $0 >= 0 && $0 < p.keyCount }
        return (.postings(field: field, keys: keys, nulls: false), keys.reduce(0) { $0 + p.count(for: $1) })
    }

    // MARK: - Order

    private func orderStrategy(_ q: BoundFind, _ filter: FilterPlan) -> OrderStrategy {
        if q.order.isEmpty { return .none }
        guard passes.contains(.topK), let limit = q.limit else { return .sort }
        let keep = q.offset + limit
        let key = q.order[0]
        // Without a selective filter, the first rows in a sorted index's order are the answer.
        if q.order.count == 1, let path = key.path, path.hops.isEmpty, case .scan = filter.access,
           case .sorted? = db[q.entity].index(path.field.field) {
            return .indexWalk(field: path.field.field, descending: key.descending, keep: keep)
        }
        return keep * 4 < filter.estimate ? .heap(keep: keep) : .sort
    }
}
