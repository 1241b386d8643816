import Foundation
import Testing
@testable import CrmqEngine

/// Damaged files are found, never trusted and never a crash: every single-byte change and every
/// truncation of a small snapshot, and of a journal, read in-process from memory.
@Suite struct CorruptionTests {
    static let name = "tiny.crmq"
    static let snapshot = SnapshotWriter.bytes(of: TinyCRM.build(), snapshotId: 0x5EED, savedAt: 1_780_000_000)

    /// Reads `bytes` as a snapshot; the error when it is refused.
    static func load(_ bytes: [UInt8]) -> DataFileError? {
        do {
            _ = try SnapshotReader.read(bytes: bytes, name: name)
            return nil
        } catch {
            return error
        }
    }

    /// A refusal names the file and where in it the damage is.
    static func isClear(_ e: DataFileError, file: String = name) -> Bool {
        e.message.contains("\"\(file)\"") && e.offset != nil && e.message.contains("byte")
    }

    @Test func everyByteFlipOfASnapshotIsDetected() {
        let bytes = Self.snapshot
        #expect(Self.load(bytes) == nil)
        var undetected: [Int] = []
        var unclear: [String] = []
        for i in bytes.indices {
            for mask: UInt8 in [0xFF, 0x01] {
                var damaged = bytes
                damaged[i] ^= mask
                guard let error = Self.load(damaged) else {
                    undetected.append(i)
                    continue
                }
                if !Self.isClear(error) { unclear.append(error.message) }
            }
        }
        print("corruption test: \(bytes.count * 2) single-byte changes of a \(bytes.count)-byte snapshot, \(undetected.count) undetected")
        #expect(undetected.isEmpty, "flips at \(undetected.prefix(10)) were not detected")
        #expect(unclear.isEmpty, "unclear messages: \(unclear.prefix(3))")
    }

    @Test func everyTruncationOfASnapshotIsDetected() {
        let bytes = Self.snapshot
        for length in 0..<bytes.count {
            let error = Self.load(Array(bytes[..<length]))
            #expect(error != nil, "cut to \(length) bytes, it still loaded")
            if let error { #expect(Self.isClear(error) && error.kind == .truncated, "\(length): \(error.message)") }
        }
        var longer = bytes
        longer.append(0)
        #expect(Self.load(longer)?.message.contains("unexpected bytes follow its end") == true)
    }

    @Test func eachKindOfDamageHasItsOwnMessage() {
        let notData = Self.load(Array("find opportunities where stage = \"Proposal\"\n".utf8))!
        #expect(notData.kind == .notADataFile)
        #expect(notData.message == "\"tiny.crmq\" is not a crmq data file: it does not start with the crmq magic bytes (byte 0)")
        #expect(notData.hint == "it looks like text; to run a script, use crmq -f tiny.crmq")

        // A newer version with an intact header: written by a newer crmq.
        var b = Self.snapshot
        let next = Int(SnapshotFormat.version) + 1
        b[8] = UInt8(next)
        Self.reseal(&b)
        let newer = Self.load(b)!
        #expect(newer.kind == .newerVersion(next))
        #expect(newer.message == "\"tiny.crmq\" uses format version \(next) (byte 8); this crmq reads version \(SnapshotFormat.version)")

        let truncated = Self.load(Array(Self.snapshot.dropLast(100)))!
        #expect(truncated.message.hasPrefix("\"tiny.crmq\" is truncated: it has \(Self.snapshot.count - 100) bytes, but its header says \(Self.snapshot.count)"))

        b = Self.snapshot
        b[200] ^= 0x10
        let checksum = Self.load(b)!
        #expect(checksum.kind == .checksum)
        #expect(checksum.message.contains("does not match its checksum"))
        #expect(checksum.message.hasPrefix("\"tiny.crmq\" is damaged at byte "))

        // A section table entry pointing past the end, with every checksum made to match.
        b = Self.snapshot
        let header = SnapshotHeader(decoding: Array(b[0..<64]))
        let entry = Int(header.tableOffset) + 5 * SnapshotFormat.tableEntrySize
        Self.write(UInt64(b.count * 2), into: &b, at: entry + 24)
        let table = Array(b[Int(header.tableOffset)..<b.count - SnapshotFormat.endMarkerSize])
        Self.write(UInt32(CRC32C.checksum(table)), into: &b, at: 56)
        Self.reseal(&b)
        let outside = Self.load(b)!
        #expect(outside.kind == .outOfBounds)
        #expect(outside.message.contains("points outside the file"))
        #expect(outside.offset == entry)
    }

    /// Recomputes the header checksum after a deliberate change.
    static func reseal(_ b: inout [UInt8]) {
        write(CRC32C.checksum(Array(b[0..<60])), into: &b, at: 60)
    }

    static func write<T: FixedWidthInteger>(_ v: T, into b: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: v.littleEndian) { for i in 0..<MemoryLayout<T>.size { b[offset + i] = $0[i] } }
    }

    // MARK: - Journals

    /// A journal of three records on the tiny database, and the data after each.
    static let journal: (bytes: [UInt8], states: [Database], recordStarts: [Int]) = {
        var db = TinyCRM.build()
        var states = [db]
        var bytes = JournalFormat.header(snapshotId: 0x5EED)
        var starts: [Int] = []
        let statements = [#"update opportunities set stage = "Closed Won" where id in (1, 2)"#,
                          #"create account name = "Nordlys AS", industry = "Energy""#,
                          "delete leads where id = 3"]
        for (n, text) in statements.enumerated() {
            let statement = try! Parser.parseAll(SourceText(name: "j", text: text))[0]
            guard case .change(let change) = try! Binder(schema: db.schema, today: TinyCRM.today).bind(statement) else {
                preconditionFailure("a change statement")
            }
            let outcome = try! ChangeExecutor(db: db, now: 1_780_000_000).run(change)
            starts.append(bytes.count)
            bytes += JournalFormat.record(outcome.changes, sequence: UInt64(n + 1), committedAt: 1_780_000_000,
                                          schema: db.schema)
            db.apply(outcome.changes)
            states.append(db)
        }
        return (bytes, states, starts)
    }()

    /// Replays `bytes` on the tiny database: the data and whether a torn record was dropped.
    static func replay(_ bytes: [UInt8]) -> Result<(Database, torn: Bool), DataFileError> {
        Result { () throws(DataFileError) in
            let contents = try JournalReader.read(MemoryBytes(bytes: bytes, name: "tiny.crmq-journal"),
                                                  snapshotId: 0x5EED, previousId: 0, schema: Schema.standard)
            var db = TinyCRM.build()
            try DataFile.replay(contents, onto: &db, journalName: "tiny.crmq-journal")
            return (db, contents.tornTail != nil)
        }
    }

    static func sameData(_ a: Database, _ b: Database) -> Bool {
        SnapshotWriter.bytes(of: a) == SnapshotWriter.bytes(of: b)
    }

    @Test func anIntactJournalReplaysEveryRecord() throws {
        let (db, torn) = try Self.replay(Self.journal.bytes).get()
        #expect(!torn)
        #expect(Self.sameData(db, Self.journal.states[3]))
    }

    /// A change in the last record is indistinguishable from a torn write: it is dropped with a
    /// warning. A change anywhere before it is refused, since a committed record follows.
    @Test func everyByteFlipOfAJournalIsDetectedOrDropsOnlyTheLastRecord() {
        let (bytes, states, starts) = Self.journal
        for i in bytes.indices {
            for mask: UInt8 in [0xFF, 0x01] {
                var damaged = bytes
                damaged[i] ^= mask
                switch Self.replay(damaged) {
                case .success(let (db, torn)):
                    #expect(i >= starts[2] && torn, "a flip at \(i) went unnoticed")
                    #expect(Self.sameData(db, states[2]), "a flip at \(i) changed the replayed data")
                case .failure(let error):
                    #expect(i < starts[2], "a flip at \(i), in the last record, was not taken for a torn write")
                    #expect(Self.isClear(error, file: "tiny.crmq-journal"), "\(i): \(error.message)")
                }
            }
        }
    }

    @Test func everyTruncationOfAJournalKeepsTheWholeRecordsBeforeIt() throws {
        let (bytes, states, starts) = Self.journal
        for length in 0..<bytes.count {
            let (db, torn) = try Self.replay(Array(bytes[..<length])).get()
            // Records that end at or before the cut survive; one cut in the middle is dropped, with a warning.
            let ends = starts.dropFirst() + [bytes.count]
            let complete = ends.filter { $0 <= length }.count
            #expect(Self.sameData(db, states[complete]), "cut at \(length)")
            #expect(torn == (length > JournalFormat.headerSize && !starts.contains(length)),
                    "cut at \(length)")
        }
    }
}
