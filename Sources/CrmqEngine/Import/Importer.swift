/// Reads an import file's records and turns them into the `DataChange`s that carry the import
/// out, checking everything the data can tell (references, keys, ids, exit criteria) first. It
/// changes nothing itself: the session commits the changes as one unit, so an import that fails
/// leaves the data as it was. Bad rows are collected, not thrown one by one: the error names the
/// first and counts the rest; with `skip bad rows` they become the rejects.
public struct Importer {
    public let db: Database
    public let bound: BoundImport
    /// The moment of `created_at` defaults and stage changes, in seconds.
    public let now: Int64
    /// The session's user: the owner of new deals, the author of their stage changes.
    public let user: Int64?
    /// The exit criteria an imported deal must meet.
    public let rules: ExitRules
    public let cancellation: Cancellation

    public init(db: Database, bound: BoundImport, now: Int64, user: Int64?, rules: ExitRules,
                cancellation: Cancellation = .none) {
        self.db = db
        self.bound = bound
        self.now = now
        self.user = user
        self.rules = rules
        self.cancellation = cancellation
    }

    /// A row that cannot be imported: where, which column, and why.
    public struct BadRow: Sendable {
        public var line: Int
        public var column: String?
        public var reason: String
        public var hint: String?
        /// The row's cells as read (for the rejects file); empty when the record could not be read.
        public var cells: [String?]

        /// `line 7, column "value": "12,5" is not a number`
        public var text: String {
            "line \(line)" + (column.map { ", column \"\($0)\"" } ?? "") + ": " + reason
        }
    }

    public struct Outcome: Sendable {
        public var changes: [DataChange]
        public var created = 0
        public var updated = 0
        /// Accounts an `import vcards` created for ORG names not found.
        public var accountsCreated = 0
        /// Columns not imported, each a line and its hint.
        public var notes: [(note: String, hint: String)] = []
        /// Rows skipped with `skip bad rows`, in file order.
        public var rejects: [BadRow] = []
        /// The file's columns, for the rejects file's header.
        public var columns: [String] = []
        /// How long reading and converting, checking, and building the changes took (nanoseconds).
        public var phases: [(String, UInt64)] = []
    }

    /// A reference given by a name, resolved once the file's own rows are known.
    struct PendingName {
        var row: Int
        var field: Int
        var column: Int
        var name: String
    }

    public func run(_ source: inout some ImportRecordSource) throws(Diagnostic) -> Outcome {
        try run(columns: source.columns) { (matched, state) throws(Diagnostic) in try read(&source, matched, &state) }
    }

    /// As `run(_:)`, reading the source in up to `parts` parts at once when it holds at least
    /// `minimumBytes` a part (smaller sources are read as one).
    func run(_ source: some SplittableRecordSource, parts: Int, minimumBytes: Int) throws(Diagnostic) -> Outcome {
        try run(columns: source.columns) { (matched, state) throws(Diagnostic) in
            try read(source, matched, &state, parts: parts, minimumBytes: minimumBytes)
        }
    }

    private func run(columns: [String],
                     read: (ImportColumns, inout ImportState) throws(Diagnostic) -> Void) throws(Diagnostic) -> Outcome {
        var clock = ImportClock()
        let collection = db[bound.entity]
        let def = collection.entity
        let matched = try ImportColumns(columns, entity: def, bound: bound, file: bound.path)
        var state = ImportState(def: def, columns: columns)
        try read(matched, &state)
        clock.lap("read and convert")
        try matchKeys(&state)
        assignIds(&state)
        try resolveNames(&state)
        checkReferences(&state)
        clock.lap("check")
        var outcome: Outcome
        while true {
            try cancellation.check()
            dropDependents(&state)
            if !state.bad.isEmpty && (!bound.skipBadRows || state.fatal) { throw failure(state) }
            let built = try build(state)
            if !built.rejects.isEmpty {
                for b in built.rejects { state.reject(b.row, column: b.column, b.reason, hint: b.hint) }
                continue
            }
            let unmet = try unmetCriteria(built)
            outcome = built.outcome
            if unmet.isEmpty { break }
            for (row, reason) in unmet { state.reject(row, column: nil, reason, hint: "meet the criteria first (.pipelines lists them)") }
        }
        clock.lap("build changes")
        outcome.notes = matched.notes
        outcome.rejects = state.bad.sorted { $0.line < $1.line }
        outcome.columns = columns
        outcome.phases = clock.laps
        return outcome
    }

    /// The error for an import with bad rows: the first, and up to four more.
    private func failure(_ state: ImportState) -> Diagnostic {
        let bad = state.bad.sorted { $0.line < $1.line }
        let first = bad[0]
        let message = "\(DataFileError.quoted(bound.path)):\(first.line)" + (first.column.map { ", column \"\($0)\"" } ?? "")
            + ": \(first.reason)"
        var notes: [String] = []
        if bad.count > 1 {
            notes.append("and \(bad.count - 1) more bad \(bad.count == 2 ? "row" : "rows"):")
            for b in bad.dropFirst().prefix(4) { notes.append("  \(DataFileError.quoted(bound.path)):" + b.text.dropFirst(5)) }
            if bad.count > 5 { notes.append("  ...") }
        }
        let hint = (first.hint.map { $0 + "; " } ?? "") + (state.fatal ? "nothing was imported"
            : "nothing was imported; fix the rows, or add skip bad rows to import the rest")
        var d = Diagnostic(.executor, message, at: bound.pathRange, hint: hint)
        d.notes = notes
        return d
    }
}

/// Where the time of an import goes, for `.timer` and the benchmark.
struct ImportClock {
    private var last = ContinuousClock.now
    var laps: [(String, UInt64)] = []

    mutating func lap(_ name: String) {
        let t = ContinuousClock.now
        let d = (t - last).components
        laps.append((name, UInt64(d.seconds) * 1_000_000_000 + UInt64(d.attoseconds / 1_000_000_000)))
        last = t
    }
}
