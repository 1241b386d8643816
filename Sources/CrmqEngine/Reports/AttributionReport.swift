/// `report attribution [PERIOD] [by source|campaign]`: where leads come from and what they became,
/// over the leads created in the period (default the last 12 months), by source (the default) or
/// by campaign:
///
/// - `leads`: the leads created in the period;
/// - `converted`: those converted (`converted_at` set); `conversion_rate`: converted / leads;
/// - `opportunities`: the opportunities their conversions created (`converted_opportunity`);
/// - `won`: those opportunities now won (in a won stage of any pipeline); `won_revenue`: their value;
/// - `revenue_per_lead`: won_revenue / leads;
/// - `avg_days_to_convert`: the mean of converted_at - created_at in whole days, over the converted.
///
/// A lead with no campaign (or source) is a row with an empty key, last.
struct AttributionReport: ReportDefinition {
    static let name = "attribution"
    static let summary = "leads by source or campaign: converted, opportunities, won revenue, revenue per lead"
    static let baseEntity = "leads"
    static let clauses = ReportClauses(defaultPeriod: .last(12, .month), groupings: ["source", "campaign"],
                                       defaultGrouping: "source")

    let period: ReportPeriod
    let grouping: String
    let stages: ReportStages

    init(_ request: ReportRequest) throws(Diagnostic) {
        period = try request.requiredPeriod(of: Self.name)
        grouping = request.grouping ?? "source"
        stages = ReportStages(request.schema)
    }

    /// A campaign's rows show its name.
    private var key: String { grouping == "campaign" ? "campaign.name" : grouping }

    func statements(_ context: ReportContext) -> [ReportQuery] {
        let created = period.condition("created_at")
        // Through the reference: a dangling one, or (as of a moment) an opportunity not created yet, is none.
        let opportunity = "converted_opportunity.id is not null"
        return [
            context.aggregate("count", of: "leads", where: [created], by: [key]),
            context.aggregate("count, sum converted_at - created_at", of: "leads",
                              where: [created, "converted_at is not null"], by: [key]),
            context.aggregate("count", of: "leads", where: [created, opportunity], by: [key]),
            context.aggregate("count, sum converted_opportunity.value", of: "leads", where: [created, wonDeal], by: [key]),
        ]
    }

    /// The lead's deal is won: in a won stage of any pipeline (with none, no lead passes: every lead has an id).
    private var wonDeal: String {
        stages.won.isEmpty ? "id is null" : "converted_opportunity.stage in \(ReportText.list(stages.won))"
    }

    func table(_ results: [ResultSet], _ context: ReportContext) -> ReportTable {
        let leads = GroupedResult(results[0], keyColumns: 1)
        let converted = GroupedResult(results[1], keyColumns: 1)
        let opportunities = GroupedResult(results[2], keyColumns: 1)
        let won = GroupedResult(results[3], keyColumns: 1)
        var rows: [[Value]] = []
        // In the order `by` gives them: a source in its list's order, a campaign by name, none last.
        for key in leads.keys {
            let n = ReportFigures.count(leads.value(key, "count"))
            let c = ReportFigures.count(converted.value(key, "count"))
            let days = ReportFigures.count(converted.value(key, "sum(converted_at - created_at)"))
            let revenue = ReportFigures.cents(won.value(key, "sum_converted_opportunity_value"))
            rows.append([
                key[0], .int(n), .int(c), ReportFigures.rate(c, n),
                .int(ReportFigures.count(opportunities.value(key, "count"))),
                .int(ReportFigures.count(won.value(key, "count"))), .money(revenue),
                ReportFigures.share(revenue, 1, n),
                c == 0 ? .null : .decimal(ReportFigures.divide(days * 100, c)),
            ])
        }
        let columns = [
            ResultColumn(grouping, .text), ResultColumn("leads", .int), ResultColumn("converted", .int),
            ResultColumn("conversion_rate", .percent), ResultColumn("opportunities", .int), ResultColumn("won", .int),
            ResultColumn("won_revenue", .money), ResultColumn("revenue_per_lead", .money),
            ResultColumn("avg_days_to_convert", .decimal),
        ]
        let caption = "attribution of leads with \(period.described("created_at"))" + ReportText.narrowed(context)
        return ReportTable(caption: caption, result: ResultSet(columns: columns, rows: rows),
                           chart: rows.count > 1 ? .bars(column: 6) : .none)
    }
}
