/// A crmq session: the database, the settings a user can change (`.format`, `.today`), and
/// running text (a script, a `-c` argument, a statement typed at the prompt) statement by statement.
public struct Session: Sendable {
    /// The data. In a session on a file, a collection no statement has used yet is an empty
    /// placeholder until then; `readAll()` reads every one.
    public var database: Database {
        // The view `as of` a moment is built from the data: any change makes it stale.
        didSet { asOfView = nil; permissionView = nil }
    }
    public var settings: Settings
    /// The last view of the data `as of` a moment, kept while the data does not change (Session+AsOf.swift).
    var asOfView: AsOfView?
    /// The data as the session's role may read it, kept while the data does not change (Permissions/).
    var permissionView: PermissionView?
    /// How many `.read` scripts are running inside one another: a script that reads itself stops at a limit.
    var readDepth = 0
    /// The file the data lives in (`crmq FILE`, `.open`, `save "FILE"`); nil for the demo data.
    public internal(set) var file: DataFile?
    /// The transaction `begin` opened, until `commit` or `rollback`.
    var transaction: Transaction?
    /// The sandbox `sandbox` opened, until `sandbox apply` or `sandbox discard` (Session+Sandbox.swift).
    var sandbox: Sandbox?
    /// The snapshot the columns in `unreadColumns` are still to be read from (a session on a file
    /// reads each column when a statement first needs it: Session+Columns.swift); empty
    /// placeholders until then.
    var snapshot: SnapshotLoader?
    /// Field positions by entity; an entity whose ids are among them is an empty placeholder.
    var unreadColumns: [String: Set<Int>] = [:]
    /// The collections not read whole yet.
    var unread: Set<String> { Set(unreadColumns.keys) }
    /// The user changes are made as (`--user EMAIL`, `.user EMAIL`; Session+User.swift); nil for nobody.
    public internal(set) var user: Int64?

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
        /// The longest a statement may run before it is cancelled (`.timeout`, `--timeout`); nil for no limit.
        public var timeout: Duration?
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
    ///
    /// `cancellation` stops a statement from another thread (Ctrl-C); each statement also gets
    /// the `timeout` deadline. A cancelled statement fails as any other does: its diagnostic is
    /// written, it changed nothing, and an open transaction is rolled back. After Ctrl-C the run
    /// stops there even with `keepGoing`; after a timeout it goes on as after any failure.
    public mutating func run(_ source: SourceText, on console: inout some Console,
                             cancellation: Cancellation = .none) -> Outcome {
        run(source, until: source.bytes.count, on: &console, cancellation: cancellation)
    }

    /// Runs the statements of `source` that start before byte `end` (the rest is there for the
    /// parser to look at, and runs later: see `StatementStream.Piece`).
    mutating func run(_ source: SourceText, until end: Int, on console: inout some Console,
                      cancellation: Cancellation) -> Outcome {
        var parser = Parser(source)
        var failed = false
        while true {
            while parser.peek.isSymbol(.semicolon) { parser.index += 1 }
            if parser.peek.kind != .end && parser.peek.range.start >= end { break }
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
                let check = cancellation.statement(timeout: settings.timeout)
                if try execute(statement, on: &console, timing: &timing, cancellation: check) == .quit { return .quit }
                if settings.timer && !statement.isShellCommand { console.error(timing.summary + "\n") }
            } catch {
                var error = error
                // A timeout points at the statement it stopped (a script names its line); Ctrl-C
                // stops what the user is looking at, and says only "cancelled".
                if error.cancelled == .timedOut, error.range == nil { error.range = statement.range }
                report(error, source, &console)
                rollBackAfterFailure(error, on: &console)
                failed = true
                if !settings.keepGoing || error.cancelled == .interrupted { break }
            }
        }
        return failed ? .failed : .success
    }

    /// Runs a script as it arrives (a pipe, a file): each statement runs as soon as it is complete
    /// on the input (see `StatementStream`), and what it wrote is flushed before crmq waits for
    /// more, so that a program can write a statement and read its answer. Stops at the first
    /// failure unless `keepGoing`.
    public mutating func run(script input: inout some ScriptInput, name: String,
                             on console: inout some Console, cancellation: Cancellation = .none) -> Outcome {
        var stream = StatementStream(name: name)
        var failed = false
        var ended = false
        while true {
            if let piece = stream.next() {
                switch run(piece.source, until: piece.end, on: &console, cancellation: cancellation) {
                case .quit: return .quit
                case .failed:
                    failed = true
                    // After Ctrl-C the script stops, even with keepGoing (as `run` does).
                    if !settings.keepGoing || cancellation.reason == .interrupted { return .failed }
                case .success: break
                }
                continue
            }
            if ended { break }
            if cancellation.reason == .interrupted { return .failed }  // the caller says "cancelled"
            console.flush()
            do {
                if let block = try input.nextBlock() {
                    stream.append(block)
                } else {
                    stream.finish()
                    ended = true
                }
            } catch {
                console.error("error: cannot read \(name): \(error.reason)\n")
                return .failed
            }
        }
        return failed ? .failed : .success
    }

    /// Binds, plans and runs one statement, writing its result.
    mutating func execute(_ statement: ParsedStatement, on console: inout some Console,
                          timing: inout StatementTiming, cancellation: Cancellation) throws(Diagnostic) -> Outcome {
        try cancellation.check()
        let bound = try binder.bind(statement)
        // What the statement reads is worked out only while columns are still unread.
        if !unreadColumns.isEmpty { try readData(for: bound) }
        try prepareIndexes(for: bound, cancellation: cancellation)
        // Changes run before a query's data is taken below: a second reference to the data alive
        // while a change is applied would make it copy every column it touches (copy-on-write).
        switch bound {
        case .change(let change):
            try executeChange(change, on: &console, cancellation: cancellation)
            timing.executed()
            return .success
        case .convert(let conversion):
            try executeConversion(conversion, on: &console, cancellation: cancellation)
            timing.executed()
            return .success
        case .export(let export):
            try executeExport(export, on: &console, cancellation: cancellation)
            timing.executed()
            return .success
        case .rules(let command):
            try executeRuleCommand(command, on: &console, cancellation: cancellation)
            timing.executed()
            return .success
        case .importFile(let i):
            try executeImport(i, on: &console, cancellation: cancellation)
            timing.executed()
            return .success
        default:
            break
        }
        // The data as it is, or as it stood at the moment of `as of`.
        let (data, asOfSteps) = try data(for: bound)
        let planner = Planner(data)
        switch bound {
        case .change, .convert, .export, .rules, .importFile:
            break  // run above
        case .transaction(let control):
            try executeTransaction(control, on: &console)
        case .sandbox(let control):
            try executeSandbox(control, at: statement.range, on: &console)
            timing.executed()
        case .save(let path):
            try save(to: path, at: statement.range, on: &console, cancellation: cancellation)
            timing.executed()
        case .find(let q):
            let plan = planner.plan(q)
            timing.planned()
            let result = try FindExecutor(db: data, cancellation: cancellation).run(plan)
            timing.executed()
            try emit(result, &console, cancellation: cancellation)
            timing.written()
        case .aggregate(let q):
            let plan = planner.plan(q)
            timing.planned()
            let result = try AggregateExecutor(db: data, cancellation: cancellation).run(plan)
            timing.executed()
            try emit(result, aggregate: true, &console, cancellation: cancellation)
            timing.written()
        case .explain(let e):
            let text = try Explainer(db: data, cancellation: cancellation, asOfSteps: asOfSteps).explain(e)
            timing.executed()
            console.write(text)
            timing.written()
        case .createIndex(let entity, let field):
            // Built on a copy, so that a cancelled build leaves no index half made or wanted.
            var withIndex = database
            withIndex.addIndex(entity: entity, field: field)
            try withIndex.buildIndexes([Database.IndexJob(entity: entity, field: field)], cancellation: cancellation)
            database = withIndex
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
        case .catalog(let change):
            try executeCatalog(change, at: statement.range, on: &console)
            timing.executed()
        case .view(let view):
            try showView(view, on: &console, cancellation: cancellation)
            timing.executed()
        case .report(let report):
            let table = try reportTable(report, cancellation: cancellation)
            timing.executed()
            try emitReport(table, &console, cancellation: cancellation)
            timing.written()
        case .explainReport(let report, let analyze):
            let text = try explainReport(report, analyze: analyze, cancellation: cancellation)
            timing.executed()
            console.write(text)
            timing.written()
        case .shellCommand(let name, let arguments):
            return try ShellCommands.run(name: name, arguments: arguments, session: &self, console: &console,
                                         cancellation: cancellation)
        }
        return .success
    }

    /// Runs one statement's text and returns its result, for tests and tools.
    public func query(_ text: String, cancellation: Cancellation = .none) throws(Diagnostic) -> ResultSet {
        var parser = Parser(SourceText(name: "query", text: text))
        guard let statement = try parser.nextStatement() else {
            throw Diagnostic(.parser, "no statement given")
        }
        let bound = try binder.bind(statement)
        // A session on a file may not have read every collection yet: read them into a copy.
        var session = self
        try session.readData(for: bound)
        let database = try session.data(forQuery: bound)
        switch bound {
        case .find(let q): return try FindExecutor(db: database, cancellation: cancellation).run(Planner(database).plan(q))
        case .aggregate(let q): return try AggregateExecutor(db: database, cancellation: cancellation).run(Planner(database).plan(q))
        case .report(let r): return try session.reportTable(r, cancellation: cancellation).result
        default: throw Diagnostic(.shell, "only queries return a result", at: statement.range)
        }
    }

    /// Builds the indexes that are wanted but missing (after loading, or after changes).
    public mutating func prepareIndexes(cancellation: Cancellation = .none) throws(Diagnostic) {
        if !database.missingIndexes.isEmpty { try database.buildIndexes(database.missingIndexes, cancellation: cancellation) }
    }

    /// Writes a result; a writer stops early once the statement is cancelled (see `CancellableSink`).
    private func emit(_ result: ResultSet, aggregate: Bool = false, _ console: inout some Console,
                      cancellation: Cancellation) throws(Diagnostic) {
        var sink = CancellableSink(base: console, cancellation: cancellation)
        ResultWriter.write(result, as: settings.format, display: settings.display, aggregate: aggregate, to: &sink)
        console = sink.base
        try cancellation.check()
        if settings.format == .table { console.write("\n") }
    }

    private func report(_ d: Diagnostic, _ source: SourceText, _ console: inout some Console) {
        console.error(DiagnosticRenderer.render(d, in: source, color: console.colorErrors))
    }
}
