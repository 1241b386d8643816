import Foundation
import Testing
@testable import CrmqEngine

/// A session on a data file: changes journaled and replayed, saves that fold the journal in,
/// interrupted saves, torn records, copies, a second writer.
@Suite struct DataFileTests {
    static let today = TinyCRM.today

    /// A data file holding the tiny database, in a fresh directory.
    static func tinyFile() throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/crm.crmq"
        _ = try DataFile.writeNew(TinyCRM.build(), to: path)
        return (dir, path)
    }

    /// A session on `path` with every collection read, for tests that look at `database` directly.
    static func open(_ path: String) throws -> Session {
        var settings = Session.Settings(today: today)
        settings.now = today * 86_400 + 43_200
        var session = try Session.open(path, settings: settings).0
        try session.readAll()
        return session
    }

    @discardableResult
    static func run(_ s: inout Session, _ text: String) -> String {
        var console = TranscriptConsole()
        _ = s.run(SourceText(name: "input", text: text), on: &console)
        return console.transcript
    }

    @Test func committedChangesAreThereWhenTheFileIsOpenedAgain() throws {
        let (dir, path) = try Self.tinyFile()
        var s = try Self.open(path)
        Self.run(&s, #"update opportunities set stage = "Closed Won" where id = 1"#)
        Self.run(&s, #"create account name = "Nordlys AS""#)
        Self.run(&s, "delete leads where id = 3")
        Self.run(&s, "begin; update leads set score = 5; commit")
        Self.run(&s, "begin; update leads set score = 6; rollback")
        #expect(FileManager.default.fileExists(atPath: path + "-journal"))
        let again = try Self.open(path)
        SnapshotTests.expectSameData(s.database, again.database)
        #expect(try again.query("find leads show id, score").plainRows == [["1", "5"], ["2", "5"]])
        #expect(try again.query("find stage_changes show opportunity, to_stage").plainRows == [["1", "Closed Won"]])
        _ = dir
    }

    @Test func saveFoldsTheJournalIntoANewSnapshot() throws {
        let (dir, path) = try Self.tinyFile()
        var s = try Self.open(path)
        Self.run(&s, #"create account name = "A""#)
        let before = try SnapshotReader.read(path: path).snapshotId
        #expect(Self.run(&s, "save").hasPrefix("saved \"\(path)\" ("))
        let after = try SnapshotReader.read(path: path)
        #expect(after.snapshotId != before && after.previousId == before)
        #expect(after.database["accounts"].count == 4)
        // The journal is empty, started for the new snapshot.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + "-journal")).count == JournalFormat.headerSize)
        Self.run(&s, #"create account name = "B""#)
        #expect(try Self.open(path).database["accounts"].count == 5)
        _ = dir
    }

    @Test func aSaveInterruptedBeforeTheJournalRestartReplaysNothingTwice() throws {
        let (dir, path) = try Self.tinyFile()
        do {
            // This session and its lock end with the block, as the crashed process's did.
            var s = try Self.open(path)
            Self.run(&s, #"create account name = "A""#)
            // What a crash between the snapshot's rename and the journal's restart leaves: the new
            // snapshot (which has the change) beside the old journal (which has it too).
            let old = try SnapshotReader.read(path: path).snapshotId
            _ = try SnapshotWriter.write(s.database, to: path, snapshotId: 99, previousId: old)
        }
        var reopened = try Self.open(path)
        #expect(reopened.database["accounts"].count == 4)
        // The next change starts the journal afresh for the new snapshot, and a second save works.
        Self.run(&reopened, #"create account name = "B""#)
        Self.run(&reopened, "save")
        Self.run(&reopened, #"create account name = "C""#)
        #expect(try Self.open(path).database["accounts"].count == 6)
        _ = dir
    }

    @Test func aJournalForAnotherSnapshotStopsTheOpen() throws {
        let (dir, path) = try Self.tinyFile()
        var s = try Self.open(path)
        Self.run(&s, #"create account name = "A""#)
        _ = try SnapshotWriter.write(TinyCRM.build(), to: path, snapshotId: 5, previousId: 6)
        #expect { _ = try DataFile.open(path) } throws: { error in
            (error as? DataFileError)?.message.contains("continues a different snapshot") == true
        }
        _ = dir
    }

    @Test func aTornLastRecordIsDroppedWithAWarning() throws {
        let (dir, path) = try Self.tinyFile()
        do {
            var s = try Self.open(path)
            Self.run(&s, #"create account name = "A""#)
            Self.run(&s, #"create account name = "B""#)
        }
        let journal = path + "-journal"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: journal))
        bytes.removeLast(5)
        try bytes.write(to: URL(fileURLWithPath: journal))
        var (reopened, warnings) = try Session.open(path, settings: Session.Settings(today: Self.today))
        try reopened.readAll()
        #expect(reopened.database["accounts"].count == 4)
        #expect(warnings.count == 1 && warnings[0].contains("the last change record"))
        // The next commit cuts the torn bytes off first, so the journal stays readable.
        var next = reopened
        #expect(Self.run(&next, #"create account name = "C""#) == "created account 5\n")
        let (third, none) = try Session.open(path, settings: Session.Settings(today: Self.today))
        #expect(none.isEmpty)
        // B's id was handed out in the record that was lost; C gets the next one free then.
        #expect(try third.query("find accounts where id > 3 show id, name").plainRows == [["4", "A"], ["5", "C"]])
        _ = dir
    }

    @Test func aNewFileIsCreatedByItsFirstChange() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/new.crmq"
        var s = try Self.open(path)
        #expect(s.database["accounts"].count == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
        Self.run(&s, #"create account name = "First""#)
        #expect(FileManager.default.fileExists(atPath: path))
        let attributes = try FileManager.default.attributesOfItem(atPath: path + "-journal")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try Self.open(path).query("find accounts show id, name").plainRows == [["1", "First"]])
    }

    @Test func saveWritesACopyAndRefusesToReplaceAFile() throws {
        let (dir, path) = try Self.tinyFile()
        var s = try Self.open(path)
        Self.run(&s, #"create account name = "A""#)
        let copy = dir.path + "/copy.crmq"
        #expect(Self.run(&s, "save \"\(copy)\"").hasPrefix("saved a copy to"))
        #expect(try Self.open(copy).database["accounts"].count == 4)
        let again = Self.run(&s, "save \"\(copy)\"")
        #expect(again.contains("already exists"))
        // The session stays on its own file.
        Self.run(&s, #"create account name = "B""#)
        #expect(try Self.open(path).database["accounts"].count == 5)
        #expect(try Self.open(copy).database["accounts"].count == 4)
    }

    @Test func theDemoSessionMovesToTheFileItSavesTo() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/demo.crmq"
        var s = ChangeStatementTests.session()
        #expect(Self.run(&s, "save \"\(path)\"").contains("changes now go to it"))
        Self.run(&s, #"create account name = "After""#)
        #expect(try Self.open(path).database["accounts"].count == 4)
    }

    @Test func asecondWriterIsRefusedWhileTheFirstHoldsTheFile() throws {
        let (dir, path) = try Self.tinyFile()
        var first = try Self.open(path)
        Self.run(&first, #"create account name = "A""#)
        var second = try Self.open(path)
        // Reading is fine; changing is not while the first session has the journal.
        #expect(try second.query("count accounts").plainRows == [["4"]])
        var console = TranscriptConsole()
        #expect(second.run(SourceText(name: "i", text: #"create account name = "B""#), on: &console) == .failed)
        #expect(console.transcript.contains("is being changed by another crmq process"))
        _ = dir
    }

    @Test func aFileChangedByAnotherProcessIsNotWrittenOver() throws {
        let (dir, path) = try Self.tinyFile()
        var stale = try Self.open(path)
        do {
            var other = try Self.open(path)
            Self.run(&other, #"create account name = "Other""#)
        }
        var console = TranscriptConsole()
        #expect(stale.run(SourceText(name: "i", text: #"create account name = "Mine""#), on: &console) == .failed)
        #expect(console.transcript.contains("was changed by another crmq process since this session opened it"))
        #expect(try Self.open(path).query("find accounts where id = 4 show name").plainRows == [["Other"]])
        _ = dir
    }

    /// A session on a file reads a collection when a statement first uses it; a query, a change and
    /// a save each read what they need, and answer exactly as a session that read everything.
    @Test func collectionsAreReadWhenAStatementFirstNeedsThem() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/demo.crmq"
        _ = try DataFile.writeNew(GoldenRun.demo, to: path)
        var settings = Session.Settings(today: Day.parse("2026-06-15")!)
        settings.now = 0
        var lazy = try Session.open(path, settings: settings).0
        #expect(lazy.unread.count == lazy.database.schema.entities.count)
        Self.run(&lazy, "count opportunities by stage")
        #expect(lazy.unreadColumns["opportunities"]?.contains(0) == false && lazy.unreadColumns["leads"]?.contains(0) == true)
        Self.run(&lazy, "count activities where opportunity.account.industry = \"Retail\" by owner.name")
        #expect(lazy.unreadColumns["accounts"]?.contains(0) == false && lazy.unreadColumns["users"]?.contains(0) == false)
        #expect(lazy.unreadColumns["leads"]?.contains(0) == true)
        // A delete reads every collection that may refer to what it deletes.
        Self.run(&lazy, "delete campaigns where id = 1")
        #expect(!lazy.unread.contains("leads"))
        // A query through `query` reads into a copy and leaves the session as it was.
        let before = lazy.unread
        #expect(try lazy.query("count cases").plainRows == [["300"]])
        #expect(lazy.unread == before)
        var full = Session(database: GoldenRun.demo, settings: settings)
        Self.run(&full, "delete campaigns where id = 1")
        for q in ["count leads by campaign.channel", "find cases where account.country = \"Norway\" show id, subject",
                  "sum value of opportunities by campaign"] {
            #expect(try lazy.query(q).plainRows == full.query(q).plainRows, "\(q)")
        }
        // A transaction's starting point gets what is read while it is open.
        Self.run(&lazy, "begin; update leads set score = 1; count stage_changes; rollback")
        #expect(try lazy.query("count stage_changes").plainRows == full.query("count stage_changes").plainRows)
        #expect(Self.run(&lazy, "save").hasPrefix("saved"))
        #expect(lazy.unread.isEmpty && lazy.snapshot == nil)
        _ = dir
    }

    @Test func theShellOpensAndSavesFiles() throws {
        let dir = try TemporaryDirectory()
        let first = dir.path + "/first.crmq", second = dir.path + "/second crm.crmq"
        var s = ChangeStatementTests.session()
        #expect(Self.run(&s, ".save \(first)").contains("changes now go to it"))
        Self.run(&s, #"create account name = "Kept""#)
        // A file name may hold spaces; a missing file opens as a new, empty one.
        #expect(Self.run(&s, ".open \(second)") == "opened \"\(second)\": a new file, empty until the first change or save\n")
        #expect(try s.query("count accounts").plainRows == [["0"]])
        #expect(Self.run(&s, ".open \(first)") == "opened \"\(first)\": 25 records\n")
        #expect(try s.query("find accounts where id = 4 show name").plainRows == [["Kept"]])
        let refused = Self.run(&s, "begin\n.open \(second)")
        #expect(refused.contains("error: a transaction is open"))
        #expect(s.inTransaction, "a shell command's error leaves the transaction open")
        #expect(Self.run(&s, ".open").contains(".open needs a file"))
    }

    @Test func checkDescribesTheFileAndItsJournal() throws {
        let (dir, path) = try Self.tinyFile()
        var s = try Self.open(path)
        Self.run(&s, #"update opportunities set stage = "Closed Won" where id = 1"#)
        let report = try DataFileReport.check(path)
        #expect(report.contains("crmq data file, format version 1"))
        #expect(report.contains("all checksums match"))
        #expect(report.contains("opportunities        6        7      15"))
        #expect(report.contains("1 change record (3 changes)"))
        #expect(report.hasSuffix("OK\n"))
        _ = dir
    }
}
