/// Runs `count`, `sum`, `avg`, `min`, `max` (one or several), optionally grouped `by` paths.
///
/// Groups over small domains (enum values, text dictionaries, bools, through any number of
/// references) are array slots indexed by code, so grouping a million rows by stage is one pass
/// over two arrays; other groups fall back to hashing.
struct AggregateExecutor {
    let db: Database
    /// Checked between passes over the columns and once per block of rows in per-row loops.
    var cancellation: Cancellation = .none
    /// Large selections are filtered, grouped and summed on all cores.
    var parallelism: Parallelism = .cores

    func run(_ plan: AggregatePlan) throws(Diagnostic) -> ResultSet {
        let q = plan.query
        try cancellation.check()
        try cancellation.holdIfTesting()
        // Every row (nil) when there is no filter: columns are then read in place, not gathered.
        let everyRow: Bool
        if case .scan = plan.filter.access, plan.filter.residual == .all { everyRow = true } else { everyRow = false }
        let rows: [Int32]? = everyRow ? nil
            : try RowSelector(db: db, cancellation: cancellation, parallelism: parallelism).rows(plan.filter)
        let count = rows?.count ?? db[q.entity].count
        var scalars = q.groupBy.map(\.value).filter { $0.plainPath == nil }
        for call in q.calls { if case .number(let e) = call.input, e.plainPath == nil { scalars.append(e) } }
        let evaluator = try ScalarEvaluator(db: db, cancellation: cancellation, scalars: scalars)
        var accumulated: Accumulated
        if let rows, parallelism.chunkCount(rows.count) > 1, splits(q, rows: rows.count) {
            // Each chunk of the selected rows grouped on its own core; the tables then added.
            let parts = try parallelism.map(rows.count) { (range: Range<Int>) throws(Diagnostic) -> Accumulated in
                try accumulate(q, rows: Array(rows[range]), count: range.count, evaluator: evaluator.detached())
            }
            accumulated = parts[0]
            for part in parts.dropFirst() { accumulated.table.merge(part.table) }
        } else {
            accumulated = try accumulate(q, rows: rows, count: count, evaluator: evaluator)
        }
        let (groups, inputs, table, slots) = (accumulated.groups, accumulated.inputs, accumulated.table, accumulated.slots)
        try cancellation.check()

        // Each group's row: the group values, then each aggregate's result.
        var results: [(keys: [Int64], values: [Value], sortable: [Int128?])] = []
        var passing: [Bool]? = q.withTotals && q.having != .all ? [Bool](repeating: false, count: table.rows.count) : nil
        for (n, slot) in table.usedSlots.enumerated() {
            if n & 4095 == 0 { try cancellation.check() }
            let (keys, values, sortable) = try row(q, table, inputs, slot: slot)
            if q.having != .all {
                let row = groups.enumerated().map { i, g in g.decode(keys[i]) } + values
                if !HavingFilter(condition: q.having, groups: groups.count).passes(row) { continue }
                passing?[slot] = true
            }
            results.append((keys, values, sortable))
        }
        if q.withTotals {
            return try AggregateTotals(executor: self, query: q, groups: groups, inputs: inputs)
                .result(details: results, slots: slots ?? [], passing: passing)
        }

        // Group values sort in each key's natural order (text alphabetically), nulls last.
        func rank(_ keys: [Int64], _ i: Int) -> Int64 {
            let v = keys[i]
            if v == nullInt { return nullInt }
            return groups[i].ranks.map { $0[Int(v)] } ?? v
        }
        func compare<T: Comparable>(_ a: T?, _ b: T?, _ descending: Bool) -> Bool? {
            if a == b { return nil }
            guard let a else { return false }
            guard let b else { return true }
            return (a < b) != descending
        }
        // Positions are sorted, not the rows, over flat copies of what they sort by: the comparison
        // then reads two plain arrays, with no reference counting, as a sort of a million groups needs.
        let width = groups.count, calls = q.calls.count
        var groupRanks: [Int64] = []
        var sortables: [Int128?] = []
        groupRanks.reserveCapacity(results.count * width)
        sortables.reserveCapacity(results.count * calls)
        for (n, r) in results.enumerated() {
            if n & 4095 == 0 { try cancellation.check() }
            for i in 0..<width { groupRanks.append(rank(r.keys, i)) }
            sortables.append(contentsOf: r.sortable)
        }
        func group(_ x: Int, _ i: Int) -> Int64? {
            let v = groupRanks[x * width + i]
            return v == nullInt ? nil : v
        }
        var order = Array(results.indices)
        try cancellation.sort(&order) { x, y in
            for k in q.order {
                switch k {
                case .group(let i, let d):
                    if let c = compare(group(x, i), group(y, i), d) { return c }
                case .value(let i, let d):
                    if let c = compare(sortables[x * calls + i], sortables[y * calls + i], d) { return c }
                }
            }
            for i in 0..<width {
                if let c = compare(group(x, i), group(y, i), false) { return c }
            }
            return false
        }
        let start = min(q.offset, results.count)
        let end = q.limit.map { min(results.count, start + $0) } ?? results.count
        var out: [[Value]] = []
        out.reserveCapacity(end - start)
        for (n, p) in order[start..<end].enumerated() {
            let r = results[p]
            if n & 4095 == 0 { try cancellation.check() }
            out.append(groups.enumerated().map { i, g in g.decode(r.keys[i]) } + r.values)
        }
        return ResultSet(columns: AggregateExecutor.columns(q), rows: out)
    }

    /// What one pass over some rows gathered: their group keys and inputs, the table they add up
    /// to, and (for totals) each row's slot.
    private struct Accumulated {
        var groups: [GroupColumn]
        var inputs: [CallInput]
        var table: GroupTable
        var slots: [Int32]?
    }

    /// Reads the group keys and inputs of `rows` (every row when nil) and adds them into a table.
    private func accumulate(_ q: BoundAggregate, rows: [Int32]?, count: Int, evaluator: ScalarEvaluator) throws(Diagnostic)
        -> Accumulated {
        var groups: [GroupColumn] = []
        for g in q.groupBy {
            try cancellation.check()
            groups.append(try GroupColumn(g, rows: rows, count: count, db: db, evaluator: evaluator))
        }
        var inputs: [CallInput] = []
        for call in q.calls {
            try cancellation.check()
            inputs.append(try CallInput(call, rows: rows, count: count, db: db, evaluator: evaluator, cancellation: cancellation))
        }
        try cancellation.check()
        let (table, slots) = try aggregate(q, groups, inputs, count: count, needSlots: q.withTotals)
        return Accumulated(groups: groups, inputs: inputs, table: table, slots: slots)
    }

    /// Whether chunks of `rows` rows can be grouped apart and their tables added: every group key
    /// a stored path with few values (computed keys number their groups per chunk, and hashed or
    /// large tables would cost each chunk as much as the rows), no `distinct` (its sets do not
    /// add), no totals (they need each row's slot).
    func splits(_ q: BoundAggregate, rows: Int) -> Bool {
        if q.withTotals || q.calls.contains(where: { if case .distinct = $0.input { true } else { false } }) { return false }
        var slots = 1
        for g in q.groupBy {
            guard let p = g.path else { return false }
            let domain: Int
            switch (PathReader(p, in: db).column, p.type) {
            case (.text(let t), _): domain = t.dictionary.count + 1
            case (_, .enumeration(let name)): domain = db.schema.enumValues(name).count + 1
            case (_, .bool): domain = 3
            default: return false
            }
            slots *= domain
            if slots * parallelism.rowsPerGroup > rows { return false }
        }
        return slots * max(1, q.calls.count) * parallelism.rowsPerGroup <= rows
    }

    static func columns(_ q: BoundAggregate) -> [ResultColumn] {
        q.groupBy.map { ResultColumn($0.header, $0.type) } + q.calls.map { ResultColumn($0.header, $0.resultType) }
    }

    /// Accumulates every call into a table keyed by `groups`; with `needSlots`, also each row's slot.
    func aggregate(_ q: BoundAggregate, _ groups: [GroupColumn], _ inputs: [CallInput], count: Int,
                   needSlots: Bool) throws(Diagnostic) -> (GroupTable, [Int32]?) {
        // Column at a time: every row's group slot, then each aggregate over its values.
        var table = GroupTable(calls: q.calls.count, columns: groups)
        let distinct = q.calls.contains { if case .distinct = $0.input { true } else { false } }
        var kept: [Int32]?
        if needSlots || distinct || !table.fusedPass(count: count, inputs: inputs, functions: q.calls.map(\.function),
                                                        parallelism: parallelism) {
            let slots = try table.slots(count: count, cancellation: cancellation)
            for (c, input) in inputs.enumerated() {
                try cancellation.check()
                if case .distinct = q.calls[c].input, case .integers(let values) = input.values {
                    try table.countDistinct(values, call: c, slots: slots, cancellation: cancellation)
                } else {
                    table.accumulate(input, q.calls[c].function, call: c, slots: slots)
                }
            }
            kept = slots
        }
        if groups.isEmpty && table.usedSlots.isEmpty { table.addEmptyGroup() }
        return (table, kept)
    }

    /// One group's keys, its aggregates' values, and the numbers they sort by.
    func row(_ q: BoundAggregate, _ table: GroupTable, _ inputs: [CallInput], slot: Int) throws(Diagnostic)
        -> (keys: [Int64], values: [Value], sortable: [Int128?]) {
        var values: [Value] = []
        var sortable: [Int128?] = []
        for (c, call) in q.calls.enumerated() {
            let (value, rank) = finish(call, inputs[c], table, slot: slot, c)
            // A result is shown as a 64-bit number: a larger one is an error, not a clamped answer.
            if let r = rank, r > Int128(Int64.max) || r <= Int128(nullInt) {
                throw Diagnostic(.executor, "arithmetic overflow in \(call.header)", hint: "the result is too large to show")
            }
            values.append(value)
            sortable.append(rank)
        }
        return (table.keys(of: slot), values, sortable)
    }

    /// An aggregate's result for one group, and the number it sorts by.
    private func finish(_ call: BoundAggregateCall, _ input: CallInput, _ t: GroupTable, slot: Int, _ c: Int) -> (Value, Int128?) {
        let i = slot * t.calls + c
        switch call.function {
        case .count:
            if case .distinct = call.input {
                return (.int(Int64(t.counts[i])), Int128(t.counts[i]))
            }
            let n = t.rows[slot]
            return (.int(Int64(n)), Int128(n))
        case .sum:
            guard case .number(let e) = call.input else { return (.null, nil) }
            let shown = BoundExpr.rescale(t.sums[i], from: e.scale, to: call.resultType == .int ? 0 : 2)
            return (Self.value(shown, call.resultType), shown)
        case .avg:
            guard case .number(let e) = call.input, t.counts[i] > 0 else { return (.null, nil) }
            // Two places, rounded half away from zero: sum / n, exactly.
            let shown = BoundExpr.divide(t.sums[i] * BoundExpr.power(2), Int128(t.counts[i]) * BoundExpr.power(e.scale))
            return (Self.value(shown, call.resultType), shown)
        case .min, .max:
            guard t.counts[i] > 0 else { return (.null, nil) }
            let v = call.function == .min ? t.mins[i] : t.maxs[i]
            switch call.input {
            case .number(let e):
                let shown = BoundExpr.rescale(v, from: e.scale, to: call.resultType == .int ? 0 : 2)
                return (Self.value(shown, call.resultType), shown)
            case .ordinal:
                return (input.decodeOrdinal(Int64(v)), v)
            case .rows, .distinct:
                return (.null, nil)
            }
        }
    }

    private static func value(_ shown: Int128, _ type: ResultType) -> Value {
        let v = Int64(clamping: shown)
        switch type {
        case .money: return .money(v)
        case .percent: return .percent(v)
        case .int: return .int(v)
        default: return .decimal(v)
        }
    }
}

/// What one aggregate reads from the selected rows, gathered column at a time.
struct CallInput {
    enum Values {
        case none
        /// Stored integers (`nullInt` for null): a field at its own scale, or ranks for min/max.
        case integers([Int64])
        /// Exact computed numbers at the value's scale, and which rows have one.
        case exact([Int128], valid: [Bool])
    }

    let values: Values
    private let ordinalReader: PathReader?
    private let textCodeOfRank: [Int64]?

    init(_ call: BoundAggregateCall, rows: [Int32]?, count: Int, db: Database, evaluator: ScalarEvaluator,
         cancellation: Cancellation) throws(Diagnostic) {
        switch call.input {
        case .rows:
            values = .none
            ordinalReader = nil
            textCodeOfRank = nil
        case .distinct(let p):
            ordinalReader = nil
            textCodeOfRank = nil
            values = .integers(PathReader(p, in: db).gather(rows, count: count))
        case .number(let e):
            ordinalReader = nil
            textCodeOfRank = nil
            if case .path(let p) = e {
                values = .integers(PathReader(p, in: db).gather(rows, count: count))
            } else {
                let computed: ScalarValues
                do {
                    computed = try evaluator.valuesInBlocks(e, rows: rows ?? RowSelector.all(count))
                } catch where error.isOverflow {
                    // Named by the aggregate's column, as the user reads it.
                    throw Diagnostic(.executor, "arithmetic overflow in \(call.header)", hint: error.hint)
                }
                let (v, ok) = computed.numberColumns
                values = .exact(v, valid: ok)
            }
        case .ordinal(let p):
            let reader = PathReader(p, in: db)
            ordinalReader = reader
            var stored = reader.gather(rows, count: count)
            if case .text(let t) = reader.column {
                // Text compares alphabetically: aggregate ranks, and map the winner back to its code.
                let ranks = try SortKey.alphabeticalRanks(t.dictionary, cancellation: cancellation)
                var codeOfRank = [Int64](repeating: 0, count: ranks.count)
                for (code, r) in ranks.enumerated() { codeOfRank[Int(r)] = Int64(code) }
                textCodeOfRank = codeOfRank
                for i in stored.indices where stored[i] != nullInt { stored[i] = ranks[Int(stored[i])] }
            } else {
                textCodeOfRank = nil
            }
            values = .integers(stored)
        }
    }

    private init(values: Values, ordinalReader: PathReader?, textCodeOfRank: [Int64]?) {
        self.values = values
        self.ordinalReader = ordinalReader
        self.textCodeOfRank = textCodeOfRank
    }

    /// The input for some of the selected rows only (positions into them).
    func keeping(_ positions: [Int32]) -> CallInput {
        let kept: Values
        switch values {
        case .none: kept = .none
        case .integers(let v): kept = .integers(positions.map { v[Int($0)] })
        case .exact(let v, let ok): kept = .exact(positions.map { v[Int($0)] }, valid: positions.map { ok[Int($0)] })
        }
        return CallInput(values: kept, ordinalReader: ordinalReader, textCodeOfRank: textCodeOfRank)
    }

    func decodeOrdinal(_ v: Int64) -> Value {
        guard let reader = ordinalReader else { return .null }
        return reader.decode(textCodeOfRank.map { $0[Int(v)] } ?? v)
    }
}

