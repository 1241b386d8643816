/// What the planner and `.indexes` know about an indexed column: counts read off its index,
/// so they are exact and rebuilt with it after every change.
public struct ColumnStats: Sendable {
    public var rows: Int
    public var nulls: Int
    public var distinct: Int
    /// Stored min and max (numbers and dates), nil for postings and text.
    public var range: (min: Int64, max: Int64)?
    /// The most common stored values (codes or ids) with their row counts, most common first.
    public var mostCommon: [(value: Int64, rows: Int)]

    public init(_ index: FieldIndex, rows: Int) {
        self.rows = rows
        let postings: PostingIndex?
        switch index {
        case .posting(let p): postings = p
        case .text(let t): postings = t.postings
        case .sorted: postings = nil
        }
        switch index {
        case .posting, .text:
            let p = postings!
            self.nulls = p.nullRows.count
            let counts = p.keysPresent.map { ($0.key, $0.rows) }
            self.distinct = counts.count
            self.range = nil
            self.mostCommon = Array(counts.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(3))
                .map { (value: $0.0, rows: $0.1) }
        case .sorted(let s):
            self.nulls = rows - s.count
            var distinct = 0
            var last: Int64?
            for p in 0..<s.count {
                let v = s.value(at: p)
                if v != last { distinct += 1; last = v }
            }
            self.distinct = distinct
            self.range = s.count == 0 ? nil : (s.value(at: 0), s.value(at: s.count - 1))
            self.mostCommon = []
        }
    }
}
