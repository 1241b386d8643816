/// Tests a filter on candidate rows (ascending) that an index produced, a column at a time:
/// each test gathers its values for the rows still in play and keeps those that pass, so there
/// is no per-row closure or pattern match. `and` narrows, `or` merges, `not` subtracts.
struct CandidateFilter {
    let db: Database
    /// Checked by `any`/`no`/`all`, which read another collection, and per block of computed conditions.
    var cancellation: Cancellation = .none
    /// The plans of the filter's `any`/`no`/`all` (from its `FilterPlan`); without one they scan.
    var plans: [RelatedKey: FilterPlan] = [:]

    init(db: Database, cancellation: Cancellation = .none, plans: [RelatedPlan] = []) {
        self.db = db
        self.cancellation = cancellation
        self.plans = RelatedPlan.index(plans)
    }

    func filter(_ f: BoundFilter, _ rows: [Int32]) throws(Diagnostic) -> [Int32] {
        if rows.isEmpty { return rows }
        switch f {
        case .all: return rows
        case .none: return []
        case .and(let parts):
            var kept = rows
            for p in parts where !kept.isEmpty { kept = try filter(p, kept) }
            return kept
        case .or(let parts):
            var kept: [Int32] = []
            var rest = rows
            for p in parts where !rest.isEmpty {
                let passed = try filter(p, rest)
                kept = CandidateFilter.union(kept, passed)
                rest = CandidateFilter.difference(rest, passed)
            }
            return kept
        case .not(let inner):
            return CandidateFilter.difference(rows, try filter(inner, rows))
        case .test(let path, let test):
            return try self.test(path, test, rows)
        case .scalar(let p):
            return try ScalarFilter(db: db, cancellation: cancellation, p).filter(p, rows)
        case .related(let q, let c, let inner):
            let plan = plans.isEmpty ? nil : plans[RelatedKey(quantifier: q, collection: c, filter: inner)]
            return try SemiJoin(db: db, cancellation: cancellation).matches(q, c, inner, plan: plan, among: rows)
        }
    }

    private func test(_ path: BoundPath, _ test: BoundTest, _ rows: [Int32]) throws(Diagnostic) -> [Int32] {
        let reader = PathReader(path, in: db)
        let values = reader.gather(rows)
        var out: [Int32] = []
        out.reserveCapacity(rows.count)
        switch test {
        case .range(let lo, let hi):
            for i in 0..<rows.count where values[i] >= lo && values[i] <= hi { out.append(rows[i]) }
        case .oneOf(let set):
            let lookup = StoredValueSet(set)
            for i in 0..<rows.count where lookup.contains(values[i]) { out.append(rows[i]) }
        case .isNull:
            for i in 0..<rows.count where values[i] == nullInt { out.append(rows[i]) }
        case .textEquals, .textMatch:
            let keep = TextDecision(test, reader: reader, db: db, rows: rows.count)
            for i in 0..<rows.count where values[i] != nullInt && keep.decide(Int32(values[i])) { out.append(rows[i]) }
        case .inSegment(let segment):
            let members = try SegmentMembership(segment, in: db, cancellation: cancellation)
            for i in 0..<rows.count where members.contains(values[i]) { out.append(rows[i]) }
        }
        return out
    }

    /// Ascending union of two ascending lists.
    static func union(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var out: [Int32] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { out.append(a[i]); i += 1 } else if b[j] < a[i] { out.append(b[j]); j += 1 } else {
                out.append(a[i]); i += 1; j += 1
            }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// `a` without the rows of `b` (both ascending, `b` a subset of `a` or not).
    static func difference(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        if b.isEmpty { return a }
        var out: [Int32] = []
        out.reserveCapacity(a.count - min(a.count, b.count))
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            if j < b.count && b[j] == x { continue }
            out.append(x)
        }
        return out
    }
}

/// Decides a text test per dictionary code: on the text index's folded bytes when the field has
/// one, on the strings otherwise; decided once per code when most codes will be asked anyway.
struct TextDecision {
    private var table: [Bool]?
    private let index: TextIndex?
    private let dictionary: TextDictionary
    private let test: BoundTest
    private let needles: [[UInt8]]
    /// The folded options of a long `in` list, so a code is decided by one lookup, not one per option.
    private let optionSet: Set<String>?

    init(_ test: BoundTest, reader: PathReader, db: Database, rows: Int) {
        self.test = test
        dictionary = reader.column.textColumn.dictionary
        if reader.path.field.field > 0, case .text(let t)? = db[reader.path.field.entity].index(reader.path.field.field) {
            index = t
        } else {
            index = nil
        }
        switch test {
        case .textEquals(let options): needles = options.map { Array(TextIndex.fold($0).utf8) }
        case .textMatch(_, let needle): needles = [Array(TextIndex.fold(needle).utf8)]
        default: needles = []
        }
        if case .textEquals(let options) = test, options.count > 16 {
            optionSet = Set(options.map(TextIndex.fold))
        } else {
            optionSet = nil
        }
        table = nil
        if rows >= dictionary.count / 2 {
            let all = (0..<Int32(dictionary.count)).map { decide($0) }
            table = all
        }
    }

    func decide(_ code: Int32) -> Bool {
        if let table { return table[Int(code)] }
        if let optionSet { return optionSet.contains(TextIndex.fold(dictionary[Int(code)])) }
        if let index {
            return index.withMatcher { match in
                needles.contains { needle in
                    needle.withUnsafeBufferPointer { n in
                        switch test {
                        case .textMatch(let m, _): return match(code, m, n)
                        default: return match(code, .startsWith, n) && index.keyLength(code) == n.count
                        }
                    }
                }
            }
        }
        let text = dictionary[Int(code)]
        switch test {
        case .textEquals(let options): return options.contains { TextMatching.equals(text, $0) }
        case .textMatch(let m, let needle): return TextMatching.matches(text, m, needle)
        default: return false
        }
    }
}
