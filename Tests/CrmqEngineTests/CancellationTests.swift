import Foundation
import Testing
@testable import CrmqEngine

/// Cancelling statements (Ctrl-C, `.timeout`): the engine's checks stop scans, sorts, changes,
/// index builds, saves and writers, and a cancelled statement changes nothing.
///
/// No test here waits for time to pass: a statement is held by the test hook (`TestHold`), which
/// says when it has started, and is cancelled from another thread only then; or the token is
/// cancelled before the work starts, which every check must notice.
@Suite struct CancellationTests {
    static let demo = GoldenRun.demo

    static func settings(keepGoing: Bool = false, timeout: Duration? = nil) -> Session.Settings {
        var s = Session.Settings(today: Day.parse("2026-06-15")!)
        s.keepGoing = keepGoing
        s.timeout = timeout
        s.now = s.today * 86_400 + 12 * 3_600
        return s
    }

    /// Runs `text` with a held statement that another thread cancels once the hook says it started.
    /// Returns the transcript, the outcome, and how many statements were held.
    static func runCancellingHeld(_ text: String, in session: inout Session) -> (String, Session.Outcome, Int) {
        let started = DispatchSemaphore(value: 0)
        let held = Counter()
        let token = CancellationToken(hold: TestHold {
            held.increment()
            started.signal()
        })
        let canceller = Thread {
            // Waits for the hook, not for time: a bound only keeps a broken build from hanging the tests.
            _ = started.wait(timeout: .now() + 120)
            token.cancel()
        }
        canceller.start()
        var console = TranscriptConsole()
        let outcome = session.run(SourceText(name: "test", text: text), on: &console, cancellation: Cancellation(token))
        return (console.transcript, outcome, held.value)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    static func cancelled() -> Cancellation {
        let token = CancellationToken()
        token.cancel()
        return Cancellation(token)
    }

    // MARK: - Held statements cancelled from another thread

    @Test func aHeldScanIsCancelledFromAnotherThread() {
        var session = Session(database: Self.demo, settings: Self.settings())
        let (transcript, outcome, held) = Self.runCancellingHeld("find activities order by subject; count users", in: &session)
        #expect(held == 1, "the hook held the scan once, and the run stopped there")
        #expect(outcome == .failed)
        #expect(transcript == "error: cancelled\n", "no rows, and the next statement did not run: \(transcript)")
    }

    @Test func ctrlCStopsARunEvenWithKeepGoing() {
        var session = Session(database: Self.demo, settings: Self.settings(keepGoing: true))
        let (transcript, outcome, _) = Self.runCancellingHeld("count users; .format csv; count leads", in: &session)
        #expect(outcome == .failed)
        #expect(transcript == "error: cancelled\n")
        #expect(session.settings.format == .table, "nothing after the cancelled statement ran")
    }

    @Test func aCancelledUpdateOnManyRowsChangesNothing() throws {
        var session = Session(database: Self.demo, settings: Self.settings())
        let before = try session.query("count activities").plainRows
        let (transcript, outcome, held) = Self.runCancellingHeld(#"update activities set subject = "gone""#, in: &session)
        #expect(held == 1)
        #expect(outcome == .failed)
        #expect(transcript.hasPrefix("error: cancelled"), "\(transcript)")
        #expect(!transcript.contains("updated"))
        #expect(try session.query(#"count activities where subject = "gone""#).plainRows == [["0"]])
        #expect(try session.query("count activities").plainRows == before)
    }

    @Test func aCancelledUpdateLeavesTheDataFileAsItWas() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/cancel.crmq"
        _ = try DataFile.writeNew(Self.demo, to: path)
        let bytes = FileManager.default.contents(atPath: path)
        var (session, _) = try Session.open(path, settings: Self.settings())
        let (_, outcome, held) = Self.runCancellingHeld(#"update activities set subject = "gone""#, in: &session)
        #expect(held == 1 && outcome == .failed)
        #expect(FileManager.default.contents(atPath: path) == bytes, "the snapshot is untouched")
        let journal = FileManager.default.contents(atPath: path + "-journal") ?? Data()
        #expect(!String(decoding: journal, as: UTF8.self).contains("gone"), "nothing was journaled")
        let (reopened, _) = try Session.open(path, settings: Self.settings())
        #expect(try reopened.query(#"count activities where subject = "gone""#).plainRows == [["0"]])
    }

    @Test func aCancelledStatementInATransactionRollsItBack() throws {
        var session = Session(database: Self.demo, settings: Self.settings())
        let text = #"begin; create account name = "Before the cancel"; update activities set subject = "gone""#
        let (transcript, outcome, _) = Self.runCancellingHeld(text, in: &session)
        #expect(outcome == .failed)
        #expect(transcript.contains("error: cancelled"))
        #expect(transcript.contains("the transaction was rolled back: 1 statement undone"), "\(transcript)")
        #expect(!session.inTransaction)
        #expect(try session.query(#"count accounts where name = "Before the cancel""#).plainRows == [["0"]])
    }

    @Test func aCancelledReadStopsTheScript() throws {
        let dir = try TemporaryDirectory()
        let script = dir.path + "/script.crmq"
        try ".format csv\ncount users\n.format json\n".write(toFile: script, atomically: true, encoding: .utf8)
        var session = Session(database: Self.demo, settings: Self.settings(keepGoing: true))
        let (transcript, outcome, held) = Self.runCancellingHeld(".read \(script)\n.format tsv", in: &session)
        #expect(held == 1 && outcome == .failed)
        #expect(transcript.contains("error: cancelled\n"))
        #expect(transcript.contains("\"\(script)\" was cancelled"))
        #expect(session.settings.format == .csv, "the setting before the cancelled statement stands, none after it ran")
    }

    // MARK: - Timeouts

    @Test func aTimeoutCancelsAHeldStatementAndTheScriptGoesOnWithKeepGoing() {
        var session = Session(database: Self.demo, settings: Self.settings(keepGoing: true, timeout: .milliseconds(20)))
        var console = TranscriptConsole()
        let token = CancellationToken(hold: TestHold {})
        let outcome = session.run(SourceText(name: "script.crmq", text: "count users\n.timeout"), on: &console,
                                  cancellation: Cancellation(token))
        #expect(outcome == .failed)
        #expect(console.transcript.hasPrefix("error: cancelled: the statement ran longer than the 0.02 s timeout (.timeout)\n"
                                             + " --> script.crmq:1:1\n"), "\(console.transcript)")
        #expect(console.transcript.hasSuffix("timeout: 0.02 s\n"), "after a timeout the script goes on with keepGoing")
    }

    @Test func timeoutSettingsParse() {
        #expect(StatementTimeout.parse("2") == .some(.seconds(2)))
        #expect(StatementTimeout.parse("0.5") == .some(.milliseconds(500)))
        #expect(StatementTimeout.parse("off") == .some(nil))
        #expect(StatementTimeout.parse("0") == .some(nil))
        #expect(StatementTimeout.parse("-1") == nil)
        #expect(StatementTimeout.parse("1e3") == nil)
        #expect(StatementTimeout.parse("soon") == nil)
        #expect(Cancellation.describe(.milliseconds(1250)) == "1.25 s")
        #expect(Cancellation.describe(.seconds(2)) == "2 s")
    }

    @Test func theTimeoutCommandShowsSetsAndClears() {
        var session = Session(database: Self.demo, settings: Self.settings(keepGoing: true))
        var console = TranscriptConsole()
        _ = session.run(SourceText(name: "t", text: ".timeout\n.timeout 1.5\n.timeout\n.timeout off\n.timeout\n.timeout x"),
                        on: &console)
        #expect(console.transcript.hasPrefix("timeout: off\ntimeout: 1.5 s\ntimeout: off\nerror: \"x\" is not a number of seconds"))
        #expect(session.settings.timeout == nil)
    }

    // MARK: - Every long loop checks: a token cancelled before the work starts stops it

    /// The checked sort sorts in runs and merges them: it must give exactly what a stable sort gives.
    @Test(arguments: [0, 1, 5, 32_768, 32_769, 100_000, 300_001])
    func theCheckedSortIsAStableSort(_ count: Int) throws {
        var rng = DiffRandom(seed: UInt64(count) + 7)
        let values = (0..<count).map { _ in (key: rng.int(in: 0...999), order: 0) }.enumerated().map { ($1.key, $0) }
        var checked = values
        try Cancellation.none.sort(&checked) { $0.0 < $1.0 }
        let expected = values.sorted { $0.0 < $1.0 }
        #expect(checked.map(\.0) == expected.map(\.0))
        #expect(checked.map(\.1) == expected.map(\.1), "ties keep their order")
        if count > 32_768 {
            var stopped = values
            #expect(throws: Diagnostic.self) { try Self.cancelled().sort(&stopped) { $0.0 < $1.0 } }
        }
    }

    @Test func queriesAndAggregatesStop() throws {
        let session = Session(database: Self.demo, settings: Self.settings())
        for text in ["find activities order by subject", "find opportunities order by value desc limit 5",
                     "count activities by subject", "count opportunities by stage", "find opportunities where account.industry = \"Retail\""] {
            #expect((try? session.query(text, cancellation: Self.cancelled())) == nil, "\(text) stops")
            #expect((try? session.query(text)) != nil, "\(text) runs when not cancelled")
        }
    }

    @Test func anIndexBuildStopsAndBuildsNothing() throws {
        var db = Self.demo
        let subject = try #require(db.schema.entity(named: "activities")?.fieldIndex("subject"))
        let due = try #require(db.schema.entity(named: "activities")?.fieldIndex("due_at"))
        db.addIndex(entity: "activities", field: subject)
        db.addIndex(entity: "activities", field: due)
        #expect(throws: Diagnostic.self) { try db.buildIndexes(db.missingIndexes, cancellation: Self.cancelled()) }
        #expect(db["activities"].indexes[subject] == nil && db["activities"].indexes[due] == nil, "no index was built")
        #expect(try db.buildIndexes(db.missingIndexes, cancellation: .none) > 0)
        #expect(db["activities"].indexes[subject] != nil && db["activities"].indexes[due] != nil)
    }

    @Test func aCancelledSaveLeavesTheOldFileAndNoTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/saved.crmq"
        _ = try DataFile.writeNew(Self.demo, to: path)
        let bytes = FileManager.default.contents(atPath: path)
        #expect(throws: DataFileError.self) {
            try SnapshotWriter.write(Self.demo, to: path, snapshotId: 42, cancellation: Self.cancelled())
        }
        #expect(FileManager.default.contents(atPath: path) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["saved.crmq"])
        // A new file is not created at all.
        let copy = dir.path + "/copy.crmq"
        #expect(throws: DataFileError.self) { try DataFile.writeNew(Self.demo, to: copy, cancellation: Self.cancelled()) }
        #expect(!FileManager.default.fileExists(atPath: copy))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["saved.crmq"])
    }

    /// A sink that says it is cancelled: every writer stops within a block of rows.
    struct CancelledSink: OutputSink {
        var text = ""
        mutating func write(_ s: String) { text += s }
        var isCancelled: Bool { true }
    }

    @Test(arguments: OutputFormat.allCases)
    func writersStopOnceCancelled(_ format: OutputFormat) throws {
        let session = Session(database: Self.demo, settings: Self.settings())
        let result = try session.query("find activities show id, subject")
        #expect(result.rowCount >= 4_000)
        var sink = CancelledSink()
        ResultWriter.write(result, as: format, to: &sink)
        let lines = sink.text.split(separator: "\n").count
        #expect(lines < 10, "\(format) wrote \(lines) lines after it was cancelled")
    }

    @Test func theTerminalTableStopsOnceCancelled() throws {
        let session = Session(database: Self.demo, settings: Self.settings())
        let result = try session.query("find activities show id, subject")
        var display = DisplayOptions()
        display.terminalWidth = 100
        var sink = CancelledSink()
        ResultWriter.write(result, as: .table, display: display, aggregate: false, to: &sink)
        #expect(sink.text.split(separator: "\n").count < 10)
    }
}
