/// Planning `any`/`no`/`all` over child collections: the child's condition is planned on the child
/// collection like any filter, so its indexes apply; `any` can also be the access path, finding its
/// rows through the references of the passing children (a semi-join) rather than testing every row.
extension Planner {
    /// `any C (f)` as an access: a semi-join when the parent is this entity; through a dot path
    /// (`any account.opportunities (...)`), the semi-join runs on the first reference's target and
    /// its rows come back through that reference's reverse index.
    func semiJoinAccess(_ c: BoundChildCollection, _ inner: BoundFilter, on entity: String) -> (Access, Int)? {
        let collection = db[entity]
        guard let hop = c.hops.first else {
            let child = childPlan(inner, on: c.child)
            // A scan keeps an unknown share of the children: assume a tenth. Each parent counts once.
            let kept = child.residual == .all ? child.estimate : max(1, child.estimate / 10)
            return (.semiJoin(c, child: child), min(collection.count, kept))
        }
        guard case .posting(let reverse)? = collection.index(hop.field),
              case .reference(let targetName) = collection.entity.fields[hop.field].type else { return nil }
        var rest = c
        rest.hops.removeFirst()
        rest.root = targetName
        let target = planFilter(.related(.any, rest, inner), on: targetName)
        let fanout = Double(reverse.rows.count) / Double(max(1, db[targetName].count))
        return (.reverse(field: hop.field, target: target), Int(Double(target.estimate) * fanout) + 1)
    }

    /// The plan of a child collection's condition, made once per planner.
    func childPlan(_ f: BoundFilter, on entity: String) -> FilterPlan {
        let key = ChildPlanMemo.Key(entity: entity, filter: f)
        if let known = childPlans.plans[key] { return known }
        let plan = planFilter(f, on: entity)
        childPlans.plans[key] = plan
        return plan
    }

    /// A plan for each `any`/`no`/`all` in `f` (not inside another: the child's own plan has those).
    func relatedPlans(_ f: BoundFilter) -> [RelatedPlan] {
        var out: [RelatedPlan] = []
        var planned: Set<RelatedKey> = []
        var pending = [f]
        while let next = pending.popLast() {
            switch next {
            case .and(let parts), .or(let parts): pending.append(contentsOf: parts.reversed())
            case .not(let inner): pending.append(inner)
            case .related(let q, let c, let inner):
                guard planned.insert(RelatedKey(quantifier: q, collection: c, filter: inner)).inserted else { continue }
                let child = childPlan(SemiJoin.childFilter(q, inner), on: c.child)
                out.append(RelatedPlan(quantifier: q, collection: c, filter: inner, child: child))
            case .all, .none, .test, .scalar: break
            }
        }
        return out
    }
}

/// The child plans one planner has made (see `Planner.childPlans`). A class because the planner is
/// a value passed around by copy while planning one statement, and every copy should share it.
final class ChildPlanMemo {
    struct Key: Hashable {
        var entity: String
        var filter: BoundFilter
    }
    var plans: [Key: FilterPlan] = [:]
}
