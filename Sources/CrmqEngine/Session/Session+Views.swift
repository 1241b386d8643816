/// The 360° views in a session: `show account 42`, `show contact "kari@acme.no"`, and
/// `explain show ...`, which prints the plain statements a view runs and their plans.
extension Session {
    mutating func showView(_ view: BoundView, on console: inout some Console,
                           cancellation: Cancellation) throws(Diagnostic) {
        let key = view.record
        let (id, lookup) = try resolveRecord(key, verb: "show \(database.schema.entity(named: key.entity)?.singular ?? key.entity)", cancellation: cancellation)
        let record = RecordViews.record(key.entity, id: id)
        let recordResult = try runPlain(record.statements[0], cancellation: cancellation)
        var fields: [String: Value] = [:]
        if recordResult.rowCount == 1 {
            for (c, column) in recordResult.columns.enumerated() { fields[column.name] = recordResult.value(row: 0, column: c) }
        }
        let sections = RecordViews.sections(key.entity, id: id, fields: fields, schema: database.schema)
        if let analyze = view.explain {
            var text = ""
            if let lookup {
                text += "-- which \(database[key.entity].entity.singular): \(id)\n"
                text += lookup + "\n" + (try explainPlain(lookup, analyze: analyze, cancellation: cancellation)) + "\n"
            }
            for section in [record] + sections {
                text += "-- \(section.title)\n"
                for statement in section.statements {
                    text += statement + "\n" + (try explainPlain(statement, analyze: analyze, cancellation: cancellation)) + "\n"
                }
            }
            console.write(text)
            return
        }
        var results = [ViewResult(section: record, table: recordResult, total: nil)]
        for section in sections {
            results.append(try run(section, cancellation: cancellation))
        }
        let title = "\(database[key.entity].entity.singular) \(id): " + ViewResult.title(of: key.entity, fields)
        var sink = CancellableSink(base: console, cancellation: cancellation)
        ViewWriter.write(results, title: title, format: settings.format, display: settings.display, to: &sink)
        console = sink.base
        try cancellation.check()
    }

    /// Runs a section's statements and puts their results together.
    private mutating func run(_ section: ViewSection, cancellation: Cancellation) throws(Diagnostic) -> ViewResult {
        var results: [ResultSet] = []
        for statement in section.statements { results.append(try runPlain(statement, cancellation: cancellation)) }
        switch section.shape {
        case .record:
            return ViewResult(section: section, table: results[0], total: nil)
        case .list:
            return ViewResult(section: section, table: results[1], total: ViewResult.count(results[0]))
        case .outcome:
            return ViewResult(section: section, table: ViewResult.outcome(won: results[0], lost: results[1]), total: nil)
        case .timeline:
            let total = ViewResult.count(results[0])
            let table = ViewResult.timeline(results[1], complete: total <= results[1].rowCount,
                                            closed: StageSets(database.schema).closed, today: settings.today)
            return ViewResult(section: section, table: table, total: total)
        }
    }

    /// The id of the record a key names: an id that exists, or the one record a name matches
    /// (with the statement that found it). None, or several, is an error that says which.
    mutating func resolveRecord(_ key: BoundRecordKey, verb: String, cancellation: Cancellation) throws(Diagnostic) -> (Int64, String?) {
        try read([key.entity])
        let def = database[key.entity].entity
        switch key.key {
        case .id(let id):
            // A record the session's role may not read is not there for it (Permissions/).
            guard id >= 1, id < Int64(Int32.max), try permittedData(cancellation: cancellation)[key.entity].row(ofId: id) != nil else {
                throw Diagnostic(.executor, "there is no \(def.singular) with id \(id)", at: key.range,
                                 hint: "find \(def.name) where ... show id lists the ids")
            }
            return (id, nil)
        case .name(let name):
            let lookup = RecordLookup(entity: key.entity, name: name)
            let found = try runPlain(lookup.statement, cancellation: cancellation)
            if found.rowCount == 1, case .int(let id) = found.value(row: 0, column: 0) { return (id, lookup.statement) }
            if found.rowCount == 0 {
                let candidates = try runPlain(lookup.candidatesStatement, cancellation: cancellation)
                var names: [String] = []
                names.reserveCapacity(candidates.rowCount)
                for r in 0..<candidates.rowCount {
                    if r & Cancellation.blockMask == 0 { try cancellation.check() }
                    let row = candidates.row(r).map(\.plainText)
                    if row.count == 3 {
                        names.append(row[0] + " " + row[1])
                        if !row[2].isEmpty { names.append(row[2]) }
                    } else {
                        names.append(row[0])
                    }
                }
                throw Diagnostic(.executor, "no \(def.singular) is named \(CrmqText.quoted(name))", at: key.range,
                                 hint: Suggestions.didYouMean(name, in: names)
                                    ?? "find \(def.name) where \(RecordLookup.searchHint(def.name)) contains \"...\" show id finds one")
            }
            let shown = min(found.rowCount, 8)
            let list = (0..<shown).map { r in
                let row = found.row(r).map(\.plainText)
                return row[0] + " (" + row.dropFirst().filter { !$0.isEmpty }.joined(separator: ", ") + ")"
            }.joined(separator: "; ")
            let more = found.rowCount > shown ? "; and \(found.rowCount - shown) more" : ""
            throw Diagnostic(.executor, "\(CrmqText.quoted(name)) names \(found.rowCount) \(def.name): \(list)\(more)",
                             at: key.range, hint: "use the id, as in \(verb) \(found.row(0)[0].plainText)")
        }
    }
}
