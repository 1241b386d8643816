/// Running a report: each of its statements goes through the normal parse, bind, plan and execute
/// path, as if the user had typed it; the report puts their results together in one table.
extension Session {
    /// The report's table, from running its statements in order.
    mutating func reportTable(_ report: BoundReport, cancellation: Cancellation) throws(Diagnostic) -> ReportTable {
        let context = reportContext(report)
        var results: [ResultSet] = []
        for q in report.report.statements(context) {
            try cancellation.check()
            results.append(try runReportQuery(q, of: report, cancellation: cancellation))
        }
        return report.report.table(results, context)
    }

    /// `explain [analyze] report ...`: each statement, then its plan (with analyze, also run).
    mutating func explainReport(_ report: BoundReport, analyze: Bool, cancellation: Cancellation) throws(Diagnostic) -> String {
        let kind = type(of: report.report)
        var out = "REPORT \(kind.name): \(kind.summary)\n"
        for (i, q) in report.report.statements(reportContext(report)).enumerated() {
            try cancellation.check()
            out += "\n\(i + 1). \(q.text)\n"
            let bound = try prepareReportQuery(q, of: report, cancellation: cancellation)
            let query: BoundExplain.Query
            switch bound {
            case .aggregate(let a): query = .aggregate(a)
            case .find(let f): query = .find(f)
            default: throw Diagnostic(.executor, "internal error: a report ran a statement that is not a query", at: report.range)
            }
            // `as of`: the statement runs on the data as it stood then (Session+AsOf.swift).
            let (data, asOfSteps) = try data(for: bound)
            out += try Explainer(db: data, cancellation: cancellation, asOfSteps: asOfSteps)
                .explain(BoundExplain(query: query, analyze: analyze))
        }
        return out
    }

    /// Writes a report: a caption and the table (csv, json, ... just the table), and at a
    /// terminal its chart.
    mutating func emitReport(_ table: ReportTable, _ console: inout some Console, cancellation: Cancellation) throws(Diagnostic) {
        var sink = CancellableSink(base: console, cancellation: cancellation)
        let display = settings.display
        if settings.format == .table {
            // At a terminal the caption wraps to the width; a pipe gets it on one line.
            sink.write(display.effectiveWidth.map { TextWidth.wrap(table.caption, width: $0) } ?? table.caption + "\n")
            if display.isPlain || !table.chartReplacesTable {
                ResultWriter.write(table.result, as: .table, display: display, aggregate: false, to: &sink)
            }
            if !display.isPlain { ReportChartWriter.write(table, options: display, to: &sink) }
        } else {
            ResultWriter.write(table.result, as: settings.format, to: &sink)
        }
        console = sink.base
        try cancellation.check()
        if settings.format == .table { console.write("\n") }
    }

    private func reportContext(_ report: BoundReport) -> ReportContext {
        ReportContext(now: report.moment ?? reportNow, condition: report.condition, asOf: report.asOf?.text)
    }

    /// "Now" for `overdue`: the clock, unless today is pinned to another day (`.today`, `--today`);
    /// then noon that day, as changes are stamped.
    var reportNow: Int64 {
        let clock = changeTime
        let day = clock >= 0 ? clock / 86_400 : (clock - 86_399) / 86_400
        return day == settings.today ? clock : settings.today * 86_400 + 43_200
    }

    private mutating func runReportQuery(_ q: ReportQuery, of report: BoundReport,
                                         cancellation: Cancellation) throws(Diagnostic) -> ResultSet {
        let bound = try prepareReportQuery(q, of: report, cancellation: cancellation)
        // `as of`: the data as it stood then, built once for all the report's statements (Session+AsOf.swift).
        let (data, _) = try data(for: bound)
        let planner = Planner(data)
        do throws(Diagnostic) {
            switch bound {
            case .aggregate(let a): return try AggregateExecutor(db: data, cancellation: cancellation).run(planner.plan(a))
            case .find(let f): return try FindExecutor(db: data, cancellation: cancellation).run(planner.plan(f))
            default: throw Diagnostic(.executor, "internal error: a report ran a statement that is not a query", at: report.range)
            }
        } catch {
            throw Session.userError(error, in: q, of: report)
        }
    }

    /// Parses and binds one of the report's statements, and reads and indexes what it needs.
    private mutating func prepareReportQuery(_ q: ReportQuery, of report: BoundReport,
                                             cancellation: Cancellation) throws(Diagnostic) -> BoundStatement {
        let bound: BoundStatement
        do throws(Diagnostic) {
            var parser = Parser(SourceText(name: "report \(report.name)", text: q.text))
            guard let statement = try parser.nextStatement() else {
                throw Diagnostic(.executor, "internal error: a report made an empty statement")
            }
            bound = try binder.bind(statement)
        } catch {
            throw Session.userError(error, in: q, of: report)
        }
        try read(entities(of: bound))
        try prepareIndexes(for: bound, cancellation: cancellation)
        return bound
    }

    /// An error in a report's statement, pointing at the user's text: at the user's condition when
    /// it is there, else at the report (naming the statement, which the user did not write).
    private static func userError(_ d: Diagnostic, in q: ReportQuery, of report: BoundReport) -> Diagnostic {
        guard let range = d.range else { return d }
        var d = d
        if let c = report.condition, let user = q.userRange(range, c) {
            d.range = user
        } else {
            d.range = report.range
            d.message += " (in the report's statement: \(q.text))"
        }
        return d
    }
}
