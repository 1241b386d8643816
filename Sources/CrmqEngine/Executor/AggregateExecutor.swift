/// Runs `count`, `sum`, `avg`, `min`, `max` (one or several), optionally grouped `by` paths.
///
/// Groups over small domains (enum values, text dictionaries, bools, through any number of
/// references) are array slots indexed by code, so grouping a million rows by stage is one pass
/// over two arrays; other groups fall back to hashing.
struct AggregateExecutor {
    let db: Database
    /// Checked between passes over the columns and once per block of rows in per-row loops.
    var cancellation: Cancellation = .none

    func run(_ plan: AggregatePlan) throws(Diagnostic) -> ResultSet {
        let q = plan.query
        try cancellation.check()
        try cancellation.holdIfTesting()
        // Every row (nil) when there is no filter: columns are then read in place, not gathered.
        let everyRow: Bool
        if case .scan = plan.filter.access, plan.filter.residual == .all { everyRow = true } else { everyRow = false }
        let rows: [Int32]? = everyRow ? nil : try RowSelector(db: db, cancellation: cancellation).rows(plan.filter)
        let count = rows?.count ?? db[q.entity].count
        let groupReaders = q.groupBy.map { PathReader($0, in: db) }
        var inputs: [CallInput] = []
        for call in q.calls {
            try cancellation.check()
            inputs.append(try CallInput(call, rows: rows, count: count, db: db, cancellation: cancellation))
        }
        try cancellation.check()
        if let c = inputs.firstIndex(where: { if case .exact(let b) = $0.values { b.overflowed } else { false } }) {
            throw Diagnostic(.executor, "arithmetic overflow in \(q.calls[c].header)",
                             hint: "on some row the value is too large to compute exactly")
        }
        // Column at a time: every row's group slot, then each aggregate over its values.
        var table = GroupTable(calls: q.calls.count, readers: groupReaders)
        let distinct = q.calls.contains { if case .distinct = $0.input { true } else { false } }
        if distinct || !table.fusedPass(rows: rows, count: count, inputs: inputs, functions: q.calls.map(\.function)) {
            let slots = try table.slots(for: rows, count: count, cancellation: cancellation)
            for (c, input) in inputs.enumerated() {
                try cancellation.check()
                if case .distinct = q.calls[c].input, case .integers(let values) = input.values {
                    try table.countDistinct(values, call: c, slots: slots, cancellation: cancellation)
                } else {
                    table.accumulate(input, q.calls[c].function, call: c, slots: slots)
                }
            }
        }
        try cancellation.check()
        if groupReaders.isEmpty && table.usedSlots.isEmpty { table.addEmptyGroup() }

        // Each group's row: the group values, then each aggregate's result.
        var results: [(keys: [Int64], values: [Value], sortable: [Int128?])] = []
        for (n, slot) in table.usedSlots.enumerated() {
            if n & 4095 == 0 { try cancellation.check() }
            let keys = table.keys(of: slot)
            var values: [Value] = []
            var sortable: [Int128?] = []
            for (c, call) in q.calls.enumerated() {
                let (value, rank) = finish(call, inputs[c], table, slot: slot, c)
                values.append(value)
                sortable.append(rank)
            }
            if q.having != .all {
                let row = groupReaders.enumerated().map { i, g in g.decode(keys[i]) } + values
                if !HavingFilter(condition: q.having, groups: groupReaders.count).passes(row) { continue }
            }
            results.append((keys, values, sortable))
        }
        // A result is shown as a 64-bit number: a larger one is an error, not a clamped answer.
        for r in results {
            if let c = r.sortable.firstIndex(where: { $0.map { $0 > Int128(Int64.max) || $0 <= Int128(nullInt) } ?? false }) {
                throw Diagnostic(.executor, "arithmetic overflow in \(q.calls[c].header)",
                                 hint: "the result is too large to show")
            }
        }

        // Group values sort in each path's natural order (text alphabetically), nulls last.
        var ranks: [[Int64]?] = []
        for g in groupReaders {
            if case .text(let t) = g.column {
                ranks.append(try SortKey.alphabeticalRanks(t.dictionary, cancellation: cancellation))
            } else {
                ranks.append(nil)
            }
        }
        func rank(_ keys: [Int64], _ i: Int) -> Int64 {
            let v = keys[i]
            if v == nullInt { return nullInt }
            return ranks[i].map { $0[Int(v)] } ?? v
        }
        func compare<T: Comparable>(_ a: T?, _ b: T?, _ descending: Bool) -> Bool? {
            if a == b { return nil }
            guard let a else { return false }
            guard let b else { return true }
            return (a < b) != descending
        }
        // Positions are sorted, not the rows, over flat copies of what they sort by: the comparison
        // then reads two plain arrays, with no reference counting, as a sort of a million groups needs.
        let width = groupReaders.count, calls = q.calls.count
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
        let columns = q.groupBy.map { ResultColumn($0.text, ResultType($0.type)) }
            + q.calls.map { ResultColumn($0.header, $0.resultType) }
        var out: [[Value]] = []
        out.reserveCapacity(end - start)
        for (n, p) in order[start..<end].enumerated() {
            let r = results[p]
            if n & 4095 == 0 { try cancellation.check() }
            out.append(groupReaders.enumerated().map { i, g in g.decode(r.keys[i]) } + r.values)
        }
        return ResultSet(columns: columns, rows: out)
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
        /// Exact results of arithmetic.
        case exact(ExpressionBatch)
    }

    let values: Values
    private let ordinalReader: PathReader?
    private let textCodeOfRank: [Int64]?

    init(_ call: BoundAggregateCall, rows: [Int32]?, count: Int, db: Database, cancellation: Cancellation) throws(Diagnostic) {
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
            if case .path(let p, let scale) = e, scale == (p.type == .int ? 0 : 2) {
                values = .integers(PathReader(p, in: db).gather(rows, count: count))
            } else {
                values = .exact(ExpressionBatch(e, rows: rows ?? RowSelector.all(count), db: db))
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

    func decodeOrdinal(_ v: Int64) -> Value {
        guard let reader = ordinalReader else { return .null }
        return reader.decode(textCodeOfRank.map { $0[Int(v)] } ?? v)
    }
}

/// Accumulators per group: dense slots when every group path has a small domain, hashed otherwise.
struct GroupTable {
    let calls: Int
    private let readers: [PathReader]
    /// For dense grouping: each path's domain size (the last slot of each is null).
    private let domains: [Int]?
    private var slotOfKey: [GroupKey: Int] = [:]
    private var keyOfSlot: [[Int64]] = []
    private var denseUsed: [Bool] = []

    var rows: [Int] = []
    var counts: [Int] = []
    var sums: [Int128] = []
    var mins: [Int128] = []
    var maxs: [Int128] = []

    init(calls: Int, readers: [PathReader]) {
        self.calls = calls
        self.readers = readers
        var domains: [Int]? = []
        var total = 1
        for r in readers {
            let size: Int? = switch (r.column, r.path.type) {
            case (.text(let t), _): t.dictionary.count + 1
            case (_, .enumeration): r.enumValues.count + 1
            case (_, .bool): 3
            default: nil
            }
            guard let size, total * size <= 1 << 20 else { domains = nil; break }
            total *= size
            domains?.append(size)
        }
        self.domains = domains
        if domains != nil { grow(to: total) }
    }

    private mutating func grow(to slots: Int) {
        rows.append(contentsOf: repeatElement(0, count: slots - rows.count))
        denseUsed.append(contentsOf: repeatElement(false, count: slots - denseUsed.count))
        let n = slots * calls
        counts.append(contentsOf: repeatElement(0, count: n - counts.count))
        sums.append(contentsOf: repeatElement(0, count: n - sums.count))
        mins.append(contentsOf: repeatElement(Int128.max, count: n - mins.count))
        maxs.append(contentsOf: repeatElement(Int128.min, count: n - maxs.count))
    }

    /// Every selected row's group slot.
    mutating func slots(for rows: [Int32]?, count: Int, cancellation: Cancellation) throws(Diagnostic) -> [Int32] {
        let keys = readers.map { $0.gather(rows, count: count) }
        var slots = [Int32](repeating: 0, count: count)
        if let domains {
            var scale = 1
            for (k, size) in domains.enumerated() {
                keys[k].withUnsafeBufferPointer { key in
                    slots.withUnsafeMutableBufferPointer { out in
                        for i in 0..<out.count {
                            let v = key[i]
                            out[i] += Int32((v == nullInt ? size - 1 : Int(v)) * scale)
                        }
                    }
                }
                scale *= size
            }
            // One pass: rows per slot; a slot is used when it has rows.
            self.rows.withUnsafeMutableBufferPointer { r in
                for s in slots { r[Int(s)] &+= 1 }
            }
            for i in 0..<denseUsed.count where self.rows[i] > 0 { denseUsed[i] = true }
            return slots
        }
        var buffer = [Int64](repeating: 0, count: keys.count)
        for i in 0..<count {
            if i & Cancellation.blockMask == 0 { try cancellation.check() }
            for k in 0..<keys.count { buffer[k] = keys[k][i] }
            let key = GroupKey(buffer)
            if let s = slotOfKey[key] {
                slots[i] = Int32(s)
                self.rows[s] += 1
            } else {
                let s = keyOfSlot.count
                slotOfKey[key] = s
                keyOfSlot.append(buffer)
                grow(to: s + 1)
                slots[i] = Int32(s)
                self.rows[s] += 1
            }
        }
        return slots
    }

    /// The most common shape in one pass over the columns, with no slot array: at most one group
    /// path with a small domain, and counts or sums of plain fields (`count, sum value of
    /// opportunities by stage`). Returns false when the query has another shape.
    mutating func fusedPass(rows: [Int32]?, count: Int, inputs: [CallInput], functions: [AggregateFunction]) -> Bool {
        guard readers.count <= 1, let domains,
              functions.allSatisfy({ $0 == .count || $0 == .sum }) else { return false }
        var columns: [[Int64]] = []
        for input in inputs {
            switch input.values {
            case .none: columns.append([])
            case .integers(let v): columns.append(v)
            case .exact: return false
            }
        }
        let key = readers.first?.gather(rows, count: count) ?? [Int64](repeating: 0, count: count)
        let size = domains.first ?? 1
        let calls = self.calls
        // A pass for the row counts, then one per summed column; each a tight loop over two arrays.
        key.withUnsafeBufferPointer { k in
            self.rows.withUnsafeMutableBufferPointer { r in
                for i in 0..<k.count {
                    let v = k[i]
                    r[v == nullInt ? size - 1 : Int(v)] &+= 1
                }
            }
        }
        var small = [Int64](repeating: 0, count: size)
        for (c, column) in columns.enumerated() where !column.isEmpty {
            for j in small.indices { small[j] = 0 }
            var overflow = false
            key.withUnsafeBufferPointer { k in
                column.withUnsafeBufferPointer { v in
                    small.withUnsafeMutableBufferPointer { sum in
                        for i in 0..<k.count {
                            let x = v[i]
                            if x == nullInt { continue }
                            let kv = k[i]
                            let slot = kv == nullInt ? size - 1 : Int(kv)
                            let (t, o) = sum[slot].addingReportingOverflow(x)
                            sum[slot] = t
                            overflow = overflow || o
                        }
                    }
                }
            }
            if overflow {
                for (i, x) in column.enumerated() where x != nullInt {
                    let kv = key[i]
                    sums[(kv == nullInt ? size - 1 : Int(kv)) * calls + c] += Int128(x)
                }
            } else {
                for slot in 0..<size { sums[slot * calls + c] = Int128(small[slot]) }
            }
        }
        for i in 0..<denseUsed.count where self.rows[i] > 0 { denseUsed[i] = true }
        return true
    }

    /// The single group of an ungrouped aggregate over no rows (count 0, sum 0).
    mutating func addEmptyGroup() {
        if domains != nil { denseUsed[0] = true; return }
        slotOfKey[GroupKey([])] = 0
        keyOfSlot.append([])
        grow(to: 1)
    }

    /// Adds one aggregate's values into the groups' accumulators: only what the function needs.
    mutating func accumulate(_ input: CallInput, _ function: AggregateFunction, call c: Int, slots: [Int32]) {
        let calls = self.calls
        switch input.values {
        case .none:
            return
        case .integers(let values):
            if function == .sum || function == .avg {
                // Int64 sums with an overflow check; on overflow, sum again in Int128.
                var small = [Int64](repeating: 0, count: counts.count)
                var overflow = false
                let counting = function == .avg
                counts.withUnsafeMutableBufferPointer { n in
                    small.withUnsafeMutableBufferPointer { sum in
                        values.withUnsafeBufferPointer { v in
                            slots.withUnsafeBufferPointer { sl in
                                for i in 0..<sl.count {
                                    let raw = v[i]
                                    if raw == nullInt { continue }
                                    let j = Int(sl[i]) * calls + c
                                    if counting { n[j] &+= 1 }
                                    let (s, o) = sum[j].addingReportingOverflow(raw)
                                    sum[j] = s
                                    overflow = overflow || o
                                }
                            }
                        }
                    }
                }
                if !overflow {
                    for j in stride(from: c, to: small.count, by: calls) { sums[j] = Int128(small[j]) }
                    return
                }
                for (i, s) in slots.enumerated() where values[i] != nullInt { sums[Int(s) * calls + c] += Int128(values[i]) }
                return
            }
            counts.withUnsafeMutableBufferPointer { n in
                mins.withUnsafeMutableBufferPointer { lo in
                    maxs.withUnsafeMutableBufferPointer { hi in
                        values.withUnsafeBufferPointer { v in
                            for (i, s) in slots.enumerated() {
                                let raw = v[i]
                                if raw == nullInt { continue }
                                let j = Int(s) * calls + c
                                let x = Int128(raw)
                                n[j] += 1
                                if x < lo[j] { lo[j] = x }
                                if x > hi[j] { hi[j] = x }
                            }
                        }
                    }
                }
            }
        case .exact(let batch):
            for (i, s) in slots.enumerated() where batch.valid[i] {
                let j = Int(s) * calls + c
                let x = batch.values[i]
                counts[j] += 1
                sums[j] += x
                if x < mins[j] { mins[j] = x }
                if x > maxs[j] { maxs[j] = x }
            }
        }
    }

    var usedSlots: [Int] {
        domains == nil ? Array(keyOfSlot.indices) : denseUsed.indices.filter { denseUsed[$0] }
    }

    /// The stored group values of a slot (`nullInt` for null).
    func keys(of slot: Int) -> [Int64] {
        guard let domains else { return keyOfSlot[slot] }
        var rest = slot
        return domains.map { size in
            let code = rest % size
            rest /= size
            return code == size - 1 ? nullInt : Int64(code)
        }
    }
}

/// A hashable group key; up to three values inline.
private struct GroupKey: Hashable {
    var a: Int64 = 0, b: Int64 = 0, c: Int64 = 0
    var rest: [Int64] = []
    let count: Int

    init(_ values: [Int64]) {
        count = values.count
        if count > 0 { a = values[0] }
        if count > 1 { b = values[1] }
        if count > 2 { c = values[2] }
        if count > 3 { rest = Array(values[3...]) }
    }

    var values: [Int64] { Array([a, b, c].prefix(count)) + rest }
}
