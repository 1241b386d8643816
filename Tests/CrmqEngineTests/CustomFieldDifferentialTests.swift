import Foundation
import Testing
@testable import CrmqEngine

/// Custom fields against sqlite3: crmq fills them with `update ... where`, and sqlite computes the
/// same values from the conditions that set them (a CASE for the enum, the condition for the reference).
@Suite("Differential: custom fields against sqlite3")
struct CustomFieldDifferentialTests {
    static let setup = """
        add field tier to accounts as enum ("Gold", "Silver")
        update accounts set tier = "Gold" where employees >= 100
        update accounts set tier = "Silver" where employees < 100
        add field referrer to opportunities as reference to accounts
        update opportunities set referrer = 1 where value >= 20000
        """

    @Test func customFieldsAnswerAsTheirDefinitionsDo() throws {
        let fx = try DifferentialFixture.get()
        var s = fx.session
        var console = TranscriptConsole()
        _ = s.run(SourceText(name: "setup", text: Self.setup), on: &console)
        #expect(!console.transcript.contains("error"), "\(console.transcript)")
        let tier = "(CASE WHEN a.employees >= 100 THEN 'Gold' WHEN a.employees < 100 THEN 'Silver' END)"
        let cases: [GeneratorQuery] = [
            GeneratorQuery(crmq: "count accounts by tier",
                           sql: "SELECT COALESCE(\(tier), ''), COUNT(*) FROM accounts a GROUP BY 1",
                           ordered: false, column: nil, minRows: 2),
            GeneratorQuery(crmq: #"find opportunities where account.tier = "Gold""#,
                           sql: "SELECT o.id FROM opportunities o JOIN accounts a ON a.id = o.account WHERE a.employees >= 100",
                           ordered: false, column: "id", minRows: 5),
            GeneratorQuery(crmq: #"find accounts where tier = "Silver" and any opportunities (stage = "Negotiation")"#,
                           sql: """
                               SELECT a.id FROM accounts a WHERE a.employees < 100
                               AND EXISTS (SELECT 1 FROM opportunities o WHERE o.account = a.id AND o.stage = 'Negotiation')
                               """, ordered: false, column: "id", minRows: 1),
            GeneratorQuery(crmq: "count opportunities where referrer is not null",
                           sql: "SELECT COUNT(*) FROM opportunities WHERE value >= 2000000", ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: "find accounts where any opportunities via referrer",
                           sql: "SELECT id FROM accounts WHERE id = 1 AND EXISTS (SELECT 1 FROM opportunities WHERE value >= 2000000)",
                           ordered: false, column: "id", minRows: 1),
            GeneratorQuery(crmq: #"sum value of opportunities where referrer.tier = "Gold" or account.tier is null"#,
                           sql: """
                               SELECT \(SQLText.hundredths("COALESCE(SUM(o.value), 0)")) FROM opportunities o
                               LEFT JOIN accounts a ON a.id = o.account LEFT JOIN accounts r ON r.id = 1 AND o.value >= 2000000
                               WHERE COALESCE(r.employees >= 100, 0) OR (o.account IS NOT NULL AND a.id IS NOT NULL AND a.employees IS NULL)
                               """, ordered: true, column: nil, minRows: 1),
        ]
        try SegmentDifferentialTests.compare(fx, s, cases, label: "custom field")
    }
}
