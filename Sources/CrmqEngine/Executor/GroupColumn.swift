/// One `by` key's values for the selected rows, as integers a group table can slot: a field's
/// stored values (enum codes, text codes, numbers), or a computed key (`month(close_date)`,
/// `lower(name)`) evaluated set-wise, numbers as their exact mantissas and text as the index of
/// each distinct text.
struct GroupColumn {
    /// Per selected row; `nullInt` for null.
    var keys: [Int64]
    /// Dense slots `0..<domain` (the last for null) when the key takes few values; nil to hash.
    var domain: Int?
    /// Alphabetical rank of each text key; nil when keys sort by their own value (numbers, dates,
    /// enum codes in their list's order).
    var ranks: [Int64]?
    private let decoder: Decoder

    private enum Decoder {
        case path(PathReader)
        case number(ResultType, scale: Int)
        case text([String])
    }

    func decode(_ k: Int64) -> Value {
        if k == nullInt { return .null }
        switch decoder {
        case .path(let reader): return reader.decode(k)
        case .number(let type, let scale): return ScalarValues.output(Int128(k), type, scale: scale) ?? .null
        case .text(let texts): return .text(texts[Int(k)])
        }
    }

    /// The keys most computed groups stay within (years, months, weekdays) get dense slots.
    private static let denseLimit: Int64 = 1 << 16

    init(_ key: BoundGroupKey, rows: [Int32]?, count: Int, db: Database, evaluator: ScalarEvaluator) throws(Diagnostic) {
        if let p = key.path {
            let reader = PathReader(p, in: db)
            keys = reader.gather(rows, count: count)
            decoder = .path(reader)
            switch (reader.column, p.type) {
            case (.text(let t), _):
                domain = t.dictionary.count + 1
                ranks = try SortKey.alphabeticalRanks(t.dictionary, cancellation: evaluator.cancellation)
            case (_, .enumeration): domain = reader.enumValues.count + 1; ranks = nil
            case (_, .bool): domain = 3; ranks = nil
            default: domain = nil; ranks = nil
            }
            return
        }
        switch try evaluator.valuesInBlocks(key.value, rows: rows ?? RowSelector.all(count)) {
        case .numbers(let v, let ok):
            var out = [Int64](repeating: nullInt, count: v.count)
            var low: Int64 = .max, high: Int64 = .min
            for i in v.indices where ok[i] {
                guard v[i] > Int128(nullInt), v[i] <= Int128(Int64.max) else { throw ScalarEvaluator.overflow(key.value) }
                let x = Int64(v[i])
                out[i] = x
                low = min(low, x)
                high = max(high, x)
            }
            keys = out
            decoder = .number(key.value.type, scale: key.value.scale)
            ranks = nil
            // Dense slots put null last: the slot after the largest key.
            domain = low == .max ? 1 : low >= 0 && high < GroupColumn.denseLimit ? Int(high) + 2 : nil
        case .texts(let codes, let dictionary):
            // Groups are by the text as computed (case-sensitively, as `by` groups a field).
            var index: [String: Int64] = [:]
            var texts: [String] = []
            var idOfCode = [Int64](repeating: -1, count: dictionary.count)
            var out = [Int64](repeating: nullInt, count: codes.count)
            for (i, c) in codes.enumerated() where c >= 0 {
                if idOfCode[Int(c)] < 0 {
                    let s = dictionary[Int(c)]
                    if let id = index[s] { idOfCode[Int(c)] = id } else {
                        idOfCode[Int(c)] = Int64(texts.count)
                        index[s] = Int64(texts.count)
                        texts.append(s)
                    }
                }
                out[i] = idOfCode[Int(c)]
            }
            keys = out
            decoder = .text(texts)
            domain = texts.count + 1
            ranks = try SortKey.alphabeticalRanks(texts, cancellation: evaluator.cancellation)
        }
    }

    /// The column for some of the selected rows only (positions into them).
    func keeping(_ positions: [Int32]) -> GroupColumn {
        var c = self
        c.keys = positions.map { keys[Int($0)] }
        return c
    }
}
