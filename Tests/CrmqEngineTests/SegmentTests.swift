import Foundation
import Testing
@testable import CrmqEngine

/// Segments in a session: each form answers as its condition written out does, the checks of
/// `define` and `drop`, transactions, and the catalog kept in the data file and its journal.
@Suite struct SegmentTests {
    static func session(_ db: Database = TinyCRM.build()) -> Session {
        var settings = Session.Settings(today: TinyCRM.today)
        settings.now = TinyCRM.today * 86_400 + 43_200
        settings.format = .csv
        return Session(database: db, settings: settings)
    }

    /// Runs `text`; what it wrote, and its diagnostics alone ("" when none).
    @discardableResult
    static func run(_ s: inout Session, _ text: String) -> (out: String, errors: String) {
        var console = TranscriptConsole()
        s.settings.keepGoing = true
        _ = s.run(SourceText(name: "input", text: text), on: &console)
        let t = console.transcript
        let errors = t.split(separator: "\n", omittingEmptySubsequences: false)
            .drop { !$0.hasPrefix("error:") }.joined(separator: "\n")
        return (t, errors)
    }

    static func answer(_ s: Session, _ text: String) throws -> [[String]] {
        let r = try s.query(text)
        return (0..<r.rowCount).map { row in r.columns.indices.map { r.value(row: row, column: $0).plainText } }
    }

    static let definitions = """
        define segment smb as accounts where employees < 200
        define segment nordic_smb as smb where country in ("Norway", "Sweden", "Denmark")
        define segment decision_makers as contacts where role = "decision maker" and account in smb
        """

    /// Each form gives what the same question with the condition written out gives.
    @Test(arguments: [
        ("find nordic_smb show name, city", "find accounts where employees < 200 and country in (\"Norway\", \"Sweden\", \"Denmark\") show name, city"),
        ("count smb by industry", "count accounts where employees < 200 by industry"),
        ("sum annual_revenue of smb", "sum annual_revenue of accounts where employees < 200"),
        ("count contacts where account in smb", "count contacts where account.employees < 200"),
        ("count contacts where account not in smb", "count contacts where not (account is not null and account.employees < 200)"),
        ("find opportunities where account not in nordic_smb and stage = \"Negotiation\"",
         "find opportunities where not (account.employees < 200 and account.country in (\"Norway\", \"Sweden\", \"Denmark\")) and stage = \"Negotiation\""),
        ("count accounts where id in nordic_smb", "count accounts where employees < 200 and country in (\"Norway\", \"Sweden\", \"Denmark\")"),
        ("count smb where id not in nordic_smb", "count accounts where employees < 200 and country not in (\"Norway\", \"Sweden\", \"Denmark\")"),
        ("count decision_makers", "count contacts where role = \"decision maker\" and account.employees < 200"),
        ("count opportunities where contact in decision_makers or account in nordic_smb",
         "count opportunities where (contact.role = \"decision maker\" and contact.account.employees < 200) or (account.employees < 200 and account.country in (\"Norway\", \"Sweden\", \"Denmark\"))"),
        ("count activities where opportunity.account in smb", "count activities where opportunity.account.employees < 200"),
    ])
    func formsAnswerAsTheirConditionWrittenOut(_ form: String, _ written: String) throws {
        var s = Self.session()
        #expect(Self.run(&s, Self.definitions).errors == "")
        #expect(try Self.answer(s, form) == Self.answer(s, written))
        // And on every plan the planner can make, the same as a plain scan.
        let statement = try Parser.parseAll(SourceText(name: "q", text: form))[0]
        let bound = try s.binder.bind(statement)
        for passes in [Planner.allPasses, []] {
            let planner = Planner(s.database, passes: passes)
            switch bound {
            case .find(let q):
                let rows = try FindExecutor(db: s.database).run(planner.plan(q)).rowCount
                #expect(rows == (try s.query(written)).rowCount)
            case .aggregate(let q):
                let r = try AggregateExecutor(db: s.database).run(planner.plan(q))
                #expect(r.rowCount == (try s.query(written)).rowCount)
            default:
                Issue.record("a query")
            }
        }
    }

    @Test func theDemoDataGivesTheSameAnswersBothWays() throws {
        var s = Self.session(GoldenRun.demo)
        #expect(Self.run(&s, Self.definitions).errors == "")
        #expect(try Self.answer(s, "count contacts where account in nordic_smb")
                == Self.answer(s, "count contacts where account.employees < 200 and account.country in (\"Norway\", \"Sweden\", \"Denmark\")"))
        // Through the reverse index: the segment is planned on accounts, then carried back.
        let plan = Self.run(&s, "explain count contacts where account in smb").out
        #expect(plan.contains("USING REVERSE INDEX account (account in smb)"), "\(plan)")
    }

    /// Relative dates in a segment stay relative: it is bound again at each use.
    @Test func relativeDatesFollowToday() throws {
        var s = Self.session()
        Self.run(&s, "define segment closing_soon as opportunities where close_date within next 10 days")
        let now = try Self.answer(s, "count closing_soon")
        let written = try Self.answer(s, "count opportunities where close_date within next 10 days")
        #expect(now == written)
        s.settings.today += 200
        #expect(try Self.answer(s, "count closing_soon") == Self.answer(s, "count opportunities where close_date within next 10 days"))
        #expect(try Self.answer(s, "count closing_soon") != now || now == [["0"]])
    }

    @Test func fiscalPeriodsFollowTheSetting() throws {
        var s = Self.session()
        Self.run(&s, "define segment this_fq as opportunities where close_date in this fiscal quarter")
        // Calendar Q2 (April to June) by default; with a February start, fiscal Q2 is May to July.
        #expect(try Self.answer(s, "count this_fq") == Self.answer(s, "count opportunities where close_date between 2026-04-01 and 2026-06-30"))
        #expect(Self.run(&s, "set fiscal year start = February").errors == "")
        #expect(try Self.answer(s, "count this_fq") == Self.answer(s, "count opportunities where close_date between 2026-05-01 and 2026-07-31"))
        #expect(Self.run(&s, "set fiscal year start = 13").errors.contains("\"13\" is not a month"))
        #expect(Self.run(&s, "set fiscal year start = apirl").errors.contains("did you mean \"april\"?"))
        #expect(s.database.catalog.fiscalYearStartMonth == 2)
    }

    @Test func definitionsAreChecked() {
        var s = Self.session()
        Self.run(&s, Self.definitions)
        func error(_ text: String) -> String { Self.run(&s, text).errors }
        #expect(error("define segment smb as accounts").contains("segment \"smb\" is already defined (as accounts where employees < 200)"))
        #expect(error("define segment smb as accounts").contains("drop segment smb first"))
        #expect(error("define segment account as accounts").contains("is the name of an entity"))
        #expect(error("define segment x as acounts").contains("did you mean \"accounts\"?"))
        #expect(error("define segment x as smbb").contains("did you mean \"smb\"?"))
        #expect(error("define segment x as accounts where vaule > 1").contains("unknown field \"vaule\""))
        #expect(error("drop segment smb").contains("cannot drop segment \"smb\": segment \"nordic_smb\", \"decision_makers\" use it"))
        #expect(error("drop segment nordic").contains("did you mean \"nordic_smb\"?"))
        #expect(error("count contacts where account in nordic_smbb").contains("did you mean \"nordic_smb\"?"))
        #expect(error("count contacts where id in smb").contains("\"id\" is an id of contacts, but smb is a segment of accounts"))
        #expect(error("count contacts where first_name in smb").contains("\"first_name\" is a text field"))
        #expect(error("count contacts where account in accounts").contains("\"accounts\" is an entity"))
        #expect(error("update smb set industry = \"Retail\"").contains("\"smb\" is a segment; here an entity is needed"))
        #expect(error("count smb having count in smb").contains("\"having\" compares result columns"))
        // Nothing of that changed the catalog.
        #expect(s.database.catalog.segments.map(\.name) == ["smb", "nordic_smb", "decision_makers"])
        #expect(s.database.catalog.segments[2].uses == ["smb"])
        // Dropped in the right order, they go.
        #expect(error("drop segment decision_makers; drop segment nordic_smb; drop segment smb") == "")
        #expect(s.database.catalog.segments.isEmpty)
    }

    /// A segment that uses another several times, itself used several times, grows geometrically:
    /// refused at its definition, never a hang at its use.
    @Test func aSegmentThatWouldExpandTooFarIsRefused() {
        var s = Self.session()
        var script = "define segment s0 as accounts where employees < 200\n"
        for i in 1...9 {
            script += "define segment s\(i) as accounts where " + Array(repeating: "id in s\(i - 1)", count: 4).joined(separator: " or ") + "\n"
        }
        let errors = Self.run(&s, script).errors
        #expect(errors.contains("would expand to a condition of more than 50,000 tests"))
        #expect(s.database.catalog.segments.count < 10)
        #expect(Self.run(&s, "count s\(s.database.catalog.segments.count - 1)").errors == "")
    }

    @Test func aTransactionRollsDefinitionsBack() {
        var s = Self.session()
        Self.run(&s, "define segment smb as accounts where employees < 200")
        Self.run(&s, "begin; drop segment smb; define segment big as accounts where employees >= 200; set fiscal year start = july; rollback")
        #expect(s.database.catalog.segments.map(\.name) == ["smb"])
        #expect(s.database.catalog.fiscalYearStartMonth == 1)
        // A failing statement in a transaction rolls the definitions back too.
        Self.run(&s, "begin; define segment big as accounts where employees >= 200; count nothing; commit")
        #expect(s.database.catalog.segments.map(\.name) == ["smb"])
        Self.run(&s, "begin; define segment big as accounts where employees >= 200; commit")
        #expect(s.database.catalog.segments.map(\.name) == ["smb", "big"])
    }

    @Test func storedConditionsAreSpelledCanonically() throws {
        var s = Self.session()
        Self.run(&s, """
            define segment odd as opportunities where value > -5 and (name in ("Proposal",'Nego"tiation') -- a comment
               or   close_date   within last  30 days) and account.name != "A\\\\B"
            """)
        let text = try #require(s.database.catalog.segment(named: "odd")?.condition)
        #expect(text == #"value > -5 and (name in ("Proposal", "Nego\"tiation") or close_date within last 30 days) and account.name != "A\\B""#)
        // The spelling parses back to the same condition.
        let again = try Parser.storedCondition(text, name: "odd")
        let first = try Parser.storedCondition(text, name: "odd")
        #expect(again == first)
        #expect(Self.run(&s, "count odd").errors == "")
    }

    /// `set fiscal` at the start of a line starts a statement (recovery after an error stops there);
    /// `set FIELD = ...` on a line of its own still goes on an `update`.
    @Test func aSettingLineStartsAStatement() throws {
        var s = Self.session()
        let (_, errors) = Self.run(&s, "find accounts where (\nset fiscal year start = july\ncount accounts")
        #expect(errors.contains("the next line starts a new statement"))
        #expect(s.database.catalog.fiscalYearStartMonth == 7)
        #expect(Self.run(&s, "update opportunities\n  set stage = \"Negotiation\" where id = 2").errors == "")
        #expect(try Self.answer(s, "find opportunities where id = 2 show stage") == [["Negotiation"]])
        // A script read as it arrives runs the statement before a `set fiscal` line at once.
        let pieces = StatementStreamTests.pieces("count users\nset fiscal year start = may\n", blockSize: 1 << 20)
        #expect(pieces.map(\.text) == ["count users\n", "set fiscal year start = may\n"])
        let update = StatementStreamTests.pieces("update opportunities\n  set stage = \"Proposal\"\n", blockSize: 1 << 20)
        #expect(update.count == 1)
    }

    // MARK: - Persistence

    @Test func segmentsAreKeptInTheFileAndItsJournal() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/crm.crmq"
        _ = try DataFile.writeNew(TinyCRM.build(), to: path)
        var settings = Session.Settings(today: TinyCRM.today)
        settings.format = .csv
        func open() throws -> Session { try Session.open(path, settings: settings).0 }

        // One session defines and leaves without saving (it holds the journal's lock until it ends).
        let (expected, answer): (Catalog, [[String]]) = try {
            var s = try open()
            #expect(Self.run(&s, Self.definitions + "\nset fiscal year start = april").errors == "")
            Self.run(&s, "begin; define segment gone as accounts; rollback")
            return (s.database.catalog, try Self.answer(s, "count decision_makers"))
        }()
        #expect(expected.segments.count == 3 && expected.fiscalYearStartMonth == 4)
        // Not saved: the journal has them (as after a kill -9 once they were reported).
        var reopened = try open()
        #expect(reopened.database.catalog == expected)
        #expect(try Self.answer(reopened, "count decision_makers") == answer)
        let report = try DataFileReport.check(path)
        #expect(report.contains("format version 1"))
        #expect(report.contains("segments: smb (accounts), nordic_smb (accounts), decision_makers (contacts)"))
        #expect(report.contains("fiscal year starts in April"))

        // Saved: the snapshot has them, in format 2.
        Self.run(&reopened, "save")
        let saved = try SnapshotReader.read(path: path)
        #expect(saved.version == 2)
        #expect(saved.database.catalog == expected)
        reopened = Self.session()  // lets go of the journal
        var third = try open()
        #expect(third.database.catalog == expected)

        // Dropped again after the save: the journal records the drops; saved, the file is format 1.
        Self.run(&third, "drop segment decision_makers; drop segment nordic_smb; drop segment smb; set fiscal year start = 1")
        #expect(try open().database.catalog == Catalog())
        Self.run(&third, "save")
        #expect(try SnapshotReader.read(path: path).version == 1)
    }

    static func catalogDatabase() -> Database {
        var db = TinyCRM.build()
        db.catalog.apply(.defineSegment(SegmentDefinition(name: "smb", base: "accounts", entity: "accounts", condition: "employees < 200")))
        db.catalog.apply(.defineSegment(SegmentDefinition(name: "nordic_smb", base: "smb", entity: "accounts", condition: nil)))
        db.catalog.apply(.defineSegment(SegmentDefinition(name: "buyers", base: "contacts", entity: "contacts",
                                                          condition: "account in smb", uses: ["smb"])))
        db.catalog.apply(.fiscalYearStart(month: 4))
        return db
    }

    @Test func aSnapshotWithSegmentsReadsBack() throws {
        let bytes = SnapshotWriter.bytes(of: Self.catalogDatabase(), snapshotId: 0x5EED)
        #expect(bytes[8] == 2)
        let read = try SnapshotReader.read(bytes: bytes, name: "tiny.crmq")
        #expect(read.database.catalog == Self.catalogDatabase().catalog)
        // Without them, format 1 as before.
        #expect(SnapshotWriter.bytes(of: TinyCRM.build())[8] == 1)
    }

    @Test func everyByteFlipOfASnapshotWithSegmentsIsDetected() {
        let bytes = SnapshotWriter.bytes(of: Self.catalogDatabase(), snapshotId: 0x5EED, savedAt: 1_780_000_000)
        var undetected: [Int] = []
        var unclear: [String] = []
        for i in bytes.indices {
            for mask: UInt8 in [0xFF, 0x01] {
                var damaged = bytes
                damaged[i] ^= mask
                guard let error = CorruptionTests.load(damaged) else { undetected.append(i); continue }
                if !CorruptionTests.isClear(error) { unclear.append(error.message) }
            }
        }
        #expect(undetected.isEmpty, "flips at \(undetected.prefix(10)) were not detected")
        #expect(unclear.isEmpty, "unclear messages: \(unclear.prefix(3))")
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect(CorruptionTests.load(Array(bytes[..<length]))?.kind == .truncated)
        }
    }

    /// A format 2 file whose catalog breaks the rules `define` keeps, checksums made to match.
    @Test func aCatalogThatBreaksTheRulesIsRefused() throws {
        var db = TinyCRM.build()
        db.catalog.apply(.defineSegment(SegmentDefinition(name: "x", base: "nowhere", entity: "accounts", condition: nil)))
        let error = try #require(CorruptionTests.load(SnapshotWriter.bytes(of: db)))
        #expect(error.message.contains("segment \"x\" narrows \"nowhere\", which is not a segment of accounts"))
        var clash = TinyCRM.build()
        clash.catalog.apply(.defineSegment(SegmentDefinition(name: "Accounts", base: "accounts", entity: "accounts", condition: nil)))
        #expect(try #require(CorruptionTests.load(SnapshotWriter.bytes(of: clash))).message.contains("has the name of an entity"))
    }

    /// Catalog changes in a journal: replayed in order, and a damaged one refused or, last, dropped.
    @Test func journalRecordsOfCatalogChanges() throws {
        let changes: [[DataChange]] = [
            [.catalog(.defineSegment(SegmentDefinition(name: "smb", base: "accounts", entity: "accounts", condition: "employees < 200")))],
            [.catalog(.fiscalYearStart(month: 10)), .catalog(.defineSegment(SegmentDefinition(name: "b", base: "smb", entity: "accounts", condition: nil)))],
            [.catalog(.dropSegment(name: "b"))],
        ]
        var bytes = JournalFormat.header(snapshotId: 0x5EED)
        var starts: [Int] = []
        for (n, record) in changes.enumerated() {
            starts.append(bytes.count)
            bytes += JournalFormat.record(record, sequence: UInt64(n + 1), committedAt: 1_780_000_000, schema: .standard)
        }
        let (db, torn) = try CorruptionTests.replay(bytes).get()
        #expect(!torn)
        #expect(db.catalog.segments.map(\.name) == ["smb"])
        #expect(db.catalog.fiscalYearStartMonth == 10)
        for i in stride(from: 0, to: bytes.count, by: 3) {
            var damaged = bytes
            damaged[i] ^= 0x01
            switch CorruptionTests.replay(damaged) {
            case .success(let (db, torn)):
                #expect(i >= starts[2] && torn, "a flip at \(i) went unnoticed")
                #expect(db.catalog.segments.map(\.name) == ["smb", "b"])
            case .failure(let error):
                #expect(i < starts[2], "a flip at \(i), in the last record, was not taken for a torn write")
                #expect(CorruptionTests.isClear(error, file: "tiny.crmq-journal"), "\(i): \(error.message)")
            }
        }
        // A drop of a segment in use does not fit the data: the journal is refused.
        var bad = JournalFormat.header(snapshotId: 0x5EED)
        bad += JournalFormat.record(changes[0] + changes[1], sequence: 1, committedAt: 0, schema: .standard)
        bad += JournalFormat.record([.catalog(.dropSegment(name: "smb"))], sequence: 2, committedAt: 0, schema: .standard)
        guard case .failure(let error) = CorruptionTests.replay(bad) else { Issue.record("a drop in use replayed"); return }
        #expect(error.message.contains("segment \"smb\" is dropped while \"b\" uses it"))
    }
}

/// `define segment` survives a kill -9 once it is reported, as a record change does: the journal
/// record is on the disk before the line is printed.
@Suite struct SegmentCrashTests {
    @Test func definitionsReportedBeforeAKillAreInTheFile() throws {
        let dir = try TemporaryDirectory()
        let path = try CrashTests.demoFile(dir, scale: 0.001)
        var rng = DiffRandom(seed: 0x5E9)
        for round in 0..<6 {
            let statements = (0..<60).map { "define segment r\(round)_s\($0) as accounts where employees < \($0 + 1)" }
                + ["set fiscal year start = \(round + 2)"]
            let (p, transcript) = try CrashTests.start(path, statements)
            _ = CrashTests.kill(p, afterLines: rng.int(in: 1...40), of: transcript)
            let reported = transcript.lines.filter { $0.hasPrefix("defined segment r\(round)_") }.count
            let catalog = try DataFile.open(path).database.catalog
            let kept = catalog.segments.filter { $0.name.hasPrefix("r\(round)_") }.map(\.name)
            // Every reported one is there, in order (and perhaps some committed but not yet read from the pipe).
            #expect(kept.count >= reported, "round \(round): \(reported) reported, \(kept.count) kept")
            #expect(kept == (0..<kept.count).map { "r\(round)_s\($0)" })
        }
        // The file opens in a session and its segments answer.
        var settings = Session.Settings(today: TinyCRM.today)
        settings.format = .csv
        let s = try Session.open(path, settings: settings).0
        let first = try #require(s.database.catalog.segments.first)
        #expect(throws: Never.self) { try s.query("count \(first.name)") }
    }
}
