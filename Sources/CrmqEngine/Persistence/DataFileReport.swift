/// What `crmq check FILE` and `crmq generate` print about a data file.
public enum DataFileReport {
    /// Reads and checks `path` and its journal completely, as opening does, and describes them:
    /// the header, each entity's records and bytes, the schema, the journal. Throws the first
    /// problem found, naming the file and the byte offset.
    public static func check(_ path: String) throws(DataFileError) -> String {
        let snapshot = try SnapshotReader.read(path: path)
        var db = snapshot.database
        let schema = db.schema
        let journalPath = path + "-journal"
        let journal = try DataFile.readJournal(journalPath, snapshot.snapshotId, snapshot.previousId, schema)
        try DataFile.replay(journal, onto: &db, journalName: journalPath)
        let changes = journal.records.reduce(0) { $0 + $1.changes.count }

        var out = "\(DataFileError.quoted(path)): crmq data file, format version \(snapshot.version), "
            + "\(grouped(snapshot.fileLength)) bytes, saved \(Day.formatDateTime(snapshot.savedAt))\n"
        out += "snapshot \(JournalReader.hex(snapshot.snapshotId)): \(snapshot.sections.count) sections, all checksums match\n\n"
        var rows: [[String]] = [["entity", "records", "next id", "fields", "bytes"]]
        for e in schema.entities {
            let bytes = snapshot.sections.filter { $0.owner.hasPrefix(e.name + ".") }.reduce(0) { $0 + $1.length }
            let c = snapshot.database[e.name]
            rows.append([e.name, grouped(c.count), grouped(Int(c.nextId)), String(e.fields.count), grouped(bytes)])
        }
        out += table(rows)
        let fields = schema.entities.reduce(0) { $0 + $1.fields.count }
        let stages = schema.pipelines.reduce(0) { $0 + $1.stages.count }
        out += "\nschema: \(schema.entities.count) entities, \(fields) fields, \(schema.enums.count) enums, "
            + "\(schema.pipelines.count) \(schema.pipelines.count == 1 ? "pipeline" : "pipelines") (\(stages) stages)\n"
        out += catalogLines(db.catalog)
        switch journal.state {
        case .absent:
            out += "journal: none (no changes since the last save)\n"
        case .folded:
            out += "journal \(DataFileError.quoted(journalPath)): continues the snapshot this one replaced, so its "
                + "changes are in the snapshot already (a save was interrupted); the next change starts it afresh\n"
        case .current:
            out += "journal \(DataFileError.quoted(journalPath)): \(grouped(journal.records.count)) change "
                + "\(journal.records.count == 1 ? "record" : "records") (\(grouped(changes)) changes), "
                + "\(grouped(journal.validLength)) bytes, all checksums match\n"
            if let last = journal.records.last {
                out += "last change committed \(Day.formatDateTime(last.committedAt))\n"
            }
        }
        if let warning = journal.tornWarning(journalPath) { out += warning + "\n" }
        if !journal.records.isEmpty {
            let total = schema.entities.reduce(0) { $0 + db[$1.name].count }
            out += "with the journal replayed: \(grouped(total)) records\n"
        }
        out += "OK\n"
        return out
    }

    /// `wrote "crm.crmq": 7,688,866 records in 9 entities, 305,590,069 bytes`.
    public static func written(_ summary: SnapshotWriter.Summary, _ db: Database) -> String {
        let records = db.schema.entities.reduce(0) { $0 + db[$1.name].count }
        return "wrote \(DataFileError.quoted(summary.path)): \(grouped(records)) records in "
            + "\(db.schema.entities.count) entities, \(grouped(summary.bytes)) bytes"
    }

    /// The segments and the fiscal year, as the data stands with the journal replayed.
    static func catalogLines(_ catalog: Catalog) -> String {
        var out = catalog.segments.isEmpty ? "segments: none\n"
            : "segments: \(catalog.segments.map { "\($0.name) (\($0.entity))" }.joined(separator: ", "))\n"
        if !catalog.rules.isEmpty {
            out += "rules: \(catalog.rules.map { "\($0.name) (\($0.trigger == .daily ? "every day on" : "on \($0.trigger.rawValue)") \($0.entity)\($0.enabled ? "" : ", disabled"))" }.joined(separator: ", "))\n"
        }
        if catalog.fiscalYearStartMonth != 1 {
            out += "fiscal year starts in \(FiscalCalendar.monthNames[catalog.fiscalYearStartMonth - 1])\n"
        }
        return out
    }

    static func grouped(_ n: Int) -> String { CellText.grouped(String(n)) }

    /// Left-aligned first column, right-aligned numbers.
    private static func table(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
