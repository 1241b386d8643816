/// A crmq session: the database, the settings a user can change (`.format`, `.today`), and
/// running text (a script, a `-c` argument, a statement typed at the prompt) statement by statement.
public struct Session: Sendable {
    /// The data. In a session on a file, a collection no statement has used yet is an empty
    /// placeholder until then; `readAll()` reads every one.
    public var database: Database
    public var settings: Settings
    /// How many `.read` scripts are running inside one another: a script that reads itself stops at a limit.
    var readDepth = 0
    /// The file the data lives in (`crmq FILE`, `.open`, `save "FILE"`); nil for the demo data.
    public internal(set) var file: DataFile?
    /// The transaction `begin` opened, until `commit` or `rollback`.
    var transaction: Transaction?
    /// The snapshot the collections in `unread` are still to be read from (a session on a file
    /// reads each collection when a statement first needs it); empty placeholders until then.
    var snapshot: SnapshotLoader?
    var unread: Set<String> = []

    public struct Settings: Sendable {
        public var format: OutputFormat = .table
        /// The day relative dates are computed from.
        public var today: Int64
        /// Go on after a failing statement instead of stopping.
        public var keepGoing = false
        /// Print each statement before its result (for demos).
        public var echo = false
        /// Print how long each statement took, on standard error.
        public var timer = false
        /// Width, row limit, colour and charts for a person at a terminal; plain by default.
        public var display = DisplayOptions()
        /// The moment change statements stamp (a stage change's changed_at), in seconds; nil for
        /// the clock. Pinning today (--today, .today) pins it to noon that day, for reproducible scripts.
        public var now: Int64?
        /// Whether statements may touch files (`save`, `.open`, `.read`). Off where text comes from
        /// a fuzzer: its changes stay in memory and it cannot write over the files around it.
        public var allowsFiles = true

        public init(today: Int64) { self.today = today }
    }

    /// How running a piece of text ended.
    public enum Outcome: Equatable, Sendable {
        case success
        /// At least one statement failed (its diagnostic has been written).
        case failed
        /// `.quit` was run.
        case quit
    }

    /// Opens a session on `database`, building its indexes, or with `buildingIndexes: false`
    /// leaving each to the first statement that needs it.
    public init(database: Database, settings: Settings, buildingIndexes: Bool = true) {
        self.database = database
        self.settings = settings
        if buildingIndexes { self.database.buildIndexes() }
    }

    /// Runs every statement of `source` in order; stops at the first failure unless `keepGoing`.
    public mutating func run(_ source: SourceText, on console: inout some Console) -> Outcome {
        var parser = Parser(source)
        var failed = false
        while true {
            let statement: ParsedStatement
            let parseStart = ContinuousClock.now
            do {
                guard let s = try parser.nextStatement() else { break }
                statement = s
            } catch {
                report(error, source, &console)
                rollBackAfterFailure(error, on: &console)
                failed = true
                if !settings.keepGoing { break }
                if error.stage == .lexer {
                    // The tokens stop at a lexical error: read on from the next line.
                    guard let next = source.startOfLine(after: error.range?.start ?? 0) else { break }
                    parser = Parser(source, from: next)
                } else {
                    parser.recover()
                }
                continue
            }
            var timing = StatementTiming(start: parseStart)
            timing.parsed()
            if settings.echo && !statement.isShellCommand {
                console.write(source.slice(statement.range) + "\n")
            }
            do {
                if try execute(statement, on: &console, timing: &timing) == .quit { return .quit }
                if settings.timer && !statement.isShellCommand { console.error(timing.summary + "\n") }
            } catch {
                report(error, source, &console)
                rollBackAfterFailure(error, on: &console)
                failed = true
                if !settings.keepGoing { break }
            }
        }
        return failed ? .failed : .success
    }

    /// Binds, plans and runs one statement, writing its result.
    mutating func execute(_ statement: ParsedStatement, on console: inout some Console,
                          timing: inout StatementTiming) throws(Diagnostic) -> Outcome {
        let bound = try Binder(schema: database.schema, today: settings.today).bind(statement)
        try read(entities(of: bound))
        prepareIndexes(for: bound)
        let planner = Planner(database)
        switch bound {
        case .change(let change):
            try executeChange(change, on: &console)
            timing.executed()
        case .transaction(let control):
            try executeTransaction(control, on: &console)
        case .save(let path):
            try save(to: path, at: statement.range, on: &console)
            timing.executed()
        case .find(let q):
            let plan = planner.plan(q)
            timing.planned()
            let result = FindExecutor(db: database).run(plan)
            timing.executed()
            emit(result, &console)
            timing.written()
        case .aggregate(let q):
            let plan = planner.plan(q)
            timing.planned()
            let result = try AggregateExecutor(db: database).run(plan)
            timing.executed()
            emit(result, aggregate: true, &console)
            timing.written()
        case .explain(let e):
            let text = try Explainer(db: database).explain(e)
            timing.executed()
            console.write(text)
            timing.written()
        case .createIndex(let entity, let field):
            database.addIndex(entity: entity, field: field)
            database.buildIndexes([Database.IndexJob(entity: entity, field: field)])
            timing.executed()
            console.write("created index \(entity).\(database[entity].entity.fields[field].name)\n")
        case .dropIndex(let entity, let field):
            let name = "\(entity).\(database[entity].entity.fields[field].name)"
            guard database[entity].indexedFields.contains(field) else {
                throw Diagnostic(.executor, "there is no index on \(name)", at: statement.range,
                                 hint: ".indexes lists the indexes")
            }
            database.dropIndex(entity: entity, field: field)
            timing.executed()
            console.write("dropped index \(name)\n")
        case .shellCommand(let name, let arguments):
            return try ShellCommands.run(name: name, arguments: arguments, session: &self, console: &console)
        }
        return .success
    }

    /// Runs one statement's text and returns its result, for tests and tools.
    public func query(_ text: String) throws(Diagnostic) -> ResultSet {
        var parser = Parser(SourceText(name: "query", text: text))
        guard let statement = try parser.nextStatement() else {
            throw Diagnostic(.parser, "no statement given")
        }
        let bound = try Binder(schema: database.schema, today: settings.today).bind(statement)
        // A session on a file may not have read every collection yet: read them into a copy.
        var session = self
        try session.read(session.entities(of: bound))
        let database = session.database
        switch bound {
        case .find(let q): return FindExecutor(db: database).run(Planner(database).plan(q))
        case .aggregate(let q): return try AggregateExecutor(db: database).run(Planner(database).plan(q))
        default: throw Diagnostic(.shell, "only queries return a result", at: statement.range)
        }
    }

    /// Builds the indexes that are wanted but missing (after loading, or after changes).
    public mutating func prepareIndexes() {
        if !database.missingIndexes.isEmpty { database.buildIndexes() }
    }

    private func emit(_ result: ResultSet, aggregate: Bool = false, _ console: inout some Console) {
        ResultWriter.write(result, as: settings.format, display: settings.display, aggregate: aggregate, to: &console)
        if settings.format == .table { console.write("\n") }
    }

    private func report(_ d: Diagnostic, _ source: SourceText, _ console: inout some Console) {
        console.error(DiagnosticRenderer.render(d, in: source, color: console.colorErrors))
    }
}
