import Foundation
import Testing
@testable import CrmqEngine

/// The shell commands of the terminal: `.help TOPIC` with its live queries, `.width`, `.rows`,
/// `.chart`, `.read`.
@Suite struct ShellCommandTests {
    static let demo = GoldenRun.demo

    func run(_ text: String, database: Database = demo, keepGoing: Bool = true) -> (String, Session.Outcome, Session) {
        var settings = Session.Settings(today: Day.parse("2026-06-15")!)
        settings.keepGoing = keepGoing
        var session = Session(database: database, settings: settings)
        var console = TranscriptConsole()
        let outcome = session.run(SourceText(name: "test", text: text), on: &console)
        return (console.transcript, outcome, session)
    }

    @Test(arguments: HelpTopic.all.map(\.name))
    func everyTopicsQueriesRunOnTheDemoData(_ name: String) throws {
        let topic = try #require(HelpTopic.named(name))
        #expect(!topic.queries.isEmpty)
        // In order, in one session: a topic may define a segment, then use it.
        var session = Session(database: Self.demo, settings: Session.Settings(today: Day.parse("2026-06-15")!))
        for q in topic.queries {
            let statements = try Parser.parseAll(SourceText(name: "topic", text: q))
            #expect(statements.count == 1, "\(name): one statement per query")
            var console = TranscriptConsole()
            let outcome = session.run(SourceText(name: "test", text: q), on: &console)
            let transcript = console.transcript
            #expect(outcome == .success, "\(name): \(q)\n\(transcript)")
            #expect(!transcript.contains("error:"), "\(name): \(transcript)")
        }
        let (help, outcome, _) = run(".help \(name)")
        #expect(outcome == .success)
        #expect(help.hasPrefix(topic.title + "\n"))
        #expect(help.contains("crmq> " + topic.queries[0]))
        #expect(!help.contains("error:"), "\(name): \(help)")
    }

    /// The segments a help topic defines are its own: the session's data and catalog stay as they were.
    @Test func helpDefinesNothingInTheSession() {
        let (out, outcome, session) = run(".help segmentation\n.segments")
        #expect(outcome == .success)
        #expect(out.contains("defined segment small_companies"))
        #expect(out.hasSuffix("(0 rows)\n\n"))
        #expect(session.database.catalog == Catalog())
    }

    @Test func topicsHaveDistinctNamesAndAliases() {
        let words = HelpTopic.all.flatMap { [$0.name] + $0.aliases }
        #expect(Set(words).count == words.count)
        #expect(Set(words).isDisjoint(with: ShellCommand.allCases.map(\.rawValue)), "a topic does not hide a command")
    }

    @Test func helpListsCommandsAndTopics() {
        let (out, _, _) = run(".help")
        for c in ShellCommand.allCases where c != .exit { #expect(out.contains("." + c.rawValue)) }
        #expect(out.contains("forecast"))
        #expect(run(".help format").0 == "usage: .format \(OutputFormat.names)\n  how results are printed (table by default)\n")
        #expect(run(".help deals").0.hasPrefix("opportunities: the deals"))
        let (unknown, outcome, _) = run(".help forcast")
        #expect(outcome == .failed)
        #expect(unknown.contains("did you mean \"forecast\"?"))
    }

    @Test func widthRowsAndChartChangeTheDisplay() {
        let (out, outcome, session) = run(".width 72\n.rows 5\n.chart funnel\n.width\n.rows\n.chart")
        #expect(outcome == .success)
        #expect(session.settings.display.width == 72)
        #expect(session.settings.display.maxRows == 5)
        #expect(session.settings.display.chart == .funnel)
        #expect(out == "width: 72 columns (set with .width; .width auto follows the terminal)\nrows: at most 5\nchart: funnel\n")
        let (_, _, reset) = run(".width 72\n.width auto\n.rows 5\n.rows all\n.chart on\n.chart off")
        #expect(reset.settings.display == DisplayOptions())
    }

    @Test func badDisplayArgumentsSayWhatWouldDo() {
        let (out, outcome, _) = run(".width 5\n.rows none\n.chart bar")
        #expect(outcome == .failed)
        #expect(out.contains("\"5\" is not a width"))
        #expect(out.contains("give a number of columns from 20"))
        #expect(out.contains("\"none\" is not a number of rows"))
        #expect(out.contains(".chart takes off, on, funnel"))
    }

    @Test func aChartInAScript() {
        let (out, _, _) = run(".chart on\n.width 60\ncount opportunities by stage")
        #expect(out.contains("█"))
        #expect(out.split(separator: "\n").allSatisfy { TextWidth.of(String($0)) <= 60 })
    }

    @Test func readRunsAScriptAndFailsWithIt() throws {
        let dir = FileManager.default.temporaryDirectory
        let good = dir.appendingPathComponent("crmq-read-\(UUID()).crmq")
        let bad = dir.appendingPathComponent("crmq-read-bad-\(UUID()).crmq")
        let loop = dir.appendingPathComponent("crmq-read-loop-\(UUID()).crmq")
        try ".format csv\ncount users\n".write(to: good, atomically: true, encoding: .utf8)
        try "count users\nfind usres\n".write(to: bad, atomically: true, encoding: .utf8)
        try ".read \(loop.path)\n".write(to: loop, atomically: true, encoding: .utf8)
        defer { for f in [good, bad, loop] { try? FileManager.default.removeItem(at: f) } }

        let (out, outcome, session) = run(".read \(good.path)")
        #expect(outcome == .success)
        #expect(out == "count\r\n50\r\n")
        #expect(session.settings.format == .csv, "a read script changes the session, as typing it would")

        let (failed, failedOutcome, _) = run(".read \(bad.path)", keepGoing: false)
        #expect(failedOutcome == .failed)
        #expect(failed.contains("\(bad.path):2:6"), "the error names the script's file and line")
        #expect(failed.contains("stopped at an error"))

        let (looped, loopedOutcome, _) = run(".read \(loop.path)", keepGoing: false)
        #expect(loopedOutcome == .failed)
        #expect(looped.contains("nested 16 deep"))

        let (missing, _, _) = run(".read /nonexistent/x.crmq\n.read\n.read /tmp")
        #expect(missing.contains("cannot read \"/nonexistent/x.crmq\": no such file"))
        #expect(missing.contains(".read needs a file name"))
        #expect(missing.contains("cannot read \"/tmp\": it is a directory"))
    }

    @Test func schemaMarksIndexedFields() {
        let (out, _, _) = run(".schema opportunities")
        #expect(out.contains("stage        enum: "))
        #expect(out.contains("(indexed)"))
        #expect(!out.contains("name         text  (indexed)"), "opportunity names are not indexed")
    }
}
