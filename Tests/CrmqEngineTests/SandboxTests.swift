import Foundation
import Testing
@testable import CrmqEngine

/// `sandbox`, `sandbox diff`, `sandbox apply`, `sandbox discard`: changes kept in memory and out
/// of the journal, shown, committed as one record (on top of another process's changes when
/// they do not conflict), or thrown away; and every misuse.
@Suite struct SandboxTests {
    static func memory() -> Session {
        var settings = Session.Settings(today: TinyCRM.today)
        settings.now = TinyCRM.today * 86_400 + 43_200
        return Session(database: TinyCRM.build(), settings: settings)
    }

    @discardableResult
    static func run(_ s: inout Session, _ text: String) -> String {
        DataFileTests.run(&s, text)
    }

    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    static func journalRecords(_ path: String) throws -> Int { try DataFile.open(path).replayed }

    // MARK: - Each statement

    @Test func eachStatementSaysWhatItDid() throws {
        var s = Self.memory()
        #expect(Self.run(&s, "sandbox") == "sandbox started: changes stay in memory until sandbox apply or sandbox discard\n")
        #expect(s.inSandbox)
        Self.run(&s, #"update opportunities set stage = "Negotiation" where id = 2"#)
        let diff = Self.run(&s, "sandbox diff")
        #expect(diff.hasPrefix("sandbox diff: 1 statement, 2 records would change\n"))
        #expect(diff.contains(#"opportunities: 1 updated"#))
        #expect(diff.contains(#"  ~ 2 ("#) && diff.contains(#"stage "Proposal" -> "Negotiation""#))
        #expect(diff.contains("stage_changes: 1 created"))
        #expect(Self.run(&s, "sandbox discard") == "discarded the sandbox: 1 statement undone\n")
        #expect(!s.inSandbox)
        #expect(try s.query("count stage_changes").plainRows == [["0"]])
        Self.run(&s, "sandbox")
        Self.run(&s, #"create account name = "Kept AS""#)
        #expect(Self.run(&s, "sandbox apply") == "applied the sandbox: 1 statement, 1 record changed\n")
        #expect(try s.query(#"count accounts where name = "Kept AS""#).plainRows == [["1"]])
    }

    @Test func anEmptySandboxDiffsToNothing() throws {
        var s = Self.memory()
        Self.run(&s, "sandbox")
        #expect(Self.run(&s, "sandbox diff") == "sandbox diff: 0 statements, nothing would change\n")
        // An update back to the value it had changes nothing to show.
        Self.run(&s, "update leads set score = 80 where id = 1; update leads set score = 40 where id = 1")
        #expect(try s.query("find leads where id = 1 show score").plainRows == [["40"]])
        #expect(Self.run(&s, "sandbox diff") == "sandbox diff: 2 statements, nothing would change\n")
    }

    @Test func aBulkDiffCountsEveryRowAndListsTheFirst() throws {
        var s = Self.memory()
        Self.run(&s, "sandbox")
        Self.run(&s, "update opportunities set value = 1")
        let n = try s.query("count opportunities").plainRows[0][0]
        let diff = Self.run(&s, "sandbox diff")
        #expect(diff.contains("opportunities: \(n) updated\n"))
        let listed = diff.split(separator: "\n").filter { $0.hasPrefix("  ~ ") }.count
        #expect(listed == min(Int(n)!, SandboxDiff.shown))
        if Int(n)! > SandboxDiff.shown { #expect(diff.contains("  ... and \(Int(n)! - SandboxDiff.shown) more updated\n")) }
        Self.run(&s, "delete leads where id = 1")
        #expect(Self.run(&s, "sandbox diff").contains("leads: 1 deleted\n  - 1 ("))
    }

    /// Queries in a sandbox answer exactly as on data where the same changes were made for real,
    /// and after `sandbox discard` exactly as before: plain, aggregate, `as of` (its cached view),
    /// segments, related records and a report.
    @Test func queriesInASandboxAnswerAsTheChangedDataDoes() throws {
        let queries = [
            "count, sum value of opportunities by stage",
            "count opportunities as of 2026-06-15 by stage",
            "find accounts where any opportunities (stage = \"Negotiation\" and value > 20000) show name order by name limit 20",
            "count activities by opportunity.stage",
            "report funnel",
        ]
        let changes = [
            #"update opportunities set stage = "Negotiation" where stage = "Proposal" and value > 20000"#,
            #"delete leads where status = "unqualified""#,
            #"create account name = "Sandbox AS", industry = "Retail""#,
        ]
        var settings = Session.Settings(today: Day.parse("2026-06-15")!)
        settings.now = Day.parse("2026-06-15")! * 86_400 + 43_200
        var real = Session(database: GoldenRun.demo, settings: settings)
        var sandboxed = real
        // Run as typed, so that the session keeps its `as of` view between statements.
        func answers(_ s: inout Session) -> [String] { queries.map { Self.run(&s, $0) } }
        let before = answers(&sandboxed)
        Self.run(&sandboxed, "sandbox")
        _ = answers(&sandboxed)  // the as-of view is built and kept before the changes
        for c in changes {
            Self.run(&sandboxed, c)
            Self.run(&real, c)
        }
        let inSandbox = answers(&sandboxed)
        #expect(inSandbox == answers(&real))
        #expect(inSandbox != before)
        #expect(!inSandbox.joined().contains("error"))
        Self.run(&sandboxed, "sandbox discard")
        #expect(answers(&sandboxed) == before)
    }

    // MARK: - Misuse

    @Test func misusesAreRefusedWithWhy() throws {
        var s = Self.memory()
        for what in ["diff", "apply", "discard"] {
            #expect(Self.run(&s, "sandbox \(what)").contains("error: there is no sandbox to \(what)"))
        }
        Self.run(&s, "sandbox")
        #expect(Self.run(&s, "sandbox").contains("error: a sandbox is already open (0 statements in it)"))
        #expect(Self.run(&s, "save \"x.crmq\"").contains("error: save is not allowed in a sandbox"))
        #expect(Self.run(&s, ".open x.crmq").contains("error: .open is not allowed in a sandbox"))
        #expect(Self.run(&s, "sandbox dif").contains(#"did you mean "diff"?"#))
        #expect(s.inSandbox)
        Self.run(&s, "sandbox discard")
        Self.run(&s, "begin")
        #expect(Self.run(&s, "sandbox").contains("error: a transaction is open"))
        #expect(s.inTransaction && !s.inSandbox)
    }

    @Test func applyWaitsForATransactionInsideTheSandbox() throws {
        var s = Self.memory()
        Self.run(&s, "sandbox; begin")
        Self.run(&s, #"create account name = "In a transaction""#)
        let refused = Self.run(&s, "sandbox apply")
        #expect(refused.contains("error: a transaction is open in the sandbox"))
        #expect(refused.contains("commit or rollback it first"))
        // The refusal leaves the transaction open, and the diff says what it holds.
        #expect(s.inTransaction && s.inSandbox)
        #expect(Self.run(&s, "sandbox diff").contains("(a transaction is open: its 1 statement joins the sandbox at commit)"))
        Self.run(&s, "commit")
        #expect(Self.run(&s, "sandbox diff").contains("accounts: 1 created"))
        #expect(Self.run(&s, "sandbox apply").hasPrefix("applied the sandbox: 1 statement, 1 record changed"))
        // A rollback inside the sandbox undoes back to the sandbox's data, not further.
        Self.run(&s, "sandbox; create account name = \"One\"; begin; create account name = \"Two\"; rollback")
        #expect(Self.run(&s, "sandbox diff").contains("accounts: 1 created"))
        #expect(Self.run(&s, "sandbox discard") == "discarded the sandbox: 1 statement undone\n")
    }

    // MARK: - On a file

    @Test func aBulkUpdateTriedDiffedAndDiscardedLeavesDataAndFileAsTheyWere() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var s = try DataFileTests.open(path)
        Self.run(&s, #"create account name = "Before""#)  // a journal to compare too
        let snapshot = Self.bytes(path), journal = Self.bytes(path + "-journal")
        let before = try s.query("find opportunities show id, stage, probability, value").plainRows
        Self.run(&s, "sandbox")
        Self.run(&s, #"update opportunities set stage = "Negotiation", value = 1"#)
        #expect(try s.query("find opportunities show id, stage, probability, value").plainRows != before)
        #expect(Self.run(&s, "sandbox diff").contains("opportunities: "))
        #expect(Self.bytes(path) == snapshot && Self.bytes(path + "-journal") == journal)
        Self.run(&s, "sandbox discard")
        #expect(try s.query("find opportunities show id, stage, probability, value").plainRows == before)
        #expect(try s.query("count stage_changes").plainRows == [["0"]])
        #expect(Self.bytes(path) == snapshot && Self.bytes(path + "-journal") == journal)
        _ = dir
    }

    @Test func anImportInASandboxIsDiffedAndDiscardedWithoutTouchingTheFile() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        let csv = dir.path + "/accounts.csv"
        try "name,industry,country\nFjord AS,Retail,Norway\nKlippe AB,Retail,Sweden\n".write(toFile: csv, atomically: true, encoding: .utf8)
        var s = try DataFileTests.open(path)
        Self.run(&s, "sandbox")
        let imported = Self.run(&s, "import accounts from \"\(csv)\"")
        #expect(!imported.contains("error"), "\(imported)")
        let diff = Self.run(&s, "sandbox diff")
        #expect(diff.contains("accounts: 2 created\n  + 4 (\"Fjord AS\"): name \"Fjord AS\", industry \"Retail\", country \"Norway\""))
        Self.run(&s, "sandbox discard")
        #expect(try s.query("count accounts").plainRows == [["3"]])
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        Self.run(&s, "sandbox; import accounts from \"\(csv)\"; sandbox apply")
        #expect(try Self.journalRecords(path) == 1)
        #expect(try DataFileTests.open(path).query("count accounts").plainRows == [["5"]])
        _ = dir
    }

    @Test func applyWritesOneRecordAndTheFileReopensToTheSandboxData() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var s = try DataFileTests.open(path)
        Self.run(&s, "sandbox")
        Self.run(&s, #"update opportunities set stage = "Negotiation" where id <= 2"#)
        Self.run(&s, #"create account name = "Sandboxed AS""#)
        Self.run(&s, "delete leads where id = 1")
        Self.run(&s, "define segment big as opportunities where value > 10000")
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        let out = Self.run(&s, "sandbox apply")
        #expect(out.hasPrefix("applied the sandbox: 4 statements, "))
        #expect(out.hasSuffix("committed as one transaction\n"))
        #expect(try Self.journalRecords(path) == 1)
        let again = try DataFileTests.open(path)
        SnapshotTests.expectSameData(s.database, again.database)
        #expect(try again.query("count big").plainRows == (try s.query("count big").plainRows))
        _ = dir
    }

    @Test func aCustomFieldAddedInASandbox() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var s = try DataFileTests.open(path)
        Self.run(&s, "sandbox")
        Self.run(&s, #"add field tier to accounts as enum ("Gold", "Silver")"#)
        Self.run(&s, #"update accounts set tier = "Gold" where id = 1"#)
        let diff = Self.run(&s, "sandbox diff")
        #expect(diff.contains("schema and catalog:\n  added field tier to accounts"))
        #expect(diff.contains(#"tier null -> "Gold""#))
        Self.run(&s, "sandbox discard")
        #expect(Self.run(&s, "count accounts by tier").contains(#"unknown field "tier""#))
        Self.run(&s, "sandbox")
        Self.run(&s, #"add field tier to accounts as enum ("Gold", "Silver"); update accounts set tier = "Gold" where id = 1"#)
        Self.run(&s, "sandbox apply")
        #expect(try DataFileTests.open(path).query("find accounts where tier = \"Gold\" show id").plainRows == [["1"]])
        _ = dir
    }

    /// Two sessions on one file, as two crmq processes: the second commits while the first has a
    /// sandbox open (and has not written, so it holds no lock).
    @Test func aConflictingChangeByAnotherSessionRefusesApply() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var mine = try DataFileTests.open(path)
        Self.run(&mine, "sandbox")
        Self.run(&mine, "update leads set score = 1 where id = 1")
        do {
            var other = try DataFileTests.open(path)
            Self.run(&other, "update leads set score = 2 where id = 1")
        }
        let journal = Self.bytes(path + "-journal")
        let refused = Self.run(&mine, "sandbox apply")
        #expect(refused.contains("error: cannot apply the sandbox: another crmq process changed lead 1, which the sandbox changes too"))
        #expect(refused.contains("the sandbox is still open"))
        #expect(mine.inSandbox)
        #expect(Self.bytes(path + "-journal") == journal)
        #expect(try DataFileTests.open(path).query("find leads where id = 1 show score").plainRows == [["2"]])
        _ = dir
    }

    @Test func aNonConflictingChangeByAnotherSessionIsKeptAndTheSandboxGoesOnTop() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var mine = try DataFileTests.open(path)
        Self.run(&mine, "sandbox")
        Self.run(&mine, "update leads set score = 1 where id = 1")
        do {
            var other = try DataFileTests.open(path)
            Self.run(&other, "update leads set score = 2 where id = 2")
            Self.run(&other, #"create account name = "Theirs""#)
        }
        #expect(Self.run(&mine, "sandbox apply").hasPrefix("applied the sandbox: 1 statement, 1 record changed"))
        let rows = [["1", "1"], ["2", "2"], ["3", "60"]]
        #expect(try mine.query("find leads show id, score order by id").plainRows == rows)
        #expect(try mine.query(#"count accounts where name = "Theirs""#).plainRows == [["1"]])
        let again = try DataFileTests.open(path)
        #expect(try again.query("find leads show id, score order by id").plainRows == rows)
        SnapshotTests.expectSameData(mine.database, again.database)
        #expect(try Self.journalRecords(path) == 3)
        // The session goes on writing after the other process's records.
        Self.run(&mine, "update leads set score = 3 where id = 2")
        #expect(try DataFileTests.open(path).query("find leads where id = 2 show score").plainRows == [["3"]])
        _ = dir
    }

    @Test func recordsCreatedOnBothSidesAreKeptAndTheSandboxsAreNumberedAfter() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var mine = try DataFileTests.open(path)
        Self.run(&mine, "sandbox")
        Self.run(&mine, #"create account name = "Mine""#)
        Self.run(&mine, #"create contact last_name = "Mine", account = 4"#)
        Self.run(&mine, #"update opportunities set stage = "Negotiation" where id = 2"#)
        do {
            var other = try DataFileTests.open(path)
            Self.run(&other, #"create account name = "Theirs""#)
            Self.run(&other, #"update opportunities set stage = "Closed Won" where id = 1"#)
        }
        let out = Self.run(&mine, "sandbox apply")
        #expect(out.hasPrefix("applied the sandbox: 3 statements, "))
        #expect(out.contains("numbered after theirs: accounts from 5, stage_changes from 2"))
        let accounts = [["4", "Theirs"], ["5", "Mine"]]
        #expect(try mine.query("find accounts where id >= 4 show id, name").plainRows == accounts)
        #expect(try mine.query(#"find contacts where last_name = "Mine" show account.name"#).plainRows == [["Mine"]])
        let again = try DataFileTests.open(path)
        SnapshotTests.expectSameData(mine.database, again.database)
        #expect(try again.query("find accounts where id >= 4 show id, name").plainRows == accounts)
        #expect(try again.query("find stage_changes show id, opportunity, to_stage").plainRows
                == [["1", "1", "Closed Won"], ["2", "2", "Negotiation"]])
        _ = dir
    }

    /// A session reads each collection when a statement first needs it: the other process's
    /// changes to one this session never read are read and kept too.
    @Test func anotherSessionsChangesToACollectionNotReadYetAreKept() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var settings = Session.Settings(today: TinyCRM.today)
        settings.now = TinyCRM.today * 86_400 + 43_200
        var mine = try Session.open(path, settings: settings).0
        Self.run(&mine, "sandbox; update leads set score = 1 where id = 1")
        #expect(mine.unread.contains("campaigns"))
        do {
            var other = try DataFileTests.open(path)
            Self.run(&other, #"create campaign name = "Spring""#)
        }
        #expect(Self.run(&mine, "sandbox apply").hasPrefix("applied the sandbox"))
        #expect(try mine.query(#"count campaigns where name = "Spring""#).plainRows == [["1"]])
        let again = try DataFileTests.open(path)
        #expect(try again.query("find leads where id = 1 show score").plainRows == [["1"]])
        #expect(try again.query(#"count campaigns where name = "Spring""#).plainRows == [["1"]])
        _ = dir
    }

    @Test func aReferenceToARecordTheOtherDeletedOrASaveByTheOtherRefusesApply() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var mine = try DataFileTests.open(path)
        Self.run(&mine, "sandbox; update activities set account = 3 where id = 1")
        do {
            var other = try DataFileTests.open(path)
            Self.run(&other, "delete accounts where id = 3")
        }
        #expect(Self.run(&mine, "sandbox apply").contains("another crmq process deleted account 3, which the sandbox refers to"))
        Self.run(&mine, "sandbox discard")
        var stale = try DataFileTests.open(path)
        Self.run(&stale, "sandbox; update leads set score = 1 where id = 1")
        do {
            var other = try DataFileTests.open(path)
            Self.run(&other, "save")
        }
        #expect(Self.run(&stale, "sandbox apply").contains("another crmq process saved"))
        #expect(stale.inSandbox)
        _ = dir
    }

    @Test func aSchemaChangeOrTheSameSegmentByAnotherSessionRefusesApply() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var mine = try DataFileTests.open(path)
        Self.run(&mine, "sandbox; define segment big as opportunities where value > 10000")
        do {
            var other = try DataFileTests.open(path)
            Self.run(&other, "define segment big as opportunities where value > 20000")
        }
        #expect(Self.run(&mine, "sandbox apply").contains("another crmq process also changed segment big"))
        var second = try DataFileTests.open(path)
        Self.run(&second, "sandbox; update leads set score = 1 where id = 1")
        do {
            var other = try DataFileTests.open(path)
            Self.run(&other, "add field region to accounts as text")
        }
        #expect(Self.run(&second, "sandbox apply")
            .contains("another crmq process changed the schema (added field region to accounts as text)"))
        _ = dir
    }

    // MARK: - The end of a script

    @Test func aScriptThatEndsWithASandboxOpenDiscardsItAndSaysSo() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/crm.crmq"
        _ = try DataFile.writeNew(TinyCRM.build(), to: path)
        let r = try CommandLineDataFileTests.run([path, "-c", "sandbox", "-c", #"create account name = "Lost""#])
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning: the sandbox was discarded, not applied; its 1 statement was undone"))
        #expect(try CommandLineDataFileTests.run([path, "-c", "count accounts"]).stdout.contains("     3\n"))
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
    }
}
