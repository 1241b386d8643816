/// Binding `report KIND ...`: the kind against the registry, each clause against what the kind
/// takes, and the user's `where` against the report's base entity, so that every error points at
/// what the user wrote before any statement of the report runs.
extension Binder {
    func bindReport(_ r: ReportSyntax) throws(Diagnostic) -> BoundReport {
        guard let kind = ReportRegistry.definition(named: r.kind.text) else {
            throw Diagnostic(.binder, "unknown report \"\(r.kind.text)\"", at: r.kind.range,
                             hint: Suggestions.didYouMean(r.kind.text.lowercased(), in: ReportRegistry.names)
                                 ?? "reports: \(ReportRegistry.names.joined(separator: ", "))")
        }
        let clauses = kind.clauses
        let name = "report \(kind.name)"
        // With `as of`, the report is read as on that day: its periods (`this quarter`) and "now"
        // (overdue) are that day's, spelled as dates in its statements.
        var moment: Int64?
        if case .literal(let point, let range)? = r.asOf { moment = try cutoff(AsOfSyntax(point: point, range: range)) }
        let day = moment.map { $0 >= 0 ? $0 / 86_400 : ($0 - 86_399) / 86_400 } ?? today

        var pipeline: Pipeline?
        if let p = r.pipeline {
            guard clauses.pipeline else {
                throw Diagnostic(.binder, "\(name) takes no pipeline", at: p.range, hint: "leave out \"for pipeline\"")
            }
            pipeline = try reportPipeline(p)
        }

        var period: ReportPeriod?
        if let p = r.period {
            guard clauses.defaultPeriod != nil else {
                throw Diagnostic(.binder, "\(name) takes no period", at: p.range, hint: "leave out \"\(periodWords(p))\"")
            }
            period = try reportPeriod(p, day: day)
        } else if let w = clauses.defaultPeriod {
            period = ReportPeriod(window: w, today: day, fiscalYearStartMonth: fiscalYearStartMonth)
        }
        if moment != nil { period = period?.spelledAsDates() }

        var grouping = clauses.defaultGrouping
        if let g = r.groupBy {
            let text = g.components.map { $0.text.lowercased() }.joined(separator: ".")
            guard !clauses.groupings.isEmpty else {
                throw Diagnostic(.binder, "\(name) takes no \"by\"", at: g.range, hint: "its rows are fixed")
            }
            guard clauses.groupings.contains(text) else {
                let choices = clauses.groupings.joined(separator: ", ")
                throw Diagnostic(.binder, "\(name) cannot be grouped by \"\(g.text)\"", at: g.range,
                                 hint: Suggestions.didYouMean(text, in: clauses.groupings).map { "\($0) (by \(choices))" }
                                     ?? "group it by \(choices)")
            }
            grouping = text
        } else if clauses.groupRequired {
            throw Diagnostic(.binder, "\(name) needs \"by\"", at: r.kind.range,
                             hint: "group it by \(clauses.groupings.joined(separator: ", ")), as in \(name) by \(clauses.groupings[0])")
        }

        if let f = r.filter {
            guard let entity = schema.entity(named: kind.baseEntity) else {
                throw Diagnostic(.binder, "\(name) needs the entity \(kind.baseEntity), which this data has not", at: r.kind.range)
            }
            _ = try bindCondition(f.condition, entity)
        }

        let request = ReportRequest(schema: schema, today: day, fiscalYearStartMonth: fiscalYearStartMonth,
                                    pipeline: pipeline, period: period, grouping: grouping, isAsOf: moment != nil)
        return BoundReport(report: try kind.init(request), condition: r.filter, asOf: r.asOf, moment: moment, range: r.range)
    }

    private func reportPipeline(_ p: Name) throws(Diagnostic) -> Pipeline {
        if let found = schema.pipelines.first(where: { $0.name.lowercased() == p.text.lowercased() }) { return found }
        let names = schema.pipelines.map(\.name)
        throw Diagnostic(.binder, "unknown pipeline \"\(p.text)\"", at: p.range,
                         hint: Suggestions.didYouMean(p.text, in: names)
                             ?? "pipelines: \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
    }

    private func reportPeriod(_ p: ReportPeriodSyntax, day: Int64) throws(Diagnostic) -> ReportPeriod {
        switch p {
        case .window(let w, _):
            return ReportPeriod(window: w, today: day, fiscalYearStartMonth: fiscalYearStartMonth)
        case .between(let lo, let hi, let range):
            let from = try periodDay(lo, day: day), to = try periodDay(hi, day: day)
            guard from <= to else {
                throw Diagnostic(.binder, "the period ends before it starts", at: range,
                                 hint: "give the earlier date first: between \(Day.format(to)) and \(Day.format(from))")
            }
            return ReportPeriod(from: from, to: to)
        }
    }

    /// A bound of `between`: a date, or today, yesterday, tomorrow.
    private func periodDay(_ e: Expr, day: Int64) throws(Diagnostic) -> Int64 {
        switch e {
        case .literal(.date(let d), _): return d
        case .literal(.relativeDay(let n), _): return day + Int64(n)
        default:
            throw Diagnostic(.binder, "a report's period is bounded by dates", at: e.range,
                             hint: "as in between 2026-01-01 and 2026-03-31")
        }
    }

    /// The period as the user would leave it out: `this quarter`, `between ... and ...`.
    private func periodWords(_ p: ReportPeriodSyntax) -> String {
        switch p {
        case .window(let w, _): ReportPeriod(window: w, today: today, fiscalYearStartMonth: fiscalYearStartMonth).phrase
        case .between: "between ... and ..."
        }
    }
}

/// A report with its clauses resolved; its statements are made when it runs (they depend on the
/// moment it runs: overdue means due before now).
public struct BoundReport: Sendable {
    var report: any ReportDefinition
    /// The user's `where`, spliced into the statements as text.
    var condition: ReportCondition?
    /// The `as of` cut-off as written, if any.
    var asOf: Expr?
    /// That cut-off as a moment (seconds since the epoch): the report's "now".
    var moment: Int64? = nil
    var range: SourceRange

    var name: String { type(of: report).name }
}
