/// Tests a condition on computed values (`ScalarPredicate`) a block of rows at a time: both sides
/// are evaluated for the block as columns, then compared in one loop. Null passes only `is null`.
struct ScalarFilter {
    let evaluator: ScalarEvaluator

    init(db: Database, cancellation: Cancellation, _ p: ScalarPredicate) throws(Diagnostic) {
        evaluator = try ScalarEvaluator(db: db, cancellation: cancellation, scalars: ScalarEvaluator.scalars(of: p))
    }

    /// The bitmap of the rows of `entity` that pass.
    func bitmap(_ p: ScalarPredicate, count n: Int) throws(Diagnostic) -> Bitmap {
        var bits = Bitmap(count: n)
        var start = 0
        while start < n {
            let end = min(start + ScalarEvaluator.blockSize, n)
            let rows = [Int32](unsafeUninitializedCapacity: end - start) { b, c in
                for i in start..<end { b[i - start] = Int32(i) }
                c = end - start
            }
            let pass = try test(p, rows)
            for i in pass.indices where pass[i] { bits.set(start + i) }
            try evaluator.cancellation.check()
            start = end
        }
        return bits
    }

    /// The rows (ascending) that pass.
    func filter(_ p: ScalarPredicate, _ rows: [Int32]) throws(Diagnostic) -> [Int32] {
        var out: [Int32] = []
        var start = 0
        while start < rows.count {
            let end = min(start + ScalarEvaluator.blockSize, rows.count)
            let block = Array(rows[start..<end])
            let pass = try test(p, block)
            for i in pass.indices where pass[i] { out.append(block[i]) }
            try evaluator.cancellation.check()
            start = end
        }
        return out
    }

    func test(_ p: ScalarPredicate, _ rows: [Int32]) throws(Diagnostic) -> [Bool] {
        switch p {
        case .isNull(let e):
            let v = try evaluator.values(e, rows: rows)
            return (0..<rows.count).map { v.isNull($0) }
        case .compare(let l, let op, let r):
            return try compare(l, r, rows) { c in
                switch op {
                case .equal: c == 0
                case .notEqual: c != 0
                case .less: c < 0
                case .lessEqual: c <= 0
                case .greater: c > 0
                case .greaterEqual: c >= 0
                }
            }
        case .between(let e, let lo, let hi):
            let x = try evaluator.values(e, rows: rows)
            let low = compare(x, e.scale, try evaluator.values(lo, rows: rows), lo.scale) { $0 >= 0 }
            let high = compare(x, e.scale, try evaluator.values(hi, rows: rows), hi.scale) { $0 <= 0 }
            return zip(low, high).map { $0 && $1 }
        case .oneOf(let e, let items):
            // The value once, then each item against it.
            let x = try evaluator.values(ScalarFilter.caseless(e), rows: rows)
            var any = [Bool](repeating: false, count: rows.count)
            for item in items {
                let hit = compare(x, e.scale, try evaluator.values(ScalarFilter.caseless(item), rows: rows), item.scale) { $0 == 0 }
                for i in any.indices where hit[i] { any[i] = true }
            }
            return any
        case .textMatch(let e, let m, let needle):
            guard case .texts(let codes, let dictionary) = try evaluator.values(ScalarFilter.caseless(e), rows: rows) else {
                preconditionFailure("bound as text")
            }
            // Decided once per text the block uses.
            var keep = [Int8](repeating: -1, count: dictionary.count)
            return codes.map { c in
                guard c >= 0 else { return false }
                if keep[Int(c)] < 0 { keep[Int(c)] = TextMatching.matches(dictionary[Int(c)], m, needle) ? 1 : 0 }
                return keep[Int(c)] == 1
            }
        }
    }

    /// `decide(sign of a - b)` per row; false where either side is null. Text compares ignoring case.
    private func compare(_ a: BoundScalar, _ b: BoundScalar, _ rows: [Int32], _ decide: (Int) -> Bool) throws(Diagnostic) -> [Bool] {
        compare(try evaluator.values(ScalarFilter.caseless(a), rows: rows), a.scale,
                try evaluator.values(ScalarFilter.caseless(b), rows: rows), b.scale, decide)
    }

    /// Text compares ignoring case, so `lower(x)` there is `x`: no text need be lowercased first.
    static func caseless(_ s: BoundScalar) -> BoundScalar {
        var s = s
        while case .call(.lower, let args) = s { s = args[0] }
        return s
    }

    private func compare(_ x: ScalarValues, _ sa: Int, _ y: ScalarValues, _ sb: Int, _ decide: (Int) -> Bool) -> [Bool] {
        var out = [Bool](repeating: false, count: x.count)
        switch (x, y) {
        case (.numbers(let u, let uok), .numbers(let v, let vok)):
            let s = max(sa, sb)
            let fu = BoundExpr.power(s - sa), fv = BoundExpr.power(s - sb)
            for i in out.indices where uok[i] && vok[i] {
                let p = u[i] * fu, q = v[i] * fv
                out[i] = decide(p < q ? -1 : p > q ? 1 : 0)
            }
        case (.texts(let cu, let du), .texts(let cv, let dv)):
            // One id per distinct folded text over both sides, found only for the codes the block
            // uses (a dictionary may hold a million names), then integer comparisons.
            var ids: [String: Int32] = [:]
            var iu = [Int32](repeating: -1, count: du.count), iv = [Int32](repeating: -1, count: dv.count)
            func id(_ s: String) -> Int32 {
                let k = s.lowercased()
                if let id = ids[k] { return id }
                let id = Int32(ids.count)
                ids[k] = id
                return id
            }
            for i in out.indices where cu[i] >= 0 && cv[i] >= 0 {
                let a = Int(cu[i]), b = Int(cv[i])
                if iu[a] < 0 { iu[a] = id(du[a]) }
                if iv[b] < 0 { iv[b] = id(dv[b]) }
                out[i] = decide(iu[a] == iv[b] ? 0 : 1)
            }
        default:
            preconditionFailure("the binder compares like with like")
        }
        return out
    }
}
