import Testing
@testable import CrmqEngine

/// The report framework: the user's condition spliced into the statements and errors mapped back
/// to what the user wrote, periods and the periods before them, exact rates and shares, and the
/// output at a terminal (charts, colour) against a pipe (the plain table only).
@Suite struct ReportTests {
    static let today = Day.parse("2026-06-15")!

    func parse(_ text: String) throws -> ReportSyntax {
        let statements = try Parser.parseAll(SourceText(name: "t", text: text))
        guard case .report(let r) = try #require(statements.first).kind else {
            Issue.record("not a report: \(text)")
            throw DifferentialError("not a report")
        }
        return r
    }

    @Test func theConditionIsSplicedWithoutCommentsAndMapsBack() throws {
        let text = "report funnel where owner.team = \"DACH\" -- a comment\n  and vaule > 5"
        let r = try parse(text)
        let c = try #require(r.filter)
        #expect(c.text == "owner.team = \"DACH\" and vaule > 5")
        let context = ReportContext(now: 0, condition: c, asOf: nil)
        let q = context.aggregate("count", of: "opportunities", where: ["stage = \"Proposal\""])
        #expect(q.text == "count opportunities where stage = \"Proposal\" and (owner.team = \"DACH\" and vaule > 5)")
        // "vaule" in the statement is "vaule" in the user's text.
        let generated = try #require(q.text.utf8.firstRange(of: "vaule".utf8))
        let start = q.text.utf8.distance(from: q.text.utf8.startIndex, to: generated.lowerBound)
        let user = try #require(q.userRange(SourceRange(start, start + 5), c))
        let source = Array(text.utf8)
        #expect(String(decoding: source[user.start..<user.end], as: UTF8.self) == "vaule")
        // Text outside the user's condition does not map.
        #expect(q.userRange(SourceRange(0, 5), c) == nil)
    }

    @Test func anErrorInTheWherePointsAtTheUsersLine() {
        var session = Session(database: TinyCRM.build(), settings: Session.Settings(today: TinyCRM.today))
        var console = TranscriptConsole()
        let outcome = session.run(SourceText(name: "s", text: "report forecast by owner\n  where vaule > 1"), on: &console)
        #expect(outcome == .failed)
        #expect(console.transcript.contains(" --> s:2:9\n"), "\(console.transcript)")
        #expect(console.transcript.contains("did you mean \"value\"?"))
    }

    @Test func asOfIsSplicedAfterTheEntity() {
        let context = ReportContext(now: 0, condition: nil, asOf: "2026-03-31")
        #expect(context.aggregate("sum value", of: "opportunities", where: ["x = 1"], by: ["stage"]).text
                == "sum value of opportunities as of 2026-03-31 where x = 1 by stage")
    }

    @Test func periodsAndThePeriodsBeforeThem() {
        let quarter = ReportPeriod(window: .period(offset: 0, unit: .quarter), today: Self.today, fiscalYearStartMonth: 1)
        #expect(quarter.span == "2026-04-01 to 2026-06-30")
        #expect(quarter.condition("close_date") == "close_date in this quarter")
        #expect(quarter.before(4, today: Self.today, fiscalYearStartMonth: 1).span == "2025-04-01 to 2026-03-31")
        let fiscal = ReportPeriod(window: .period(offset: 0, unit: .fiscalYear), today: Self.today, fiscalYearStartMonth: 4)
        #expect(fiscal.span == "2026-04-01 to 2027-03-31")
        #expect(fiscal.before(4, today: Self.today, fiscalYearStartMonth: 4).span == "2022-04-01 to 2026-03-31")
        let days = ReportPeriod(window: .last(90, .day), today: Self.today, fiscalYearStartMonth: 1)
        #expect(days.condition("due_at") == "due_at within last 90 days")
        #expect(days.before(4, today: Self.today, fiscalYearStartMonth: 1).span == "2025-03-18 to 2026-03-16")
        let between = ReportPeriod(from: Day.parse("2026-01-01")!, to: Day.parse("2026-01-10")!)
        #expect(between.condition("close_date") == "close_date between 2026-01-01 and 2026-01-10")
        #expect(between.before(1, today: Self.today, fiscalYearStartMonth: 1).span == "2025-12-22 to 2025-12-31")
    }

    @Test func ratesAndSharesAreExactAndRoundHalfAwayFromZero() {
        #expect(ReportFigures.rate(1, 3) == .percent(3333))
        #expect(ReportFigures.rate(2, 3) == .percent(6667))
        #expect(ReportFigures.rate(1, 8) == .percent(1250))
        #expect(ReportFigures.rate(1, 80_000) == .percent(0))
        #expect(ReportFigures.rate(1, 20_000) == .percent(1))  // 0.005 % rounds up
        #expect(ReportFigures.rate(5, 0) == .null)
        #expect(ReportFigures.share(100, 1, 3) == .money(33))
        #expect(ReportFigures.share(150, 1, 3) == .money(50))
        #expect(ReportFigures.share(-150, 1, 4) == .money(-38))
        #expect(ReportFigures.share(7, 1, 0) == .null)
        // A product past Int64 still divides exactly.
        #expect(ReportFigures.share(Int64.max / 2, 4, 4) == .money(Int64.max / 2))
    }

    func run(_ text: String, _ display: DisplayOptions, format: OutputFormat = .table) -> String {
        var settings = Session.Settings(today: Self.today)
        settings.display = display
        settings.format = format
        var session = Session(database: GoldenRun.demo, settings: settings)
        var console = TranscriptConsole()
        _ = session.run(SourceText(name: "t", text: text), on: &console)
        return console.transcript
    }

    @Test func aTerminalGetsTheChartAPipeOnlyTheTable() {
        let plain = run("report funnel", DisplayOptions())
        #expect(!plain.contains("█"))
        #expect(plain.hasPrefix("funnel of pipeline \"Sales\"\n stage "))
        var terminal = DisplayOptions()
        terminal.terminalWidth = 100
        let drawn = run("report funnel", terminal)
        #expect(drawn.contains("█"))
        #expect(!drawn.contains("\u{1B}["), "no colour unless asked for (NO_COLOR)")
        terminal.color = true
        #expect(run("report funnel", terminal).contains("\u{1B}[1m"))
    }

    @Test func theDashboardIsAPanelAtATerminalAndATableElsewhere() {
        var terminal = DisplayOptions()
        terminal.terminalWidth = 100
        let panel = run("report dashboard", terminal)
        #expect(!panel.contains("| value"))
        #expect(panel.contains("open deals by stage"))
        #expect(panel.split(separator: "\n").count <= 24, "fits one screen")
        let table = run("report dashboard", DisplayOptions())
        #expect(table.contains(" figure "))
        #expect(!table.contains("█"))
    }

    @Test func csvAndJsonAreJustTheTable() throws {
        let csv = run("report funnel", DisplayOptions(), format: .csv)
        // csv lines end in CRLF (RFC 4180).
        #expect(csv.hasPrefix("stage,reached,converted,dropped,open,open_value,avg_value\r\nProspecting,"))
        let lines = csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let won = try #require(lines.first { $0.first == "Closed Won" })
        #expect(won[2] == "" && won[3] == "" && won[1] == won[4], "the last stage has no converted or dropped: \(won)")
        #expect(lines.last?.first == "", "the total row's stage is empty")
        let json = run("report forecast by owner.team", DisplayOptions(), format: .json)
        #expect(json.hasPrefix("[\n  {\"owner.team\":"))
        #expect(!json.contains("forecast of"))
    }
}
