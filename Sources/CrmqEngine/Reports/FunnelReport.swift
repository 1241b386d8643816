/// `report funnel [for pipeline P]`: per open or won stage of the pipeline, how many deals reached it
/// and how many went on, from the stage history; and the deals in it now.
///
/// - `reached`: deals that ever entered the stage or a later stage that is not lost (a stage change
///   to it, in `stage_changes`);
/// - `converted`: reached of the next stage / reached of this one (empty for the last);
/// - `dropped`: the difference, reached of this stage minus reached of the next;
/// - `open`, `open_value`, `avg_value`: the deals in the stage now, their value, its average;
/// - a total row: reached the first stage, converted to and dropped before the last, and the
///   stages' deals, value and average together.
///
/// Deals of the pipeline are those with `pipeline = P`; a deal with no pipeline counts as the
/// standard one's.
struct FunnelReport: ReportDefinition {
    static let name = "funnel"
    static let summary = "per stage: deals that reached it, converted, dropped, open now and their value"
    static let baseEntity = "opportunities"
    static let clauses = ReportClauses(pipeline: true)

    let pipeline: Pipeline
    /// Whether deals with no pipeline belong to this one (it is the standard one).
    let takesUnset: Bool

    init(_ request: ReportRequest) throws(Diagnostic) {
        let standard = request.schema.defaultPipeline
        pipeline = request.pipeline ?? standard
        takesUnset = pipeline.name.lowercased() == standard.name.lowercased()
        if stages.isEmpty {
            throw Diagnostic(.binder, "pipeline \(ReportText.quoted(pipeline.name)) has no open or won stage: it has no funnel",
                             hint: ".pipelines lists the pipelines and their stages")
        }
    }

    /// The stages the funnel shows: open and won, in order.
    var stages: [Stage] { pipeline.stages.filter { !$0.isClosed || $0.isWon } }

    var pipelineCondition: String {
        let p = "pipeline = \(ReportText.quoted(pipeline.name))"
        return takesUnset ? "(\(p) or pipeline is null)" : p
    }

    func statements(_ context: ReportContext) -> [ReportQuery] {
        let shown = stages
        var queries = [context.aggregate("count, sum value, avg value", of: "opportunities",
                                         where: [pipelineCondition, ReportStages.test(shown.map(\.name))],
                                         by: ["stage"], withTotals: true)]
        for stage in shown {
            queries.append(context.aggregate("count", of: "opportunities", where: [
                pipelineCondition, "any stage_changes (to_stage in \(ReportText.list(reachedStages(stage))))",
            ]))
        }
        return queries
    }

    /// The stages whose entry means a deal reached `stage`: it and every later stage that is not lost.
    func reachedStages(_ stage: Stage) -> [String] {
        guard let i = pipeline.stages.firstIndex(of: stage) else { return [stage.name] }
        return pipeline.stages[i...].filter { !$0.isClosed || $0.isWon }.map(\.name)
    }

    func table(_ results: [ResultSet], _ context: ReportContext) -> ReportTable {
        let shown = stages
        let now = GroupedResult(results[0], keyColumns: 1)
        let reached = shown.indices.map { i in ReportFigures.count(results[i + 1].value(row: 0, column: 0)) }
        var rows: [[Value]] = []
        for (i, stage) in shown.enumerated() {
            let key = now.keys.first { $0[0].plainText.lowercased() == stage.name.lowercased() } ?? [.text(stage.name)]
            let next = i + 1 < shown.count ? reached[i + 1] : nil
            rows.append([
                .text(stage.name), .int(reached[i]),
                next.map { ReportFigures.rate($0, reached[i]) } ?? .null,
                next.map { .int(reached[i] - $0) } ?? .null,
                .int(ReportFigures.count(now.value(key, "count"))),
                .money(ReportFigures.cents(now.value(key, "sum_value"))),
                now.value(key, "avg_value"),
            ])
        }
        // The `with totals` row: its key is null.
        let total = [Value.null]
        let first = reached.first ?? 0, last = reached.last ?? 0
        rows.append([
            .null, .int(first), ReportFigures.rate(last, first), .int(first - last),
            .int(ReportFigures.count(now.value(total, "count"))),
            .money(ReportFigures.cents(now.value(total, "sum_value"))),
            now.value(total, "avg_value"),
        ])
        let columns = [
            ResultColumn("stage", .text), ResultColumn("reached", .int), ResultColumn("converted", .percent),
            ResultColumn("dropped", .int), ResultColumn("open", .int), ResultColumn("open_value", .money),
            ResultColumn("avg_value", .money),
        ]
        let result = ResultSet(columns: columns, rows: rows, keyColumns: 1, totals: [rows.count - 1: 0])
        return ReportTable(caption: "funnel of pipeline \(ReportText.quoted(pipeline.name))" + ReportText.narrowed(context),
                           result: result, chart: .funnel(column: 1, skipLast: 1))
    }
}
