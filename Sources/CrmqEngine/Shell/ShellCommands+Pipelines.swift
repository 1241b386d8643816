/// `.pipelines`: every pipeline's stages in order, as a result (so `.format csv` applies): the
/// probability, whether the stage is open, won or lost, and the exit criteria a deal must meet to enter it.
extension ShellCommands {
    static func pipelines(_ session: Session, console: inout some Console) {
        let columns = [ResultColumn("pipeline", .text), ResultColumn("stage", .text), ResultColumn("probability", .text),
                       ResultColumn("outcome", .text), ResultColumn("criteria", .text)]
        var rows: [[Value]] = []
        for p in session.database.schema.pipelines {
            for s in p.stages {
                let outcome = s.isWon ? "won" : s.isLost ? "lost" : "open"
                let criteria = s.criteria.isEmpty ? Value.null : .text(s.criteria.map(\.text).joined(separator: "; "))
                rows.append([.text(p.name), .text(s.name), .text("\(s.probability) %"), .text(outcome), criteria])
            }
        }
        ResultWriter.write(ResultSet(columns: columns, rows: rows), as: session.settings.format,
                           display: session.settings.display, aggregate: false, to: &console)
        if session.settings.format == .table { console.write("\n") }
    }
}
