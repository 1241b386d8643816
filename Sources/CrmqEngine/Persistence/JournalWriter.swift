/// The journal open for appending, with the lock that makes this process its only writer.
///
/// A class because its identity matters: copies of a session share one journal and one position
/// in it. One session uses it at a time, on one thread, hence `@unchecked Sendable`.
final class JournalWriter: @unchecked Sendable {
    let file: FileDescriptor
    /// Where the next record goes: the end of the last whole record.
    private(set) var length: Int
    private(set) var nextSequence: UInt64
    /// The snapshot the journal continues.
    private(set) var snapshotId: UInt64
    /// Set when a failed write could not be undone: the journal may end in a torn record, and
    /// another record after it would turn that into damage, so nothing more is appended.
    private(set) var broken: DataFileError?

    init(file: FileDescriptor, length: Int, nextSequence: UInt64, snapshotId: UInt64) {
        self.file = file
        self.length = length
        self.nextSequence = nextSequence
        self.snapshotId = snapshotId
    }

    /// Appends one record and waits until it is on the disk. On failure the journal is cut back to
    /// where it was, so a half-written record never stays in front of later ones.
    func append(_ changes: [DataChange], committedAt: Int64, schema: Schema) throws(DataFileError) {
        if let broken { throw broken }
        let record = JournalFormat.record(changes, sequence: nextSequence, committedAt: committedAt, schema: schema)
        do {
            try SystemFile.write(file, record, at: length)
            try SystemFile.sync(file)
        } catch {
            do {
                try SystemFile.truncate(file, to: length)
                try SystemFile.sync(file)
            } catch let undo {
                broken = DataFileError(undo.kind, file.path,
                                       "\(DataFileError.quoted(file.path)) could not be written, nor put back: \(SystemFile.describe(errno: undo.errnoValue))",
                                       hint: "save the data to another file with save \"FILE\"")
            }
            throw error
        }
        length += record.count
        nextSequence += 1
    }

    /// Empties the journal and starts it for `snapshotId` (after a save, or when it continued an
    /// older snapshot). Emptied and synced before the new header is written, so a crash in between
    /// leaves a journal with no records, never one whose records seem to belong to the new snapshot.
    func restart(snapshotId: UInt64) throws(DataFileError) {
        if let broken { throw broken }
        try SystemFile.truncate(file, to: 0)
        try SystemFile.sync(file)
        try SystemFile.write(file, JournalFormat.header(snapshotId: snapshotId), at: 0)
        try SystemFile.sync(file)
        self.snapshotId = snapshotId
        length = JournalFormat.headerSize
        nextSequence = 1
    }

    /// Cuts off a torn last record before anything is appended after it.
    func truncate(to validLength: Int) throws(DataFileError) {
        try SystemFile.truncate(file, to: validLength)
        try SystemFile.sync(file)
        length = validLength
    }
}
