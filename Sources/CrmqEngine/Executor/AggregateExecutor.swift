/// Runs `count`, `sum`, `avg`, `min`, `max` (one or several), optionally grouped `by` paths.
///
/// Groups over small domains (enum values, text dictionaries, bools, through any number of
/// references) are array slots indexed by code, so grouping a million rows by stage is one pass
/// over two arrays; other groups fall back to hashing.
struct AggregateExecutor {
    let db: Database

    func run(_ plan: AggregatePlan) throws(Diagnostic) -> ResultSet {
        let q = plan.query
        let rows = RowSelector(db: db).rows(plan.filter)
        let groupReaders = q.groupBy.map { PathReader($0, in: db) }
        let inputs = q.calls.map { CallInput($0, db) }
        var table = GroupTable(calls: q.calls.count, readers: groupReaders)

        for r in rows {
            let row = Int(r)
            let slot = table.slot(for: row)
            table.rows[slot] += 1
            for (c, input) in inputs.enumerated() {
                guard let v = input.value(row) else { continue }
                table.add(v, call: c, slot: slot)
            }
        }
        if groupReaders.isEmpty && table.usedSlots.isEmpty { _ = table.slot(for: -1) }

        // Each group's row: the group values, then each aggregate's result.
        var results: [(keys: [Int64], values: [Value], sortable: [Int128?])] = table.usedSlots.map { slot in
            let keys = table.keys(of: slot)
            var values: [Value] = []
            var sortable: [Int128?] = []
            for (c, call) in q.calls.enumerated() {
                let (value, rank) = finish(call, inputs[c], table, slot: slot, c)
                values.append(value)
                sortable.append(rank)
            }
            return (keys, values, sortable)
        }

        // Group values sort in each path's natural order (text alphabetically), nulls last.
        let ranks: [[Int64]?] = groupReaders.map { g in
            if case .text(let t) = g.column { return SortKey.alphabeticalRanks(t.dictionary) }
            return nil
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
        results.sort { x, y in
            for k in q.order {
                switch k {
                case .group(let i, let d):
                    let a = rank(x.keys, i), b = rank(y.keys, i)
                    if let c = compare(a == nullInt ? nil : a, b == nullInt ? nil : b, d) { return c }
                case .value(let i, let d):
                    if let c = compare(x.sortable[i], y.sortable[i], d) { return c }
                }
            }
            for i in 0..<groupReaders.count {
                let a = rank(x.keys, i), b = rank(y.keys, i)
                if let c = compare(a == nullInt ? nil : a, b == nullInt ? nil : b, false) { return c }
            }
            return false
        }
        let start = min(q.offset, results.count)
        let end = q.limit.map { min(results.count, start + $0) } ?? results.count
        let columns = q.groupBy.map { ResultColumn($0.text, ResultType($0.type)) }
            + q.calls.map { ResultColumn($0.header, $0.resultType) }
        let out: [[Value]] = results[start..<end].map { r in
            groupReaders.enumerated().map { i, g in g.decode(r.keys[i]) } + r.values
        }
        return ResultSet(columns: columns, rows: out)
    }

    /// An aggregate's result for one group, and the number it sorts by.
    private func finish(_ call: BoundAggregateCall, _ input: CallInput, _ t: GroupTable, slot: Int, _ c: Int) -> (Value, Int128?) {
        let i = slot * t.calls + c
        switch call.function {
        case .count:
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
            case .rows:
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

/// What one aggregate reads from a row, prepared once: a direct column where it can.
private struct CallInput {
    let read: ((Int) -> Int128?)?
    private let ordinalReader: PathReader?
    private let textCodeOfRank: [Int64]?

    init(_ call: BoundAggregateCall, _ db: Database) {
        switch call.input {
        case .rows:
            read = nil
            ordinalReader = nil
            textCodeOfRank = nil
        case .number(let e):
            ordinalReader = nil
            textCodeOfRank = nil
            if case .path(let p, let scale) = e, p.hops.isEmpty, scale == (p.type == .int ? 0 : 2) {
                let column = db[p.field.entity].columns[p.field.field].integers
                read = { let v = column[$0]; return v == nullInt ? nil : Int128(v) }
            } else {
                let readers = e.paths.map { PathReader($0, in: db) }
                read = { row in var next = 0; return e.evaluate(row, readers, &next) }
            }
        case .ordinal(let p):
            let reader = PathReader(p, in: db)
            ordinalReader = reader
            if case .text(let t) = reader.column {
                // Text compares alphabetically: aggregate ranks, and map the winner back to its code.
                let ranks = SortKey.alphabeticalRanks(t.dictionary)
                var codeOfRank = [Int64](repeating: 0, count: ranks.count)
                for (code, r) in ranks.enumerated() { codeOfRank[Int(r)] = Int64(code) }
                textCodeOfRank = codeOfRank
                read = { let c = reader.stored($0); return c == nullInt ? nil : Int128(ranks[Int(c)]) }
            } else {
                textCodeOfRank = nil
                read = { let v = reader.stored($0); return v == nullInt ? nil : Int128(v) }
            }
        }
    }

    func value(_ row: Int) -> Int128? { read?(row) }

    func decodeOrdinal(_ v: Int64) -> Value {
        guard let reader = ordinalReader else { return .null }
        return reader.decode(textCodeOfRank.map { $0[Int(v)] } ?? v)
    }
}

/// Accumulators per group: dense slots when every group path has a small domain, hashed otherwise.
private struct GroupTable {
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

    /// The slot of a row's group (`row` -1: the single group of an empty, ungrouped result).
    mutating func slot(for row: Int) -> Int {
        if let domains {
            var slot = 0, scale = 1
            for (i, r) in readers.enumerated() {
                let v = row < 0 ? nullInt : r.stored(row)
                slot += (v == nullInt ? domains[i] - 1 : Int(v)) * scale
                scale *= domains[i]
            }
            denseUsed[slot] = true
            return slot
        }
        let key = GroupKey(readers.map { row < 0 ? nullInt : $0.stored(row) })
        if let s = slotOfKey[key] { return s }
        let s = keyOfSlot.count
        slotOfKey[key] = s
        keyOfSlot.append(key.values)
        grow(to: s + 1)
        return s
    }

    mutating func add(_ v: Int128, call c: Int, slot: Int) {
        let i = slot * calls + c
        counts[i] += 1
        sums[i] += v
        if v < mins[i] { mins[i] = v }
        if v > maxs[i] { maxs[i] = v }
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
