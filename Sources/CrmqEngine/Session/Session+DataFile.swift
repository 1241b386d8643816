/// A session's data file: opening it (Session+Columns.swift reads its columns as statements need
/// them), saving it, and building the indexes a statement can use.
extension Session {
    /// Opens a session on the data file at `path` (a missing file is a new, empty one). Returns the
    /// warnings to show, such as a torn journal record that was dropped. Columns are read and
    /// indexes built when a statement first needs them, so opening reads only the schema.
    public static func open(_ path: String, settings: Settings) throws(DataFileError) -> (Session, [String]) {
        let opened = try DataFile.open(path, onDemand: true)
        var session = Session(database: opened.database, settings: settings, buildingIndexes: false)
        session.file = opened.file
        session.snapshot = opened.snapshot
        session.unreadColumns = Session.unreadColumns(opened.unread, schema: opened.database.schema)
        return (session, opened.warnings)
    }

    /// The collections `bound` reads or changes; nil when it may touch any (shell commands that
    /// look at the data, `save`).
    func entities(of bound: BoundStatement) -> Set<String>? {
        var names = Set<String>()
        let paths = StatementPaths(bound)
        names.formUnion(paths.segments)
        for p in paths.planned + paths.shown {
            names.insert(p.root)
            for hop in p.hops { names.insert(hop.entity) }
            names.insert(p.field.entity)
        }
        /// A change reads the targets of the references it sets, and the history a stage move writes.
        func add(changing entity: String, _ assignments: [BoundAssignment]) {
            let def = database[entity].entity
            for a in assignments {
                if case .reference(let target) = def.fields[a.field].type { names.insert(target) }
            }
            if let history = StageHistory(for: def, in: database.schema),
               assignments.contains(where: { $0.field == history.stageField }) {
                names.insert(history.history)
            }
        }
        switch bound {
        case .export(let e): return entities(of: e.statement)
        // An import resolves names against any entity its references reach, and checks exit criteria.
        case .importFile: return nil
        case .find(let q): names.insert(q.entity)
        case .aggregate(let q): names.insert(q.entity)
        case .explain(let e):
            switch e.query {
            case .find(let q): names.insert(q.entity)
            case .aggregate(let q): names.insert(q.entity)
            }
        case .change(let c):
            names.insert(c.entity)
            if c.entity == Database.dealEntity {
                // A deal's stage move is checked against exit criteria, which may read any entity.
                if database.schema.hasExitCriteria { return nil }
                names.insert(StageHistory.entityName)
                if let owner = database.schema.entity(named: c.entity)?.fieldIndex("owner"),
                   case .reference(let users) = database.schema.entity(named: c.entity)!.fields[owner].type {
                    names.insert(users)
                }
            }
            switch c {
            case .move:
                break
            case .create(let entity, let assignments), .update(let entity, let assignments, _),
                 .upsert(let entity, _, _, let assignments):
                add(changing: entity, assignments)
            case .delete(let entity, _):
                // Deleting clears the references to what goes, wherever they are.
                for (source, _) in database.schema.references(to: entity) { names.insert(source) }
            }
        case .createIndex(let entity, _), .dropIndex(let entity, _):
            names.insert(entity)
        case .catalog(.pipeline), .catalog(.schema), .rules:
            // A rule reads and writes whatever its actions name (`run rules`, `explain rule`).
            // Re-coding stages reaches every collection with a stage; a field changes its collection's columns.
            return nil
        case .transaction, .catalog, .report, .explainReport:
            // A report's statements read what they use as they run.
            break
        case .view:
            // Each of its statements reads what it uses.
            break
        case .convert:
            names.formUnion(LeadConversion.entities)
        case .save:
            return nil
        case .sandbox:
            // Applying reads what another process changed under it (Session+Sandbox.swift).
            break
        case .shellCommand(let name, _):
            // Settings need no data, and .help and .read run statements, which read what they use;
            // anything else (.schema, .indexes) may look at every collection.
            let settingsOnly = ["format", "today", "echo", "timer", "width", "rows", "chart", "quit", "exit", "open",
                                "save", "read", "help", "segments", "show", "pipelines"]
            if name.text.lowercased() == "user" { return ["users"] }
            return settingsOnly.contains(name.text.lowercased()) ? [] : nil
        }
        return names
    }

    /// `save`: writes the committed data into the session's file (a checkpoint that folds the
    /// journal in); `save "other.crmq"`: writes a copy there, and the session stays on its file. A
    /// session without a file (the demo data) moves to the file it saves to. An open transaction
    /// is not saved and stays open.
    mutating func save(to path: String?, at range: SourceRange?, on console: inout some Console,
                       cancellation: Cancellation) throws(Diagnostic) {
        try checkFilesAllowed(at: range)
        try refuseInSandbox("save", at: range)
        try read(nil)
        let committed = transaction?.before ?? database
        let target = path ?? file?.path
        guard let target else {
            throw Diagnostic(.executor, "there is no file to save to", at: range,
                             hint: "name one: save \"crm.crmq\"")
        }
        do {
            if var f = file, DataFile.sameFile(f.path, target) {
                let summary = try f.save(committed, cancellation: cancellation)
                file = f
                console.write("saved \(DataFileError.quoted(f.path)) (\(CellText.grouped(String(summary.bytes))) bytes)\n")
            } else {
                let summary = try DataFile.writeNew(committed, to: target, cancellation: cancellation)
                if file == nil {
                    file = DataFile.created(at: target, snapshotId: summary.snapshotId)
                    console.write("saved \(DataFileError.quoted(target)) (\(CellText.grouped(String(summary.bytes))) bytes); changes now go to it\n")
                } else {
                    console.write("saved a copy to \(DataFileError.quoted(target)) (\(CellText.grouped(String(summary.bytes))) bytes)\n")
                }
            }
        } catch {
            // A cancelled save left the old file as it was and removed its temporary file.
            if error.kind == .cancelled, let reason = cancellation.reason { throw cancellation.diagnostic(reason) }
            var d = error.diagnostic
            d.range = range
            throw d
        }
    }

    /// `.open FILE`: replaces the session's data with the file's. Refused while a transaction is open.
    mutating func openFile(_ path: String, at range: SourceRange, on console: inout some Console) throws(Diagnostic) {
        try checkFilesAllowed(at: range)
        try refuseInSandbox(".open", at: range)
        if transaction != nil {
            throw Diagnostic(.shell, "a transaction is open", at: range, hint: "commit or rollback first")
        }
        let opened: DataFile.Opened
        do {
            opened = try DataFile.open(path, onDemand: true)
        } catch {
            var d = error.diagnostic
            d.range = range
            throw d
        }
        for w in opened.warnings { console.error(w + "\n") }
        database = opened.database
        file = opened.file
        snapshot = opened.snapshot
        unreadColumns = Session.unreadColumns(opened.unread, schema: opened.database.schema)
        let records = database.schema.entities.reduce(0) { n, e in
            n + (unread.contains(e.name) ? snapshot?.records(of: e.name) ?? 0 : database[e.name].count)
        }
        console.write(opened.existed
                      ? "opened \(DataFileError.quoted(path)): \(CellText.grouped(String(records))) records\n"
                      : "opened \(DataFileError.quoted(path)): a new file, empty until the first change or save\n")
    }

    // MARK: - Indexes on demand

    /// Builds the missing indexes of the fields `bound` names in its conditions, order, grouping
    /// and aggregates, and along their dot paths: the only indexes the planner can use for it. A
    /// session opened from a file builds nothing up front, so `count opportunities by stage` does
    /// not wait for the indexes of every collection.
    mutating func prepareIndexes(for bound: BoundStatement, cancellation: Cancellation) throws(Diagnostic) {
        var fields = Set<FieldRef>()
        for p in StatementPaths(bound).planned {
            fields.formUnion(p.hops)
            fields.insert(p.field)
        }
        // Only the fields the statement uses are checked (not every index of every collection).
        let jobs = fields.filter { f in
            let c = database[f.entity]
            return c.indexedFields.contains(f.field) && c.indexes[f.field] == nil
        }.sorted { ($0.entity, $0.field) < ($1.entity, $1.field) }.map { Database.IndexJob(entity: $0.entity, field: $0.field) }
        if !jobs.isEmpty { try database.buildIndexes(jobs, cancellation: cancellation) }
    }
}

/// The paths a bound statement uses: in its conditions, order, grouping and aggregates (what an
/// index can serve), and in the columns it shows.
struct StatementPaths {
    var planned: [BoundPath] = []
    var shown: [BoundPath] = []
    /// The entities of the segments it tests membership in (`account in smb` reads accounts).
    var segments: [String] = []

    init(_ bound: BoundStatement) {
        switch bound {
        case .export(let e): self = StatementPaths(e.statement)
        case .find(let q): add(find: q)
        case .aggregate(let q): add(aggregate: q)
        case .explain(let e):
            switch e.query {
            case .find(let q): add(find: q)
            case .aggregate(let q): add(aggregate: q)
            }
        case .change(let c):
            switch c {
            case .update(_, _, let filter), .delete(_, let filter), .upsert(_, let filter, _, _): add(filter)
            case .create, .move: break
            }
        case .createIndex, .dropIndex, .shellCommand, .transaction, .save, .sandbox, .catalog, .convert, .view, .report,
             .explainReport, .importFile, .rules:
            break
        }
    }

    private mutating func add(find q: BoundFind) {
        add(q.filter)
        planned += q.order.flatMap(\.value.paths)
        shown += q.columns.flatMap(\.value.paths)
    }

    private mutating func add(aggregate q: BoundAggregate) {
        add(q.filter)
        planned += q.groupBy.flatMap(\.value.paths)
        for call in q.calls {
            switch call.input {
            case .rows: break
            case .number(let e): planned += e.paths
            case .ordinal(let p), .distinct(let p): planned.append(p)
            }
        }
    }

    private mutating func add(_ f: BoundFilter) {
        switch f {
        case .all, .none: break
        case .test(let p, let t):
            planned.append(p)
            // A segment's condition reads its own collection's fields.
            if case .inSegment(let segment) = t {
                segments.append(segment.entity)
                add(segment.filter)
            }
        case .and(let parts), .or(let parts): parts.forEach { add($0) }
        case .not(let inner): add(inner)
        case .scalar(let p): planned += p.paths
        case .related(_, let c, let inner):
            // The hops to the parent, and the child's reference (its reverse index), then the child's filter.
            planned += c.readPaths
            add(inner)
        }
    }
}

extension Session {
    /// Refuses a statement that would read or write a file in a session that may not (see `Settings.allowsFiles`).
    func checkFilesAllowed(at range: SourceRange?) throws(Diagnostic) {
        guard settings.allowsFiles else {
            throw Diagnostic(.shell, "this session may not read or write files", at: range,
                             hint: "its changes stay in memory")
        }
    }
}
