import Testing
@testable import CrmqEngine

/// `with totals`: where the subtotal rows go, what they hold (recomputed, not averaged), and how each
/// format shows a rolled-up key (`total` in a table, marked on a colour terminal; empty or null
/// elsewhere).
@Suite struct TotalsTests {
    static func query(_ text: String) throws -> ResultSet {
        let session = Session(database: TinyCRM.build(), settings: Session.Settings(today: TinyCRM.today))
        return try session.query(text)
    }

    static func write(_ result: ResultSet, _ format: OutputFormat, color: Bool = false) -> String {
        var sink = StringSink()
        var display = DisplayOptions()
        display.color = color
        ResultWriter.write(result, as: format, display: display, aggregate: true, to: &sink)
        return sink.text
    }

    @Test func subtotalsFollowTheirGroupsAndTheGrandTotalComesLast() throws {
        let r = try Self.query("count, avg value, max value of opportunities by owner, stage with totals")
        let owners = (0..<r.rowCount).map { r.value(row: $0, column: 0) }
        // Each owner's rows, then its subtotal (owner kept, stage rolled up), then the grand total.
        let last = r.rowCount - 1
        #expect(r.isTotal(row: last, column: 0) && r.isTotal(row: last, column: 1))
        #expect(!r.isTotal(row: last, column: 2))
        var count = 0
        for row in 0..<last where r.isTotal(row: row, column: 1) {
            #expect(!r.isTotal(row: row, column: 0))
            // The next row starts another owner (or is the grand total).
            #expect(row + 1 == last || owners[row + 1] != owners[row])
            count += 1
        }
        #expect(count >= 2)
        // The grand total's count is the number of opportunities; its average is over every deal,
        // not over the groups' averages.
        let all = try Self.query("count, avg value, max value of opportunities")
        #expect(r.row(last).suffix(3) == all.row(0))
    }

    @Test func tablesSayTotalOtherFormatsLeaveItEmpty() throws {
        let r = try Self.query("count opportunities by stage with totals")
        let table = Self.write(r, .table)
        #expect(table.split(separator: "\n").contains { $0.hasPrefix(" total ") })
        let coloured = Self.write(r, .table, color: true)
        #expect(coloured.contains("\u{1B}[2;3mtotal"))
        // The grand total's csv line starts with its empty key.
        let lines = Self.write(r, .csv).split(whereSeparator: \.isNewline)
        #expect(lines.last?.hasPrefix(",") == true && lines.count == r.rowCount + 1)
        #expect(!Self.write(r, .csv).contains("total"))
        #expect(Self.write(r, .json).contains("\"stage\":null"))
    }

    @Test func totalsNeedGroups() {
        #expect(throws: Diagnostic.self) { try Self.query("count opportunities with totals") }
    }
}
