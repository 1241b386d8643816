/// Runs `count`, `sum`, `avg`, `min`, `max`, optionally grouped `by` one or more paths.
struct AggregateExecutor {
    let db: Database

    /// Up to three group values inline; more spill into `rest`.
    private struct GroupKey: Hashable {
        var a: Int64 = 0, b: Int64 = 0, c: Int64 = 0
        var rest: [Int64] = []

        init(_ values: [Int64]) {
            if values.count > 0 { a = values[0] }
            if values.count > 1 { b = values[1] }
            if values.count > 2 { c = values[2] }
            if values.count > 3 { rest = Array(values[3...]) }
        }

        func value(_ i: Int) -> Int64 { i == 0 ? a : i == 1 ? b : i == 2 ? c : rest[i - 3] }
    }

    private struct Accumulator {
        var rows = 0
        var nonNull = 0
        var sum: Int64 = 0
        var overflow = false
        var min: Int64 = .max
        var max: Int64 = .min
    }

    func run(_ plan: AggregatePlan) throws(Diagnostic) -> ResultSet {
        let q = plan.query
        let rows = RowSelector(db: db).rows(plan.filter)
        let groupReaders = q.groupBy.map { PathReader($0, in: db) }
        let fieldReader = q.field.map { PathReader($0, in: db) }
        // min/max of text compare alphabetically, so they run over ranks, not dictionary codes.
        let textRanks: [Int64]? = fieldReader.flatMap { r in
            if case .text(let t) = r.column { return SortKey.alphabeticalRanks(t.dictionary) }
            return nil
        }

        var groups: [GroupKey: Accumulator] = [:]
        var keyBuffer = [Int64](repeating: 0, count: groupReaders.count)
        for r in rows {
            let row = Int(r)
            for (i, g) in groupReaders.enumerated() { keyBuffer[i] = g.stored(row) }
            let key = GroupKey(keyBuffer)
            var acc = groups[key] ?? Accumulator()
            acc.rows += 1
            if let f = fieldReader {
                var v = f.stored(row)
                if v != nullInt {
                    if let ranks = textRanks { v = ranks[Int(v)] }
                    acc.nonNull += 1
                    let (s, o) = acc.sum.addingReportingOverflow(v)
                    acc.sum = s
                    acc.overflow = acc.overflow || o
                    acc.min = Swift.min(acc.min, v)
                    acc.max = Swift.max(acc.max, v)
                }
            }
            groups[key] = acc
        }
        if groupReaders.isEmpty && groups.isEmpty { groups[GroupKey([])] = Accumulator() }

        var entries = groups.map { (key: $0.key, acc: $0.value) }
        if entries.contains(where: { $0.acc.overflow }) && (q.function == .sum || q.function == .avg) {
            throw Diagnostic(.executor, "the \(q.function.rawValue) is too large to represent",
                             hint: "narrow the query with where")
        }

        // Group keys sort in each path's natural order; text alphabetically.
        let groupRanks: [[Int64]?] = groupReaders.map { g in
            if case .text(let t) = g.column { return SortKey.alphabeticalRanks(t.dictionary) }
            return nil
        }
        func rank(_ key: GroupKey, _ i: Int) -> Int64 {
            let v = key.value(i)
            if v == nullInt { return nullInt }
            return groupRanks[i].map { $0[Int(v)] } ?? v
        }
        // Results sort by the value as shown (an average rounded to its two places).
        let valueOf: ((key: GroupKey, acc: Accumulator)) -> Int64 = { e in
            switch q.function {
            case .count: Int64(e.acc.rows)
            case .sum: e.acc.sum
            case .avg: roundedAverage(e.acc, fieldReader!) ?? nullInt
            case .min: e.acc.nonNull == 0 ? nullInt : e.acc.min
            case .max: e.acc.nonNull == 0 ? nullInt : e.acc.max
            }
        }
        entries.sort { x, y in
            for k in q.order {
                let (a, b, desc): (Int64, Int64, Bool)
                switch k {
                case .group(let i, let d): (a, b, desc) = (rank(x.key, i), rank(y.key, i), d)
                case .value(let d): (a, b, desc) = (valueOf(x), valueOf(y), d)
                }
                if a == b { continue }
                if a == nullInt { return false }
                if b == nullInt { return true }
                return (a < b) != desc
            }
            for i in 0..<groupReaders.count {
                let a = rank(x.key, i), b = rank(y.key, i)
                if a == b { continue }
                if a == nullInt { return false }
                if b == nullInt { return true }
                return a < b
            }
            return false
        }
        let start = min(q.offset, entries.count)
        let end = q.limit.map { min(entries.count, start + $0) } ?? entries.count
        entries = Array(entries[start..<end])

        var columns = q.groupBy.map { ResultColumn($0.text, ResultType($0.type)) }
        columns.append(ResultColumn(q.valueHeader, resultType(q.function, q.field?.type)))
        let out: [[Value]] = entries.map { e in
            var row = groupReaders.enumerated().map { i, g in g.decode(e.key.value(i)) }
            row.append(aggregateValue(q.function, e.acc, fieldReader, textRanks))
            return row
        }
        return ResultSet(columns: columns, rows: out)
    }

    /// The average in the field's stored unit (hundredths for an int field, which keeps two decimals),
    /// rounded half away from zero with integer arithmetic only.
    private func roundedAverage(_ acc: Accumulator, _ reader: PathReader) -> Int64? {
        guard acc.nonNull > 0 else { return nil }
        let scale: Int64 = reader.path.type == .int ? 100 : 1
        let n = Int64(acc.nonNull)
        let num = acc.sum * scale
        return (2 * num + (num >= 0 ? n : -n)) / (2 * n)
    }

    private func resultType(_ f: AggregateFunction, _ t: FieldType?) -> ResultType {
        switch f {
        case .count: return .int
        case .avg: return t == .int ? .decimal : ResultType(t!)
        case .sum, .min, .max: return ResultType(t!)
        }
    }

    private func aggregateValue(_ f: AggregateFunction, _ acc: Accumulator, _ reader: PathReader?,
                                _ textRanks: [Int64]?) -> Value {
        switch f {
        case .count:
            return .int(Int64(acc.rows))
        case .sum:
            return reader!.decode(acc.sum)
        case .avg:
            guard let reader, let q = roundedAverage(acc, reader) else { return .null }
            return reader.path.type == .int ? .decimal(q) : reader.decode(q)
        case .min, .max:
            guard acc.nonNull > 0, let reader else { return .null }
            let v = f == .min ? acc.min : acc.max
            if let ranks = textRanks, let code = ranks.firstIndex(of: v) { return reader.decode(Int64(code)) }
            return reader.decode(v)
        }
    }
}
