/// The stages every pipeline calls open, won and closed, by name: a deal is won when its stage is a
/// won stage of any pipeline (`Closed Won`, `Contract signed`), closed when it is won or lost.
struct ReportStages: Sendable {
    var open: [String] = []
    var won: [String] = []
    var closed: [String] = []

    init(_ schema: Schema) {
        var seen = Set<String>()
        for pipeline in schema.pipelines {
            for stage in pipeline.stages where seen.insert(stage.name.lowercased()).inserted {
                if stage.isClosed { closed.append(stage.name) } else { open.append(stage.name) }
                if stage.isWon { won.append(stage.name) }
            }
        }
    }

    /// `stage in ("Closed Won")`. With no stage of the kind (pipelines without a won stage) no deal
    /// passes: `id is null` says so, as every record has an id.
    static func test(_ names: [String]) -> String { names.isEmpty ? "id is null" : "stage in \(ReportText.list(names))" }
}

/// The `by` keys of reports, as statement keys and how their rows are labelled and ordered.
enum ReportKeys {
    /// The statement's `by` keys for a grouping: `owner` groups by the owner's name (what a row shows).
    static func keys(_ grouping: String?, dateField: String = "close_date") -> [String] {
        switch grouping {
        case nil: []
        case "owner": ["owner.name"]
        case "month": ["year(\(dateField))", "month(\(dateField))"]
        case let g?: [g]
        }
    }

    /// The rows' keys, ordered as `by` orders them: text ignoring case, numbers by value, empty last.
    static func sorted(_ keys: [[Value]]) -> [[Value]] {
        keys.sorted { a, b in
            for (x, y) in zip(a, b) where x != y {
                if x.isNull || y.isNull { return y.isNull }
                switch (x, y) {
                case (.int(let m), .int(let n)): return m < n
                case (.text(let s), .text(let t)):
                    let (ls, lt) = (s.lowercased(), t.lowercased())
                    return ls == lt ? s < t : ls < lt
                default: return x.plainText < y.plainText
                }
            }
            return false
        }
    }

    /// The label of a row of `month` keys: `2026-04`.
    static func monthLabel(_ key: [Value]) -> Value {
        guard key.count == 2, case .int(let y) = key[0], case .int(let m) = key[1] else { return .null }
        return .text("\(y)-\(m < 10 ? "0" : "")\(m)")
    }

    /// Every month of a period, as `[year, month]` keys: a forecast by month shows each.
    static func months(_ period: ReportPeriod) -> [[Value]] {
        var out: [[Value]] = []
        var (y, m, _) = Day.civil(period.lo)
        let (ly, lm, _) = Day.civil(period.hi)
        while (y, m) <= (ly, lm) && out.count < 1200 {
            out.append([.int(Int64(y)), .int(Int64(m))])
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        return out
    }
}
