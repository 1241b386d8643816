/// Which segments a condition names as related records (`any big_deals (...)`,
/// `count(account.big_deals)`): the binder inlines a segment's condition, so these are found in
/// the parsed condition, to keep a segment in use from being dropped.
extension Binder {
    func segmentsNamedAsCollections(in c: Condition, into out: inout [String]) {
        switch c.kind {
        case .and(let parts), .or(let parts):
            for p in parts { segmentsNamedAsCollections(in: p, into: &out) }
        case .not(let inner):
            segmentsNamedAsCollections(in: inner, into: &out)
        case .compare(let l, _, let r), .text(let l, _, let r, _):
            segmentsNamed(in: l, into: &out)
            segmentsNamed(in: r, into: &out)
        case .inList(let l, let items, _):
            segmentsNamed(in: l, into: &out)
            for e in items { segmentsNamed(in: e, into: &out) }
        case .between(let e, let lo, let hi, _):
            for x in [e, lo, hi] { segmentsNamed(in: x, into: &out) }
        case .isNull(let e, _), .within(let e, _), .inSegment(let e, _, _):
            segmentsNamed(in: e, into: &out)
        case .quantified(_, let ref, let inner):
            note(ref, into: &out)
            if let inner { segmentsNamedAsCollections(in: inner, into: &out) }
        case .blocked:
            break
        case .changes(let e, let from, let to):
            for x in [e] + [from, to].compactMap({ $0 }) { segmentsNamed(in: x, into: &out) }
        }
    }

    private func segmentsNamed(in e: Expr, into out: inout [String]) {
        switch e {
        case .path, .literal, .interval:
            break
        case .binary(_, let l, let r):
            segmentsNamed(in: l, into: &out)
            segmentsNamed(in: r, into: &out)
        case .negate(let inner, _):
            segmentsNamed(in: inner, into: &out)
        case .call(_, let args, _):
            for a in args { segmentsNamed(in: a, into: &out) }
        case .child(let c):
            note(c.collection, into: &out)
            if let f = c.filter { segmentsNamedAsCollections(in: f, into: &out) }
        }
    }

    private func note(_ ref: ChildRef, into out: inout [String]) {
        for component in ref.path.components {
            if let s = segment(named: component.text), !out.contains(s.name) { out.append(s.name) }
        }
    }
}
