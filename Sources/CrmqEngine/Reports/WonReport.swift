/// `report won [PERIOD] by type|size|product|owner|owner.team|lead_source`: the closed-won analysis,
/// over the deals closed in the period (default this year: `close_date` in it, stage won or lost):
///
/// - `won`: the deals won; `revenue`: their value; `avg_deal`: revenue / won;
/// - `win_rate`: won / closed, by count;
/// - `median_cycle_days`: the median of close_date - created day (whole days) over the won deals,
///   the mean of the two middle values for an even count;
/// - `win_rate_30`, `win_rate_over_30`: the win rate of the deals closed within 30 days of their
///   creation, and of those closed later (the seed article's claim, on the user's own data).
///
/// `by size` groups by value in bands: < 10,000; 10,000-49,999.99; 50,000-249,999.99; >= 250,000.
/// A deal without a created_at counts in won, revenue and win_rate, not in the cycle figures.
struct WonReport: ReportDefinition {
    static let name = "won"
    static let summary = "deals closed in a period by type, size, product, owner or source: won, revenue, win rate, cycle"
    static let baseEntity = "opportunities"
    static let clauses = ReportClauses(defaultPeriod: .period(offset: 0, unit: .year),
                                       groupings: ["type", "size", "product", "owner", "owner.team", "lead_source"],
                                       groupRequired: true)
    /// The size bands: a row label and the condition on value.
    static let sizeBands: [(label: String, condition: String)] = [
        ("< 10,000", "value < 10000"),
        ("10,000-49,999.99", "value >= 10000 and value < 50000"),
        ("50,000-249,999.99", "value >= 50000 and value < 250000"),
        (">= 250,000", "value >= 250000"),
    ]
    /// Closed within this many days of creation counts in win_rate_30.
    static let quickCycle: Int64 = 30

    let period: ReportPeriod
    let grouping: String
    let stages: ReportStages

    init(_ request: ReportRequest) throws(Diagnostic) {
        period = try request.requiredPeriod(of: Self.name)
        grouping = request.grouping ?? "type"
        stages = ReportStages(request.schema)
    }

    /// The slices the rows come from: one per size band (each its own statements), or one grouped by the key.
    private var slices: [(label: String?, condition: String?, keys: [String])] {
        grouping == "size" ? Self.sizeBands.map { ($0.label, $0.condition, []) } : [(nil, nil, ReportKeys.keys(grouping))]
    }

    func statements(_ context: ReportContext) -> [ReportQuery] {
        let closed = period.condition("close_date")
        return slices.flatMap { slice in
            let band = slice.condition.map { [$0] } ?? []
            return [
                context.aggregate("count, sum value", of: "opportunities",
                                  where: [closed, ReportStages.test(stages.won)] + band, by: slice.keys),
                context.aggregate("count", of: "opportunities", where: [closed, ReportStages.test(stages.closed)] + band,
                                  by: slice.keys + ["stage", "close_date - created_at as cycle_days"]),
            ]
        }
    }

    func table(_ results: [ResultSet], _ context: ReportContext) -> ReportTable {
        let wonNames = Set(stages.won.map { $0.lowercased() })
        var rows: [[Value]] = []
        for (i, slice) in slices.enumerated() {
            let keyCount = slice.keys.count
            let won = GroupedResult(results[2 * i], keyColumns: keyCount)
            let history = results[2 * i + 1]
            // Per key: every closed deal's stage and cycle, as counted.
            var deals: [[Value]: [(won: Bool, cycle: Int64?, count: Int64)]] = [:]
            // The keys in the order `by` gives them (an enum in its list's order, text by name, none last).
            var order: [[Value]] = []
            for r in 0..<history.rowCount {
                let row = history.row(r)
                let key = Array(row[..<keyCount])
                if deals[key] == nil { order.append(key) }
                let stage = row[keyCount].plainText.lowercased()
                let cycle: Int64? = if case .int(let d) = row[keyCount + 1] { d } else { nil }
                deals[key, default: []].append((wonNames.contains(stage), cycle, ReportFigures.count(row[keyCount + 2])))
            }
            // Every won deal is closed, so the closed deals' keys are every row's.
            let keys: [[Value]] = slice.label != nil ? [[]] : order
            for key in keys {
                let group = deals[key] ?? []
                let wonCount = ReportFigures.count(won.value(key, "count"))
                let revenue = ReportFigures.cents(won.value(key, "sum_value"))
                let closedCount = group.reduce(0) { $0 + $1.count }
                func rate(_ quick: Bool) -> Value {
                    let part = group.filter { $0.cycle.map { ($0 <= Self.quickCycle) == quick } ?? false }
                    return ReportFigures.rate(part.filter(\.won).reduce(0) { $0 + $1.count }, part.reduce(0) { $0 + $1.count })
                }
                let cycles = group.compactMap { d in d.won ? d.cycle.map { ($0, d.count) } : nil }
                rows.append([
                    slice.label.map { .text($0) } ?? key[0], .int(wonCount), .money(revenue),
                    ReportFigures.share(revenue, 1, wonCount), ReportFigures.rate(wonCount, closedCount),
                    Self.median(cycles), rate(true), rate(false),
                ])
            }
        }
        let columns = [
            ResultColumn(grouping, .text), ResultColumn("won", .int), ResultColumn("revenue", .money),
            ResultColumn("avg_deal", .money), ResultColumn("win_rate", .percent),
            ResultColumn("median_cycle_days", .decimal), ResultColumn("win_rate_30", .percent),
            ResultColumn("win_rate_over_30", .percent),
        ]
        let caption = "won deals with \(period.described("close_date"))" + ReportText.narrowed(context)
        return ReportTable(caption: caption, result: ResultSet(columns: columns, rows: rows),
                           chart: rows.count > 1 ? .bars(column: 2) : .none)
    }

    /// The median of values given with their counts, in hundredths: the middle one, or the mean
    /// of the two middle ones for an even count; null for none.
    static func median(_ counted: [(value: Int64, count: Int64)]) -> Value {
        let sorted = counted.sorted { $0.value < $1.value }
        let n = sorted.reduce(0) { $0 + $1.count }
        guard n > 0 else { return .null }
        func at(_ position: Int64) -> Int64 {
            var seen: Int64 = 0
            for (v, c) in sorted {
                seen += c
                if position < seen { return v }
            }
            return sorted.last!.value
        }
        let high = at(n / 2)
        let low = n % 2 == 1 ? high : at(n / 2 - 1)
        return .decimal((low + high) * 50)
    }
}
