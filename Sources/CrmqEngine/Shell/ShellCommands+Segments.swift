/// `.segments [ENTITY]` lists the segments as a result (so `.format csv` applies), as psql's `\dv`
/// lists views; `.show` lists the settings, as sqlite3's `.show` does, the fiscal year among them.
extension ShellCommands {
    static func segments(of entityName: String?, at range: SourceRange, session: Session,
                         console: inout some Console) throws(Diagnostic) {
        let schema = session.database.schema
        var list = session.database.catalog.segments
        if let entityName {
            guard let e = schema.entity(named: entityName) else {
                throw Diagnostic(.shell, "unknown entity \"\(entityName)\"", at: range, hint: schema.entityHint(for: entityName))
            }
            list = list.filter { $0.entity == e.name }
        }
        let columns = [ResultColumn("name", .text), ResultColumn("entity", .text), ResultColumn("narrows", .text),
                       ResultColumn("condition", .text)]
        let rows: [[Value]] = list.map { s in
            // `narrows` names the segment it is defined on, if any.
            [.text(s.name), .text(s.entity), s.base == s.entity ? .null : .text(s.base), s.condition.map { .text($0) } ?? .null]
        }
        let result = ResultSet(columns: columns, rows: rows)
        ResultWriter.write(result, as: session.settings.format, display: session.settings.display, aggregate: false,
                           to: &console)
        if session.settings.format == .table { console.write("\n") }
    }

    static func show(_ session: Session, console: inout some Console) {
        let s = session.settings
        let fiscal = session.database.catalog.fiscalYearStartMonth
        let pairs: [(String, String)] = [
            ("format", s.format.rawValue),
            ("today", Day.format(s.today)),
            ("fiscal year start", FiscalCalendar.monthNames[fiscal - 1]
                + " (\(FiscalCalendar.describeYear(containing: s.today, startMonth: fiscal)))"),
            ("segments", String(session.database.catalog.segments.count)),
            ("pipelines", session.database.schema.pipelines.map(\.name).joined(separator: ", ")),
            ("user", session.describeUser()),
            ("echo", s.echo ? "on" : "off"),
            ("timer", s.timer ? "on" : "off"),
            ("timeout", s.timeout.map(Cancellation.describe) ?? "off"),
            ("width", s.display.width.map { "\($0) columns" } ?? s.display.terminalWidth.map { "\($0) columns (the terminal's)" } ?? "unlimited"),
            ("rows", s.display.maxRows.map { "at most \(CellText.grouped(String($0)))" } ?? "all"),
            ("chart", s.display.chart.rawValue),
            ("pager", s.display.pager ? "on" : "off"),
            ("file", session.file.map { DataFileError.quoted($0.path) } ?? "none (the demo data)"),
        ]
        let width = pairs.map(\.0.count).max() ?? 0
        for (name, value) in pairs {
            console.write(String(repeating: " ", count: width - name.count) + name + ": " + value + "\n")
        }
    }
}
