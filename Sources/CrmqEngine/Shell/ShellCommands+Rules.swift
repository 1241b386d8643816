/// `.rules [ENTITY]` lists the workflow rules as a result (so `.format csv` applies).
extension ShellCommands {
    static func rules(of entityName: String?, at range: SourceRange, session: Session,
                      console: inout some Console) throws(Diagnostic) {
        let schema = session.database.schema
        var list = session.database.catalog.rules
        if let entityName {
            guard let e = schema.entity(named: entityName) else {
                throw Diagnostic(.shell, "unknown entity \"\(entityName)\"", at: range, hint: schema.entityHint(for: entityName))
            }
            list = list.filter { $0.entity == e.name }
        }
        let columns = [ResultColumn("name", .text), ResultColumn("trigger", .text), ResultColumn("entity", .text),
                       ResultColumn("enabled", .bool), ResultColumn("acted_on", .int), ResultColumn("definition", .text)]
        let rows: [[Value]] = list.map { r in
            [.text(r.name), .text(r.trigger.rawValue), .text(r.entity), .bool(r.enabled),
             r.trigger == .daily ? .int(Int64(r.fired.count)) : .null, .text(r.text)]
        }
        ResultWriter.write(ResultSet(columns: columns, rows: rows), as: session.settings.format,
                           display: session.settings.display, aggregate: false, to: &console)
        if session.settings.format == .table { console.write("\n") }
    }
}
