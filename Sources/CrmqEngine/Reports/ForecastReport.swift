/// `report forecast [PERIOD] [by owner|owner.team|month]`: over deals whose `close_date` is in the
/// period (default this quarter):
///
/// - `won`: the value of the deals closed won;
/// - `pipeline`: the value of the open deals; `weighted`: the sum of value x probability / 100 of them;
/// - `commit`: won + the value of the open deals with probability >= 80;
/// - `best_case`: won + all open (won + pipeline);
/// - `win_rate`: deals won / deals closed, by count, over the 4 periods of the same length before
///   this one (for `by month`, over the whole report's history: one rate for every month);
/// - `from_history`: won + pipeline x win_rate (from the exact rate; empty when there is no history).
struct ForecastReport: ReportDefinition {
    static let name = "forecast"
    static let summary = "won, pipeline, weighted, commit and best case for a period, and what history predicts"
    static let baseEntity = "opportunities"
    static let clauses = ReportClauses(defaultPeriod: .period(offset: 0, unit: .quarter),
                                       groupings: ["owner", "owner.team", "month"])
    /// How many periods of the same length before the forecast's the win rate is taken over.
    static let historyPeriods = 4

    let period: ReportPeriod
    let history: ReportPeriod
    let grouping: String?
    let stages: ReportStages

    init(_ request: ReportRequest) throws(Diagnostic) {
        period = try request.requiredPeriod(of: Self.name)
        history = period.before(Self.historyPeriods, today: request.today, fiscalYearStartMonth: request.fiscalYearStartMonth)
        grouping = request.grouping
        stages = ReportStages(request.schema)
    }

    private var keys: [String] { ReportKeys.keys(grouping) }
    /// The history is grouped as the rows are, except by month (a month's history is the report's).
    private var historyKeys: [String] { grouping == "month" ? [] : keys }

    func statements(_ context: ReportContext) -> [ReportQuery] {
        let inPeriod = period.condition("close_date")
        let inHistory = history.condition("close_date")
        let open = ReportStages.test(stages.open)
        return [
            context.aggregate("sum value", of: "opportunities", where: [inPeriod, ReportStages.test(stages.won)], by: keys),
            context.aggregate("sum value, sum value * probability / 100", of: "opportunities", where: [inPeriod, open], by: keys),
            context.aggregate("sum value", of: "opportunities", where: [inPeriod, open, "probability >= 80"], by: keys),
            context.aggregate("count", of: "opportunities", where: [inHistory, ReportStages.test(stages.won)], by: historyKeys),
            context.aggregate("count", of: "opportunities", where: [inHistory, ReportStages.test(stages.closed)], by: historyKeys),
        ]
    }

    func table(_ results: [ResultSet], _ context: ReportContext) -> ReportTable {
        let keyCount = keys.count, historyCount = historyKeys.count
        let won = GroupedResult(results[0], keyColumns: keyCount)
        let open = GroupedResult(results[1], keyColumns: keyCount)
        let likely = GroupedResult(results[2], keyColumns: keyCount)
        let wonBefore = GroupedResult(results[3], keyColumns: historyCount)
        let closedBefore = GroupedResult(results[4], keyColumns: historyCount)

        var rowKeys: [[Value]]
        switch grouping {
        case nil: rowKeys = [[]]
        case "month": rowKeys = ReportKeys.months(period)
        default: rowKeys = ReportKeys.sorted(Array(Set(won.keys + open.keys + likely.keys)))
        }
        var rows: [[Value]] = []
        for key in rowKeys {
            let label: Value = switch grouping {
            case nil: .text(period.span)
            case "month": ReportKeys.monthLabel(key)
            default: key[0]
            }
            let wonValue = ReportFigures.cents(won.value(key, "sum_value"))
            let pipeline = ReportFigures.cents(open.value(key, "sum_value"))
            let weighted = ReportFigures.cents(open.value(key, "sum(value * probability / 100)"))
            let commit = ReportFigures.cents(likely.value(key, "sum_value"))
            let historyKey = grouping == "month" ? [] : key
            let wonCount = ReportFigures.count(wonBefore.value(historyKey, "count"))
            let closedCount = ReportFigures.count(closedBefore.value(historyKey, "count"))
            let expected = ReportFigures.share(pipeline, wonCount, closedCount)
            rows.append([
                label, .money(wonValue), .money(pipeline), .money(weighted), .money(wonValue + commit),
                .money(wonValue + pipeline), ReportFigures.rate(wonCount, closedCount),
                expected.isNull ? .null : .money(wonValue + ReportFigures.cents(expected)),
            ])
        }
        let first = grouping ?? "period"
        let columns = [ResultColumn(first, .text)] + ["won", "pipeline", "weighted", "commit", "best_case"].map { ResultColumn($0, .money) }
            + [ResultColumn("win_rate", .percent), ResultColumn("from_history", .money)]
        let caption = "forecast of deals with \(period.described("close_date"))"
            + ReportText.narrowed(context) + "; win_rate from deals closed \(history.span)"
        return ReportTable(caption: caption, result: ResultSet(columns: columns, rows: rows),
                           chart: rows.count > 1 ? .bars(column: 3) : .none)
    }
}
