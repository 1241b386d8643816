/// Evaluates a filter over a whole collection at once, producing the bitmap of rows it keeps.
///
/// A test through a dot path is evaluated on the referenced collection first (each account once,
/// not once per opportunity), then carried back over the reference column.
public struct FilterEvaluator {
    public let db: Database
    /// Checked by `any`/`no`/`all`, which read another collection, and per block of computed conditions.
    var cancellation: Cancellation = .none
    /// The plans of the filter's `any`/`no`/`all` (from its `FilterPlan`); without one they scan.
    var plans: [RelatedKey: FilterPlan] = [:]
    /// Column tests over a large collection run on all cores.
    var parallelism: Parallelism = .cores

    public init(_ db: Database) { self.db = db }

    init(_ db: Database, cancellation: Cancellation, plans: [RelatedPlan] = [], parallelism: Parallelism = .cores) {
        self.db = db
        self.cancellation = cancellation
        self.plans = RelatedPlan.index(plans)
        self.parallelism = parallelism
    }

    public func evaluate(_ filter: BoundFilter, on entity: String) throws(Diagnostic) -> Bitmap {
        let n = db[entity].count
        switch filter {
        case .all: return Bitmap(count: n, filled: true)
        case .none: return Bitmap(count: n)
        case .and(let parts):
            var bits = try evaluate(parts[0], on: entity)
            for p in parts.dropFirst() { bits.formIntersection(try evaluate(p, on: entity)) }
            return bits
        case .or(let parts):
            var bits = try evaluate(parts[0], on: entity)
            for p in parts.dropFirst() { bits.formUnion(try evaluate(p, on: entity)) }
            return bits
        case .not(let inner):
            var bits = try evaluate(inner, on: entity)
            bits.invert()
            return bits
        case .test(let path, let test):
            return try evaluate(path, test)
        case .scalar(let p):
            return try ScalarFilter(db: db, cancellation: cancellation, p).bitmap(p, count: n)
        case .related(let q, let c, let inner):
            let plan = plans.isEmpty ? nil : plans[RelatedKey(quantifier: q, collection: c, filter: inner)]
            return try SemiJoin(db: db, cancellation: cancellation).matches(q, c, inner, plan: plan)
        }
    }

    private func evaluate(_ path: BoundPath, _ test: BoundTest) throws(Diagnostic) -> Bitmap {
        guard let hop = path.hops.first else {
            let column = db[path.field.entity].columns[path.field.field]
            if case .inSegment(let segment) = test {
                // An id or a reference: the segment once, then a lookup per row.
                return try SegmentMembership(segment, in: db, cancellation: cancellation).bitmap(column.integers)
            }
            if case .text(let text) = column, test != .isNull {
                // Decide once per distinct value (on the text index's bytes when there is one),
                // then scan the codes.
                let decision = TextDecision(test, reader: PathReader(path, in: db), db: db, rows: text.count)
                let keep = (0..<Int32(text.dictionary.count)).map { decision.decide($0) }
                return text.codes.withUnsafeBufferPointer { c in
                    keep.withUnsafeBufferPointer { k in
                        Bitmap(count: c.count, parallelism: parallelism) { let code = c[$0]; return code >= 0 && k[Int(code)] }
                    }
                }
            }
            return evaluateColumn(column, test)
        }
        // Evaluate the rest of the path on the referenced collection, then map back.
        let source = db[hop.entity]
        guard case .reference(let target) = source.entity.fields[hop.field].type else {
            preconditionFailure("the binder only lets references be followed")
        }
        var rest = path
        rest.hops.removeFirst()
        rest.root = target
        let inner = try evaluate(rest, test)
        let refs = source.columns[hop.field].integers
        let map = db[target].idMap
        // Through a null reference the value is null: only `is null` holds there.
        let nullPasses = test == .isNull
        return map.dense.withUnsafeBufferPointer { table in
            refs.bitmap(parallelism: parallelism) { ref in
                let row = map.row(ref, dense: table)
                return row < 0 ? nullPasses : inner[Int(row)]
            }
        }
    }

    private func evaluateColumn(_ column: Column, _ test: BoundTest) -> Bitmap {
        switch column {
        case .integers(let values):
            switch test {
            case .range(let lo, let hi):
                return values.bitmap(from: lo, through: hi, parallelism: parallelism)
            case .oneOf(let set):
                let lookup = StoredValueSet(set)
                return values.bitmap(parallelism: parallelism) { lookup.contains($0) }
            case .isNull:
                return values.bitmap(parallelism: parallelism) { $0 == nullInt }
            case .textEquals, .textMatch:
                preconditionFailure("the binder only makes text tests for text fields")
            case .inSegment:
                preconditionFailure("segment membership is decided above")
            }
        case .text(let text):
            guard test == .isNull else { preconditionFailure("text tests are decided per value above") }
            return text.codes.withUnsafeBufferPointer { c in Bitmap(count: c.count, parallelism: parallelism) { c[$0] < 0 } }
        }
    }
}
