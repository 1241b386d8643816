/// Runs one fuzz input through the same code a user's input takes.
enum FuzzRunner {
    static func statements(_ text: String) -> FuzzOutcome {
        var session = FuzzFixture.session
        var console = TranscriptConsole()
        let outcome = session.run(SourceText(name: "fuzz", text: text), on: &console)
        return FuzzOutcome(accepted: outcome != .failed, text: console.transcript)
    }

    /// Reads a snapshot from memory; one that reads is then queried, since a file the reader
    /// accepts must hold data every statement can run on.
    static func snapshot(_ input: [UInt8]) -> FuzzOutcome {
        guard let flagByte = input.first else { return FuzzOutcome(accepted: false, text: "empty input") }
        var bytes = Array(input.dropFirst())
        if FileFuzzFlags(rawValue: flagByte).contains(.repairChecksums) { ChecksumRepair.snapshot(&bytes) }
        let lazy: FuzzOutcome
        do {
            // As a session on a file reads it: the schema at once, each column when a statement
            // needs it. A damaged column fails the statements that read it, and only them.
            lazy = try readColumnByColumn(MemoryBytes(bytes: bytes, name: "fuzz.crmq"))
        } catch {
            return FuzzOutcome(accepted: false, text: error.message)
        }
        do {
            let contents = try SnapshotReader.read(bytes: bytes, name: "fuzz.crmq")
            let eager = use(contents.database)
            // A file that reads whole answers the same read column by column.
            precondition(eager.accepted == lazy.accepted && eager.text == lazy.text, "reading columns as statements need them changed an answer")
            return eager
        } catch {
            return FuzzOutcome(accepted: false, text: error.message)
        }
    }

    /// Opens a snapshot as `Session.open` does and runs `use`'s statements on it.
    private static func readColumnByColumn(_ source: MemoryBytes) throws(DataFileError) -> FuzzOutcome {
        var session = try Session.reading(SnapshotLoader(source), settings: FuzzFixture.session.settings)
        return use(&session)
    }

    /// Reads a journal from memory against the fixture's snapshot, replays it onto the fixture's
    /// data, and queries the result.
    static func journal(_ input: [UInt8]) -> FuzzOutcome {
        guard let flagByte = input.first else { return FuzzOutcome(accepted: false, text: "empty input") }
        let flags = FileFuzzFlags(rawValue: flagByte)
        var bytes = Array(input.dropFirst())
        if flags.contains(.matchSnapshot) { ChecksumRepair.setJournalSnapshot(&bytes, to: FuzzFixture.snapshotId) }
        if flags.contains(.repairChecksums) { ChecksumRepair.journal(&bytes) }
        var database = FuzzFixture.session.database
        do {
            let name = "fuzz.crmq-journal"
            let journal = try JournalReader.read(MemoryBytes(bytes: bytes, name: name), snapshotId: FuzzFixture.snapshotId,
                                                 previousId: FuzzFixture.previousId, schema: database.schema)
            try DataFile.replay(journal, onto: &database, journalName: name)
        } catch {
            return FuzzOutcome(accepted: false, text: error.message)
        }
        return use(database)
    }

    /// Counts every entity and lists its records, building the indexes: what a session opened on
    /// the data would do first.
    private static func use(_ database: Database) -> FuzzOutcome {
        // Each statement builds the indexes it needs, as in a session opened on a file.
        var session = Session(database: database, settings: FuzzFixture.session.settings, buildingIndexes: false)
        return use(&session)
    }

    /// `count` reads a collection's ids alone, then `show *` the rest of its columns.
    private static func use(_ session: inout Session) -> FuzzOutcome {
        let database = session.database
        var console = TranscriptConsole()
        let script = database.schema.entities.map { "count \($0.name); find \($0.name) show * limit 20" }
            .joined(separator: "\n")
        let outcome = session.run(SourceText(name: "fuzz", text: script), on: &console)
        return FuzzOutcome(accepted: outcome != .failed, text: console.transcript)
    }
}
