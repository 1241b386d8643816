/// `report dashboard`: the key figures of the pipeline at a glance, one row each:
///
/// - `open deals`, `open pipeline` (their value), `weighted pipeline` (value x probability / 100);
/// - `won this quarter`, `won last quarter` (the value of deals closed won);
/// - `win rate`: deals won / deals closed, by count, over the 4 quarters before this one (as the
///   forecast's win_rate);
/// - `average cycle days`: the average of close_date - created_at of the deals won in those quarters;
/// - `overdue tasks`: open tasks due before now (with `where`, those on the deals it keeps);
/// - `open deals in STAGE`: the open deals by stage (at a terminal, as bars).
///
/// At a terminal it is drawn as one panel that fits a screen; elsewhere it is this table.
struct DashboardReport: ReportDefinition {
    static let name = "dashboard"
    static let summary = "the key figures at a glance: pipeline, won, win rate, cycle, deals by stage, overdue tasks"
    static let baseEntity = "opportunities"
    static let clauses = ReportClauses()

    let stages: ReportStages
    let thisQuarter: ReportPeriod
    let lastQuarter: ReportPeriod
    let history: ReportPeriod

    init(_ request: ReportRequest) throws(Diagnostic) {
        stages = ReportStages(request.schema)
        thisQuarter = ReportPeriod(window: .period(offset: 0, unit: .quarter), today: request.today,
                                   fiscalYearStartMonth: request.fiscalYearStartMonth).spelledAsDates(request.isAsOf)
        lastQuarter = ReportPeriod(window: .period(offset: -1, unit: .quarter), today: request.today,
                                   fiscalYearStartMonth: request.fiscalYearStartMonth).spelledAsDates(request.isAsOf)
        history = thisQuarter.before(ForecastReport.historyPeriods, today: request.today,
                                     fiscalYearStartMonth: request.fiscalYearStartMonth)
    }

    func statements(_ context: ReportContext) -> [ReportQuery] {
        let open = ReportStages.test(stages.open), won = ReportStages.test(stages.won)
        let inHistory = history.condition("close_date")
        let overdue = "type = \"task\" and done != true and due_at < \(Day.formatDateTime(context.now))"
        return [
            context.aggregate("count, sum value, sum value * probability / 100", of: "opportunities", where: [open],
                              by: ["stage"], withTotals: true),
            context.aggregate("sum value", of: "opportunities", where: [thisQuarter.condition("close_date"), won]),
            context.aggregate("sum value", of: "opportunities", where: [lastQuarter.condition("close_date"), won]),
            context.aggregate("count", of: "opportunities", where: [inHistory, won]),
            context.aggregate("count", of: "opportunities", where: [inHistory, ReportStages.test(stages.closed)]),
            context.aggregate("avg close_date - created_at", of: "opportunities", where: [inHistory, won]),
            context.condition == nil
                ? context.aggregate("count", of: "activities", where: [overdue])
                : context.aggregate("sum count(activities where \(overdue))", of: "opportunities"),
        ]
    }

    func table(_ results: [ResultSet], _ context: ReportContext) -> ReportTable {
        let pipeline = GroupedResult(results[0], keyColumns: 1)
        let total = [Value.null]
        let first = { (r: ResultSet) in r.rowCount > 0 ? r.value(row: 0, column: 0) : Value.null }
        let wonBefore = ReportFigures.count(first(results[3]))
        let closedBefore = ReportFigures.count(first(results[4]))
        let overdue = first(results[6])
        var figures: [(String, Value)] = [
            ("open deals", .int(ReportFigures.count(pipeline.value(total, "count")))),
            ("open pipeline", .money(ReportFigures.cents(pipeline.value(total, "sum_value")))),
            ("weighted pipeline", .money(ReportFigures.cents(pipeline.value(total, "sum(value * probability / 100)")))),
            ("won this quarter", .money(ReportFigures.cents(first(results[1])))),
            ("won last quarter", .money(ReportFigures.cents(first(results[2])))),
            ("win rate", ReportFigures.rate(wonBefore, closedBefore)),
            ("average cycle days", first(results[5])),
            ("overdue tasks", .int(ReportFigures.count(overdue))),
        ]
        var byStage: [(String, Int64)] = []
        for key in pipeline.keys where !key[0].isNull {
            byStage.append((key[0].plainText, ReportFigures.count(pipeline.value(key, "count"))))
        }
        let dashboard = DashboardFigures(figures: figures, stages: byStage, thisQuarter: thisQuarter, history: history)
        figures += byStage.map { ("open deals in \($0.0)", .int($0.1)) }
        let result = ResultSet(columns: [ResultColumn("figure", .text), ResultColumn("value", .decimal)],
                               rows: figures.map { [.text($0.0), $0.1] })
        let caption = "dashboard: this quarter is \(thisQuarter.span); win rate and cycle over deals closed \(history.span)"
            + ReportText.narrowed(context)
        return ReportTable(caption: caption, result: result, chart: .dashboard(dashboard), chartReplacesTable: true)
    }
}

/// The dashboard's figures, for its panel at a terminal.
struct DashboardFigures: Sendable {
    var figures: [(String, Value)]
    var stages: [(String, Int64)]
    var thisQuarter: ReportPeriod
    var history: ReportPeriod
}
