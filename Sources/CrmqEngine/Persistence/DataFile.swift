/// The file a session's data lives in: the snapshot at `path`, the journal beside it at
/// `path + "-journal"`, and, once this session changes something, the lock that makes it the file's
/// only writer. Reading needs no lock: any number of processes may query a file while one changes it.
public struct DataFile: Sendable {
    public let path: String
    public var journalPath: String { path + "-journal" }
    /// The snapshot on disk; nil for a file not saved yet (`crmq new.crmq` before the first change).
    public private(set) var snapshotId: UInt64?
    /// The snapshot that one replaced (0 for none): a journal naming it is folded in already.
    private var previousId: UInt64
    /// Which file `path` named when it was read: a save by another process replaces it.
    private var snapshotIdentity: SystemFile.Identity?
    /// The journal as this session last saw it, to notice another process writing to it.
    private var journalState: JournalContents.State
    private var journalLength: Int
    private var writer: JournalWriter?

    /// A file opened: its data with the journal replayed, and warnings to show (a torn record dropped).
    public struct Opened: Sendable {
        public var file: DataFile
        /// With `onDemand`, only the collections the journal changed are read; the others are
        /// empty until `snapshot` reads them.
        public var database: Database
        /// The snapshot, for reading the collections in `unread`; nil when everything was read.
        var snapshot: SnapshotLoader?
        var unread: Set<String>
        public var warnings: [String]
        /// Journal records replayed on top of the snapshot.
        public var replayed: Int
        /// Whether the snapshot existed; a new file starts empty with the standard schema.
        public var existed: Bool
    }

    /// Opens `path`: reads and checks the snapshot, then replays the journal. A missing file is a
    /// new one: empty, with the standard schema, created by the first change or `save`.
    ///
    /// With `onDemand`, the header, the table and the schema are checked, and only the collections
    /// the journal touches are read; `Session` reads the other columns as statements need them,
    /// each checked against its checksum then (SnapshotLoader).
    public static func open(_ path: String, onDemand: Bool = false) throws(DataFileError) -> Opened {
        guard SystemFile.exists(path) else {
            // A journal with records but no snapshot cannot come from crmq's own order of writes.
            if let size = SystemFile.sizeOf(path + "-journal"), size > JournalFormat.headerSize {
                throw DataFileError(.malformed, path + "-journal",
                                    "\(DataFileError.quoted(path + "-journal")) holds changes, but \(DataFileError.quoted(path)) does not exist",
                                    hint: "restore the snapshot file, or move the journal aside to start afresh")
            }
            let file = DataFile(path: path, snapshotId: nil, previousId: 0, snapshotIdentity: nil, journalState: .absent,
                                journalLength: 0, writer: nil)
            return Opened(file: file, database: Database(schema: .standard), snapshot: nil, unread: [], warnings: [],
                          replayed: 0, existed: false)
        }
        // A save by another process between reading the snapshot and its journal pairs a snapshot
        // with the next one's journal: read both again.
        var attempt = 1
        while true {
            let identity = SystemFile.identity(ofPath: path)
            let loader = try SnapshotLoader(path: path)
            let journal: JournalContents
            do {
                journal = try readJournal(path + "-journal", loader.snapshotId, loader.previousId, loader.schema)
            } catch {
                if attempt < 3, SystemFile.identity(ofPath: path) != identity {
                    attempt += 1
                    continue
                }
                throw error
            }
            let all = Set(loader.schema.entityNames)
            // A pipeline change re-codes stages wherever they are stored: replaying one needs them all.
            // A field added or dropped changes a collection's columns: replaying one needs it read.
            let recodes = journal.records.contains { $0.changes.contains {
                switch $0 {
                case .catalog(.pipeline), .catalog(.schema): true
                default: false
                }
            } }
            var touched = onDemand && !recodes ? Set(journal.records.flatMap { $0.changes.compactMap(\.entity) }) : all
            // Replaying checks that a reference names a record its target has handed out: the
            // targets must be read too, not left as empty placeholders.
            for name in touched {
                for f in loader.schema.entity(named: name)?.fields ?? [] {
                    if case .reference(let target) = f.type { touched.insert(target) }
                }
            }
            var db = try loader.database(loading: touched)
            try replay(journal, onto: &db, journalName: path + "-journal")
            let file = DataFile(path: path, snapshotId: loader.snapshotId, previousId: loader.previousId,
                                snapshotIdentity: identity, journalState: journal.state,
                                journalLength: journal.validLength, writer: nil)
            let unread = all.subtracting(touched)
            return Opened(file: file, database: db, snapshot: unread.isEmpty ? nil : loader, unread: unread,
                          warnings: journal.tornWarning(path + "-journal").map { [$0] } ?? [],
                          replayed: journal.records.count, existed: true)
        }
    }

    /// Applies a journal's records in order, each checked first against the data the records
    /// before it leave; a record that does not fit stops the whole open.
    static func replay(_ journal: JournalContents, onto db: inout Database, journalName: String) throws(DataFileError) {
        for record in journal.records {
            if let problem = db.problem(applying: record.changes) {
                throw DataFileError.malformed(journalName, at: record.offset,
                                              "change record \(record.sequence) does not fit the snapshot: \(problem)")
            }
            db.apply(record.changes)
        }
    }

    static func readJournal(_ journalPath: String, _ snapshotId: UInt64, _ previousId: UInt64,
                            _ schema: Schema) throws(DataFileError) -> JournalContents {
        guard SystemFile.exists(journalPath) else {
            return JournalContents(state: .absent, snapshotId: 0, records: [], validLength: 0, tornTail: nil, fileLength: 0)
        }
        let source = try FileBytes(SystemFile.openForReading(journalPath))
        return try JournalReader.read(source, snapshotId: snapshotId, previousId: previousId, schema: schema)
    }

    /// Makes `changes` durable: appended to the journal and synced. `before` is the data the
    /// changes apply to; a new file's first commit saves it as the snapshot the journal continues.
    public mutating func commit(_ changes: [DataChange], before: Database, at now: Int64) throws(DataFileError) {
        let writer = try openWriter(before)
        try writer.append(changes, committedAt: now, schema: before.schema)
        journalLength = writer.length
    }

    /// The change records another crmq process appended to the journal since this session last
    /// read or wrote it, now counted as seen (the next commit goes on after them); nil when another
    /// process replaced the snapshot (a `save`), which leaves its changes no longer apart. For
    /// `sandbox apply`, which commits on top of them when they do not conflict with its own.
    mutating func changesByOthers(schema: Schema) throws(DataFileError) -> [[DataChange]]? {
        // This session holds the journal's lock once it has written: nobody else could.
        if writer != nil { return [] }
        guard SystemFile.identity(ofPath: path) == snapshotIdentity else { return nil }
        guard let id = snapshotId else { return [] }
        let now = try DataFile.readJournal(journalPath, id, previousId, schema)
        guard now.state == .current else { return [] }
        let seen = journalState == .current ? journalLength : 0
        let records = now.records.filter { $0.offset >= seen }
        journalState = now.state
        journalLength = now.validLength
        return records.map(\.changes)
    }

    /// Checkpoint: saves `db` as a new snapshot in place of the old one, then starts the journal
    /// afresh. Until the journal is restarted it names the replaced snapshot, which the new one
    /// records as its predecessor, so a crash in between loses nothing and replays nothing twice.
    public mutating func save(_ db: Database, cancellation: Cancellation = .none) throws(DataFileError) -> SnapshotWriter.Summary {
        let writer = try openWriter(db)
        let id = SystemFile.randomId()
        let summary = try SnapshotWriter.write(db, to: path, snapshotId: id, previousId: snapshotId ?? 0,
                                               cancellation: cancellation)
        previousId = snapshotId ?? 0
        snapshotId = id
        snapshotIdentity = SystemFile.identity(ofPath: path)
        do {
            try writer.restart(snapshotId: id)
        } catch {
            throw DataFileError(error.kind, journalPath,
                                "saved \(DataFileError.quoted(path)), but could not start its journal afresh: \(error.message)",
                                hint: "the data is safe in the snapshot; further changes cannot be recorded until this is fixed")
        }
        journalState = .current
        journalLength = writer.length
        return summary
    }

    /// Writes `db` to `path` as a new file, for `save "copy.crmq"` and `crmq generate`. Refuses
    /// to replace an existing file or to put a snapshot beside a journal that is not its own,
    /// unless `replacing` (generate's --force), which also removes that journal.
    public static func writeNew(_ db: Database, to path: String, replacing: Bool = false,
                                cancellation: Cancellation = .none) throws(DataFileError) -> SnapshotWriter.Summary {
        let journal = path + "-journal"
        if !replacing {
            if SystemFile.exists(path) {
                throw DataFileError(.alreadyExists, path, "\(DataFileError.quoted(path)) already exists",
                                    hint: "choose another name, or remove it first")
            }
            if SystemFile.exists(journal) {
                throw DataFileError(.alreadyExists, journal, "\(DataFileError.quoted(journal)) already exists beside it",
                                    hint: "a journal belongs to the file it was written for; remove it or choose another name")
            }
        }
        var lock: FileDescriptor?
        if replacing, SystemFile.exists(journal) {
            // Another process changing the file holds the journal's lock: do not pull it away.
            let j = try SystemFile.openForUpdate(journal)
            guard try SystemFile.tryLock(j) else { throw lockedError(path) }
            lock = j
        }
        let summary = try SnapshotWriter.write(db, to: path, snapshotId: SystemFile.randomId(), cancellation: cancellation)
        if lock != nil {
            SystemFile.remove(journal)
            try SystemFile.syncDirectory(of: journal)
        }
        return summary
    }

    /// The journal open for appending, locked, checked to be as this session left it, and ready:
    /// started afresh when it was absent or folded, its torn tail cut off.
    private mutating func openWriter(_ db: Database) throws(DataFileError) -> JournalWriter {
        if let writer { return writer }
        let created = !SystemFile.exists(journalPath)
        let file: FileDescriptor
        do {
            file = try SystemFile.openForUpdate(journalPath)
        } catch {
            throw DataFileError(error.kind, path,
                                "cannot write \(DataFileError.quoted(path)) (its journal \(DataFileError.quoted(journalPath))): \(SystemFile.describe(errno: error.errnoValue))")
        }
        guard try SystemFile.tryLock(file) else { throw DataFile.lockedError(path) }
        guard SystemFile.identity(ofPath: path) == snapshotIdentity else { throw changedError() }
        if snapshotId == nil {
            let id = SystemFile.randomId()
            _ = try SnapshotWriter.write(db, to: path, snapshotId: id)
            snapshotId = id
            previousId = 0
            snapshotIdentity = SystemFile.identity(ofPath: path)
            journalState = .absent
        }
        let id = snapshotId!
        let now = try JournalReader.read(FileBytes(file), snapshotId: id, previousId: previousId, schema: db.schema)
        guard now.state == journalState, now.validLength == journalLength || journalState != .current else {
            throw changedError()
        }
        let writer = JournalWriter(file: file, length: now.validLength, nextSequence: UInt64(now.records.count + 1),
                                   snapshotId: id)
        if now.state != .current {
            try writer.restart(snapshotId: id)
            if created { try SystemFile.syncDirectory(of: journalPath) }
        } else if now.tornTail != nil {
            try writer.truncate(to: now.validLength)
        }
        journalState = .current
        journalLength = writer.length
        self.writer = writer
        return writer
    }

    /// The state of a file this process has just written with `writeNew`, for a session that moves to it.
    static func created(at path: String, snapshotId: UInt64) -> DataFile {
        DataFile(path: path, snapshotId: snapshotId, previousId: 0, snapshotIdentity: SystemFile.identity(ofPath: path),
                 journalState: .absent, journalLength: 0, writer: nil)
    }

    /// Whether two paths name the same file (the same inode once it exists).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        if let x = SystemFile.identity(ofPath: a), let y = SystemFile.identity(ofPath: b) { return x == y }
        return a == b
    }

    private func changedError() -> DataFileError {
        DataFileError(.changedOnDisk, path,
                      "\(DataFileError.quoted(path)) was changed by another crmq process since this session opened it",
                      hint: "open it again to see those changes; nothing was written")
    }

    static func lockedError(_ path: String) -> DataFileError {
        DataFileError(.locked, path, "\(DataFileError.quoted(path)) is being changed by another crmq process",
                      hint: "finish that session first, or save a copy with save \"OTHER.crmq\"")
    }
}
