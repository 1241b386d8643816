import Testing
@testable import CrmqEngine

/// Results for a person at a terminal: tables fitted to a width, row limits, colour, charts;
/// and the plain output of pipes left exactly as it was.
@Suite struct TerminalOutputTests {
    static let result = ResultSet(
        columns: [ResultColumn("id", .int), ResultColumn("name", .text), ResultColumn("value", .money),
                  ResultColumn("close_date", .date)],
        rows: [
            [.int(1), .text("Acme Industries – Renewal of the enterprise licence"), .money(1_250_000), .date(20_600)],
            [.int(22), .text("Nordlys"), .money(99), .null],
            [.int(333), .null, .money(123_456_789), .date(20_601)],
        ])

    func render(_ display: DisplayOptions, _ result: ResultSet = result, aggregate: Bool = false) -> String {
        var sink = StringSink()
        ResultWriter.write(result, as: .table, display: display, aggregate: aggregate, to: &sink)
        return sink.text
    }

    @Test func plainOptionsGiveExactlyThePipeOutput() {
        var before = StringSink()
        ResultWriter.write(Self.result, as: .table, to: &before)
        #expect(render(DisplayOptions()) == before.text)
        var chartOnAFind = DisplayOptions()
        chartOnAFind.chart = .bars
        #expect(render(chartOnAFind) == before.text, "a find result is never charted")
    }

    @Test func aWideTableFitsTheWidthWithAnEllipsis() {
        var display = DisplayOptions()
        display.terminalWidth = 50
        let out = render(display)
        let lines = out.split(separator: "\n").map(String.init)
        for line in lines.prefix(5) {
            #expect(TextWidth.of(line) <= 50, "\(line)")
        }
        #expect(out.contains("| Acme Industri… |"))
        // Numbers and dates are never cut, and numbers keep their thousands separators, right-aligned.
        #expect(out.contains("1,234,567.89"))
        #expect(out.contains("|         0.99 |"))
        #expect(out.contains("2026-05-27"))
        #expect(lines.last == "(3 rows)")
    }

    @Test func aNarrowTerminalLeavesColumnsOutAndSaysWhich() {
        var display = DisplayOptions()
        display.width = 30
        let out = render(display)
        #expect(out.contains("(too wide to show: close_date;"))
        #expect(!out.contains("2026-05-27"))
    }

    @Test func theRowLimitSaysHowManyRowsThereAre() {
        let rows = (0..<12_345).map { [Value.int(Int64($0))] }
        let big = ResultSet(columns: [ResultColumn("n", .int)], rows: rows)
        var display = DisplayOptions()
        display.maxRows = 50
        let out = render(display, big)
        #expect(out.hasSuffix("(showing 50 of 12,345 rows; .rows all shows every row)\n"))
        #expect(out.split(separator: "\n").count == 2 + 50 + 1)
    }

    @Test func colourMarksHeadersAndNullsOnly() {
        var display = DisplayOptions()
        display.color = true
        let out = render(display)
        #expect(out.hasPrefix(" \u{1B}[1mid \u{1B}[0m | \u{1B}[1mname"))
        #expect(out.contains("\u{1B}[2mnull\u{1B}[0m"))
        #expect(!render(DisplayOptions()).contains("\u{1B}"))
    }

    @Test func columnFitCutsTheWidestTextFirst() {
        // Two text columns of 40 and 10 and a number of 8 in 50 columns: the long one gives way.
        let fit = ColumnFit(natural: [40, 10, 8], fixed: [false, false, true], budget: 50)
        #expect(fit.shown == 3)
        #expect(fit.widths[2] == 8)
        #expect(fit.widths[1] == 10)
        #expect(ColumnFit.total(fit.widths) == 50)
        // Enough room: nothing changes.
        #expect(ColumnFit(natural: [5, 6], fixed: [false, false], budget: 80).widths == [5, 6])
        #expect(ColumnFit(natural: [5, 6], fixed: [false, false], budget: nil).widths == [5, 6])
    }

    @Test func textWidthCountsWideCharactersTwice() {
        #expect(TextWidth.of("abc") == 3)
        #expect(TextWidth.of("Kjær") == 4)
        #expect(TextWidth.of("東京") == 4)
        #expect(TextWidth.truncate("Kjærlighet", to: 5) == "Kjær…")
        #expect(TextWidth.truncate("東京都庁", to: 5) == "東京…")
        #expect(TextWidth.truncate("short", to: 5) == "short")
    }

    static let byStage = ResultSet(
        columns: [ResultColumn("stage", .text), ResultColumn("count", .int)],
        rows: [[.text("Prospecting"), .int(1000)], [.text("Qualification"), .int(700)],
               [.text("Proposal"), .int(350)], [.text("Closed Won"), .int(0)]])

    @Test func barsAreScaledToTheLargest() {
        var display = DisplayOptions()
        display.width = 60
        display.chart = .bars
        let lines = render(display, Self.byStage, aggregate: true).split(separator: "\n").map(String.init)
        #expect(lines[0].contains("stage") && lines[0].contains("count"))
        func bar(_ line: String) -> Int { line.filter { "█▏▎▍▌▋▊▉".contains($0) }.count }
        #expect(bar(lines[1]) > bar(lines[2]))
        #expect(bar(lines[2]) > bar(lines[3]))
        #expect(bar(lines[4]) == 0)
        #expect(lines.allSatisfy { TextWidth.of($0) <= 60 })
        #expect(lines.last == "(4 rows)")
    }

    @Test func theFunnelShowsSharesOfTheFirstAndThePrevious() {
        var display = DisplayOptions()
        display.width = 80
        display.chart = .funnel
        let out = render(display, Self.byStage, aggregate: true)
        #expect(out.contains("of first"))
        #expect(out.contains("70%"))
        #expect(out.contains("50%"), "Proposal is half of Qualification")
    }

    @Test func barsOfAnEighthOfAColumn() {
        #expect(BarChart.bar(1, width: 10) == String(repeating: "█", count: 10))
        #expect(BarChart.bar(0.5, width: 3) == "█▌")
        #expect(BarChart.bar(0.0001, width: 10) == "▏", "a value above zero always shows")
        #expect(BarChart.bar(0, width: 10) == "")
        #expect(BarChart.centred(0.5, width: 10) == "  ██████", "centred with the parity of the width")
    }

    @Test func onlyGroupedResultsAreCharted() {
        #expect(BarChart.labelColumns(of: Self.byStage) == 1)
        #expect(BarChart.labelColumns(of: ResultSet(columns: [ResultColumn("count", .int)], rows: [[.int(3)]])) == nil)
        #expect(BarChart.labelColumns(of: Self.result) == nil, "a number before the text is no chart")
    }
}
