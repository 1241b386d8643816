/// Planning `account in smb`: the segment's condition is planned on its own collection (with its
/// own indexes), and its rows carried back through the reverse index of the reference, as a dot
/// path's filter is (`pushdown`). `id in smb` on the segment's own entity is the segment's plan.
extension Planner {
    func segmentAccess(_ path: BoundPath, _ segment: BoundSegment, on entity: String) -> (Access, Int)? {
        let target = planFilter(segment.filter, on: segment.entity)
        if path.field.field == 0 {
            if case .scan = target.access { return nil }
            return (.union([target]), target.estimate)
        }
        guard passes.contains(.pushdown), case .posting(let reverse)? = db[entity].index(path.field.field) else { return nil }
        // A target scan keeps an unknown share: assume a tenth, as for a dot path.
        let kept = target.residual == .all ? target.estimate : max(1, target.estimate / 10)
        let fanout = Double(reverse.rows.count) / Double(max(1, db[segment.entity].count))
        return (.reverse(field: path.field.field, target: target), Int(Double(kept) * fanout) + 1)
    }
}

extension BoundFilter {
    /// The segments this filter tests membership in, outside any `in` (each once, first first).
    var segmentsTested: [BoundSegment] {
        var out: [BoundSegment] = []
        func walk(_ f: BoundFilter) {
            switch f {
            case .test(_, .inSegment(let s)): if !out.contains(s) { out.append(s) }
            case .and(let parts), .or(let parts): parts.forEach(walk)
            case .not(let inner): walk(inner)
            default: break
            }
        }
        walk(self)
        return out
    }
}
