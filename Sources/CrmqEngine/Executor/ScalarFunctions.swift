/// The functions of computed values, a block of rows at a time. Functions of text run once per
/// distinct text of the block's dictionary.
extension ScalarEvaluator {
    @inline(never)
    func call(_ f: ScalarFunction, _ args: [BoundScalar], _ rows: [Int32], _ node: BoundScalar) throws(Diagnostic) -> ScalarValues {
        switch f {
        case .year, .quarter, .month, .week, .day, .weekday, .fiscalYear, .fiscalQuarter:
            var (v, ok) = try numbers(args[0], rows)
            let startMonth = args.count > 1 ? Int(args[1].constantNumber ?? 1) : 1
            for i in v.indices where ok[i] {
                guard abs(v[i]) < 1 << 40 else { ok[i] = false; continue }
                v[i] = Int128(ScalarEvaluator.datePart(f, Int64(v[i]), fiscalStart: startMonth))
            }
            return .numbers(v, valid: ok)
        case .date:
            var (v, ok) = try numbers(args[0], rows)
            if args[0].type == .datetime {
                for i in v.indices where ok[i] { v[i] = v[i] >= 0 ? v[i] / 86400 : (v[i] - 86399) / 86400 }
            }
            return .numbers(v, valid: ok)
        case .daysBetween:
            preconditionFailure("bound as BoundScalar.daysBetween")
        case .lower, .upper:
            guard case .texts(let codes, let dictionary) = try values(args[0], rows: rows) else { preconditionFailure("bound as text") }
            let transform: (String) -> String = f == .lower ? { $0.lowercased() } : { $0.uppercased() }
            if case .path = args[0] {
                // A field's dictionary is the same in every block: each text is changed once.
                return textMemo.map(node, codes, dictionary, transform)
            }
            let (used, texts) = ScalarEvaluator.compact(codes, dictionary)
            return .texts(used, dictionary: texts.map(transform))
        case .length:
            guard case .texts(let codes, let dictionary) = try values(args[0], rows: rows) else { preconditionFailure("bound as text") }
            let (used, texts) = ScalarEvaluator.compact(codes, dictionary)
            let lengths = texts.map { Int128($0.count) }
            return .numbers(used.map { $0 < 0 ? 0 : lengths[Int($0)] }, valid: used.map { $0 >= 0 })
        case .abs:
            var (v, ok) = try numbers(args[0], rows)
            for i in v.indices where v[i] < 0 { v[i] = -v[i] }
            return .numbers(v, valid: ok)
        case .round:
            var (v, ok) = try numbers(args[0], rows)
            let from = args[0].scale, to = node.scale
            if from != to { for i in v.indices where ok[i] { v[i] = BoundExpr.rescale(v[i], from: from, to: to) } }
            return .numbers(v, valid: ok)
        case .coalesce:
            return try coalesce(args, rows, scale: node.scale)
        }
    }

    private func coalesce(_ args: [BoundScalar], _ rows: [Int32], scale: Int) throws(Diagnostic) -> ScalarValues {
        if args[0].type == .text {
            var codes = [Int32](repeating: -1, count: rows.count)
            var dictionary: [String] = []
            for a in args {
                guard case .texts(let c, let d) = try values(a, rows: rows) else { preconditionFailure("bound as text") }
                let offset = Int32(dictionary.count)
                dictionary += d
                for i in codes.indices where codes[i] < 0 && c[i] >= 0 { codes[i] = c[i] + offset }
            }
            return .texts(codes, dictionary: dictionary)
        }
        var v = [Int128](repeating: 0, count: rows.count), ok = [Bool](repeating: false, count: rows.count)
        for a in args {
            let x = try numbers(a, rows)
            let factor = BoundExpr.power(scale - a.scale)
            for i in v.indices where !ok[i] && x.valid[i] { v[i] = x.values[i] * factor; ok[i] = true }
        }
        return .numbers(v, valid: ok)
    }

    /// The codes renumbered over only the texts they use: a function of a field's text then runs
    /// once per text of the block, not once per text of a dictionary of a million names.
    static func compact(_ codes: [Int32], _ dictionary: [String]) -> ([Int32], [String]) {
        if dictionary.count <= codes.count { return (codes, dictionary) }
        var renumber: [Int32: Int32] = [:]
        var texts: [String] = []
        let out = codes.map { c -> Int32 in
            guard c >= 0 else { return -1 }
            if let n = renumber[c] { return n }
            let n = Int32(texts.count)
            renumber[c] = n
            texts.append(dictionary[Int(c)])
            return n
        }
        return (out, texts)
    }

    /// A part of a day: `year` 2026, `quarter` 1-4, `month` 1-12, ISO `week` 1-53, `day` 1-31,
    /// `weekday` 1 (Monday) to 7 (Sunday), as ISO 8601 numbers them.
    static func datePart(_ f: ScalarFunction, _ day: Int64, fiscalStart: Int) -> Int64 {
        switch f {
        case .year: return Int64(Day.civil(day).year)
        case .quarter: return Int64((Day.civil(day).month - 1) / 3 + 1)
        case .month: return Int64(Day.civil(day).month)
        case .day: return Int64(Day.civil(day).day)
        case .weekday: return Int64(Day.weekday(day) + 1)
        case .week: return Int64(isoWeek(day))
        case .fiscalYear: return Int64(FiscalCalendar.fiscalYear(ofDay: day, startMonth: fiscalStart))
        case .fiscalQuarter: return Int64(FiscalCalendar.fiscalQuarter(ofDay: day, startMonth: fiscalStart))
        default: preconditionFailure("not a part of a day")
        }
    }

    /// The ISO 8601 week: weeks run Monday to Sunday, and week 1 holds the year's first Thursday.
    static func isoWeek(_ day: Int64) -> Int {
        let thursday = day - Int64(Day.weekday(day)) + 3
        let year = Day.civil(thursday).year
        return Int((thursday - Day.from(year: year, month: 1, day: 1)) / 7) + 1
    }
}

/// Texts a function made of a field's texts, kept across the blocks of one evaluation (the
/// field's dictionary is the same in each): a code is changed once per statement, not per block.
/// A class because the evaluator's blocks share it.
final class TextMemo {
    private var tables: [BoundScalar: (codeMap: [Int32], texts: [String])] = [:]

    func map(_ node: BoundScalar, _ codes: [Int32], _ dictionary: [String], _ transform: (String) -> String) -> ScalarValues {
        var entry = tables.removeValue(forKey: node) ?? ([Int32](repeating: -1, count: dictionary.count), [])
        if entry.codeMap.count != dictionary.count { entry = ([Int32](repeating: -1, count: dictionary.count), []) }
        var out = [Int32](repeating: -1, count: codes.count)
        for (i, c) in codes.enumerated() where c >= 0 {
            var m = entry.codeMap[Int(c)]
            if m < 0 {
                m = Int32(entry.texts.count)
                entry.texts.append(transform(dictionary[Int(c)]))
                entry.codeMap[Int(c)] = m
            }
            out[i] = m
        }
        tables[node] = entry
        return .texts(out, dictionary: entry.texts)
    }
}

extension BoundScalar {
    /// The number of an int constant.
    var constantNumber: Int64? {
        if case .constant(.number(let n, _, _)) = self { return n }
        return nil
    }
}
