/// The `simplify` pass: flattens `and`/`or` lists, removes `not not`, drops `all`/`none` where
/// they decide nothing, and merges tests on one field that a single test stands for:
///
/// - `and`: a repeated term once; `value > 1 and value < 9` as one range;
///   `id != 1 and id != 2` as `not id in (1, 2)`.
/// - `or`: `id = 1 or id = 2` as `id in (1, 2)`; `name = "a" or name = "b"` likewise;
///   `value > 10 or value > 20` as `value > 10` (overlapping ranges join).
///
/// A generated query with 200,000 such terms then costs one column scan, not 200,000.
enum Simplify {
    static func apply(_ f: BoundFilter) -> BoundFilter {
        switch f {
        case .all, .none, .test, .scalar:
            return f
        case .related(let q, let c, let inner):
            let child = apply(inner)
            // With no condition to meet (or none that can be met), the answer does not depend on the records.
            switch (q, child) {
            case (.all, .all), (.no, .none): return .all
            case (.any, .none): return .none
            default: return .related(q, c, child)
            }
        case .not(let inner):
            switch apply(inner) {
            case .not(let x): return x
            case .all: return .none
            case .none: return .all
            case let x: return .not(x)
            }
        case .and(let parts):
            var terms = Terms(conjunction: true)
            for p in parts {
                switch apply(p) {
                case .all: continue
                case .none: return .none
                case .and(let inner): inner.forEach { terms.add($0) }
                case let x: terms.add(x)
                }
            }
            let out = terms.filters
            if out.contains(.none) { return .none }  // ranges that do not meet
            return out.isEmpty ? .all : out.count == 1 ? out[0] : .and(out)
        case .or(let parts):
            var terms = Terms(conjunction: false)
            for p in parts {
                switch apply(p) {
                case .none: continue
                case .all: return .all
                case .or(let inner): inner.forEach { terms.add($0) }
                case let x: terms.add(x)
                }
            }
            let out = terms.filters
            return out.isEmpty ? .none : out.count == 1 ? out[0] : .or(out)
        }
    }

    /// The terms of one `and` or `or` list, in the order first written, with mergeable tests on
    /// one field gathered into the slot of the first.
    private struct Terms {
        let conjunction: Bool
        private var slots: [Slot] = []
        private var seen: Set<BoundFilter> = []
        private var merged: [Key: Int] = [:]

        init(conjunction: Bool) { self.conjunction = conjunction }

        private enum Slot {
            case filter(BoundFilter)
            /// Stored values, as `oneOf` (negated in an `and`); the term as written until a second
            /// merges in (the set is built only then: hashing a million texts is not free).
            case values(BoundPath, [Int64], Set<Int64>?, written: BoundFilter?)
            /// Lowercased texts, as `textEquals` (negated in an `and`).
            case texts(BoundPath, [String], Set<String>?, written: BoundFilter?)
            /// The intersection of ranges (`and` only).
            case range(BoundPath, Int64, Int64)
            /// Ranges whose union is kept (`or` only): overlapping ones join.
            case ranges(BoundPath, [ClosedRange<Int64>], written: BoundFilter?)
        }

        private struct Key: Hashable {
            var path: BoundPath
            var kind: Int
        }

        mutating func add(_ f: BoundFilter) {
            // In an `and`, `x != a` is `not x = a`: the excluded values gather; in an `or`, the values.
            var test: (BoundPath, BoundTest)?
            if conjunction, case .not(.test(let p, let t)) = f { test = (p, t) }
            if !conjunction, case .test(let p, let t) = f { test = (p, t) }
            if let (p, t) = test {
                switch t {
                case .range(let v, let hi) where v == hi: return addValues(p, [v], f)
                case .oneOf(let values): return addValues(p, values, f)
                case .textEquals(let texts): return addTexts(p, texts, f)
                default: break
                }
            }
            if conjunction, case .test(let p, .range(let lo, let hi)) = f {
                let key = Key(path: p, kind: 2)
                if let i = merged[key], case .range(_, let a, let b) = slots[i] {
                    slots[i] = .range(p, max(a, lo), min(b, hi))
                } else {
                    merged[key] = slots.count
                    slots.append(.range(p, lo, hi))
                }
                return
            }
            if !conjunction, case .test(let p, .range(let lo, let hi)) = f, lo <= hi {
                let key = Key(path: p, kind: 3)
                if let i = merged[key], case .ranges(_, var list, _) = slots[i] {
                    slots[i] = .filter(.all)
                    list.append(lo...hi)
                    slots[i] = .ranges(p, list, written: nil)
                } else {
                    merged[key] = slots.count
                    slots.append(.ranges(p, [lo...hi], written: f))
                }
                return
            }
            if seen.insert(f).inserted { slots.append(.filter(f)) }
        }

        /// The union of ranges as the fewest disjoint ranges, in order.
        private static func union(_ ranges: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
            var out: [ClosedRange<Int64>] = []
            for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if let last = out.last, last.upperBound == .max || r.lowerBound <= last.upperBound + 1 {
                    out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
                } else {
                    out.append(r)
                }
            }
            return out
        }

        private mutating func addValues(_ p: BoundPath, _ values: [Int64], _ f: BoundFilter) {
            let key = Key(path: p, kind: 0)
            guard let i = merged[key], case .values(_, var list, var known, _) = slots[i] else {
                merged[key] = slots.count
                slots.append(.values(p, values, nil, written: f))
                return
            }
            slots[i] = .filter(.all)  // release the slot's storage so the list grows in place
            // Taken out of the slot, so the list and set are unique and grow in place.
            var set: Set<Int64> = []
            if let taken = known.take() { set = taken } else { list = list.filter { set.insert($0).inserted } }
            for v in values where set.insert(v).inserted { list.append(v) }
            slots[i] = .values(p, list, set, written: nil)
        }

        private mutating func addTexts(_ p: BoundPath, _ texts: [String], _ f: BoundFilter) {
            let key = Key(path: p, kind: 1)
            guard let i = merged[key], case .texts(_, var list, var known, _) = slots[i] else {
                merged[key] = slots.count
                slots.append(.texts(p, texts, nil, written: f))
                return
            }
            slots[i] = .filter(.all)
            // Taken out of the slot, so the list and set are unique and grow in place.
            var set: Set<String> = []
            if let taken = known.take() { set = taken } else { list = list.filter { set.insert($0).inserted } }
            for t in texts where set.insert(t).inserted { list.append(t) }
            slots[i] = .texts(p, list, set, written: nil)
        }

        var filters: [BoundFilter] {
            slots.flatMap { slot -> [BoundFilter] in
                let test: BoundFilter
                switch slot {
                case .filter(let f): return [f]
                case .range(let p, let lo, let hi): return [lo > hi ? .none : .test(p, .range(lo, hi))]
                case .values(_, _, _, let written?), .texts(_, _, _, let written?), .ranges(_, _, let written?):
                    return [written]
                case .ranges(let p, let list, nil):
                    return Terms.union(list).map { .test(p, .range($0.lowerBound, $0.upperBound)) }
                case .values(let p, let list, _, nil):
                    test = .test(p, .oneOf(list.sorted()))
                case .texts(let p, let list, _, nil):
                    test = .test(p, .textEquals(list))
                }
                return [conjunction ? .not(test) : test]
            }
        }
    }
}
