/// `report activity [PERIOD] [by owner|owner.team]`: activities due in the period (default the last
/// 30 days), per owner (the default) or team:
///
/// - by type: `calls`, `emails`, `meetings`, `tasks` (one column per activity type);
/// - `done`; `open` (not done: false or not recorded); `overdue` (not done and due before now);
/// - `deals_touched`: the distinct opportunities the activities concern;
/// - `won`: the number of the owner's (team's) deals closed won in the period, whatever the
///   `where` says of activities (it is a condition on activities, not on deals).
///
/// The rows are the owners (teams) with activities due in the period.
struct ActivityReport: ReportDefinition {
    static let name = "activity"
    static let summary = "per owner or team: activities by type, done, open, overdue, deals touched, deals won"
    static let baseEntity = "activities"
    static let clauses = ReportClauses(defaultPeriod: .last(30, .day), groupings: ["owner", "owner.team"],
                                       defaultGrouping: "owner")

    let period: ReportPeriod
    let grouping: String
    let types: [String]
    let stages: ReportStages

    init(_ request: ReportRequest) throws(Diagnostic) {
        period = try request.requiredPeriod(of: Self.name)
        grouping = request.grouping ?? "owner"
        types = request.schema.enumValues("activity_type")
        stages = ReportStages(request.schema)
    }

    private var keys: [String] { ReportKeys.keys(grouping) }

    func statements(_ context: ReportContext) -> [ReportQuery] {
        let due = period.condition("due_at")
        return [
            context.aggregate("count", of: "activities", where: [due], by: keys + ["type"]),
            context.aggregate("count", of: "activities", where: [due], by: keys + ["done"]),
            context.aggregate("count", of: "activities", where: [due, "done != true", "due_at < \(Day.formatDateTime(context.now))"], by: keys),
            context.aggregate("count distinct opportunity", of: "activities", where: [due], by: keys),
            context.aggregate("count", of: "opportunities", where: [period.condition("close_date"), ReportStages.test(stages.won)],
                              by: keys, userCondition: false),
        ]
    }

    func table(_ results: [ResultSet], _ context: ReportContext) -> ReportTable {
        let byType = GroupedResult(results[0], keyColumns: 2)
        let byDone = GroupedResult(results[1], keyColumns: 2)
        let overdue = GroupedResult(results[2], keyColumns: 1)
        let touched = GroupedResult(results[3], keyColumns: 1)
        let won = GroupedResult(results[4], keyColumns: 1)
        let rowKeys = ReportKeys.sorted(Array(Set(byType.keys.map { [$0[0]] })))
        var rows: [[Value]] = []
        for key in rowKeys {
            var row = [key[0]]
            for t in types {
                let typeKey = byType.keys.first { $0[0] == key[0] && $0[1].plainText.lowercased() == t.lowercased() }
                row.append(.int(typeKey.map { ReportFigures.count(byType.value($0, "count")) } ?? 0))
            }
            var done: Int64 = 0, all: Int64 = 0
            for k in byDone.keys where k[0] == key[0] {
                let n = ReportFigures.count(byDone.value(k, "count"))
                all += n
                if k[1] == .bool(true) { done += n }
            }
            row += [.int(done), .int(all - done), .int(ReportFigures.count(overdue.value(key, "count"))),
                    .int(ReportFigures.count(touched.value(key, "count_distinct_opportunity"))),
                    .int(ReportFigures.count(won.value(key, "count")))]
            rows.append(row)
        }
        let columns = [ResultColumn(grouping, .text)] + types.map { ResultColumn(Self.plural($0), .int) }
            + ["done", "open", "overdue", "deals_touched", "won"].map { ResultColumn($0, .int) }
        let caption = "activities with \(period.described("due_at"))"
            + ReportText.narrowed(context) + "; won: deals closed won with \(period.condition("close_date"))"
        return ReportTable(caption: caption, result: ResultSet(columns: columns, rows: rows),
                           chart: rows.count > 1 ? .bars(column: 1 + types.count) : .none)
    }

    /// A type's column: `call` -> `calls`.
    static func plural(_ type: String) -> String {
        let name = type.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "_")
        return name.hasSuffix("s") ? name : name + "s"
    }
}
