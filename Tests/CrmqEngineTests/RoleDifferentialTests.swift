import Foundation
import Testing
@testable import CrmqEngine

/// Roles against sqlite3: a sales rep's answers are sqlite's with the rep's filter in each WHERE
/// clause (as a SQL backend would put the grants), dot paths and child collections included.
@Suite("Differential: roles against sqlite3")
struct RoleDifferentialTests {
    @Test func aSalesRepsAnswersAreTheFilteredSQL() throws {
        let fx = try DifferentialFixture.get()
        var s = fx.session
        let rep = try s.query(#"find users where role = "sales" show email, id order by id limit 1"#).plainRows[0]
        try s.setUser(email: rep[0])
        let me = rep[1]
        let cases: [GeneratorQuery] = [
            GeneratorQuery(crmq: "count opportunities", sql: "SELECT COUNT(*) FROM opportunities WHERE owner = \(me)",
                           ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: "find opportunities where stage = \"Closed Lost\"",
                           sql: "SELECT id FROM opportunities WHERE owner = \(me) AND stage = 'Closed Lost'",
                           ordered: false, column: "id", minRows: 1),
            GeneratorQuery(crmq: "sum value of opportunities",
                           sql: "SELECT \(SQLText.hundredths("COALESCE(SUM(value), 0)")) FROM opportunities WHERE owner = \(me)",
                           ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: "count activities where opportunity.stage = \"Closed Won\"",
                           sql: """
                               SELECT COUNT(*) FROM activities a JOIN opportunities o ON o.id = a.opportunity
                               WHERE a.owner = \(me) AND o.owner = \(me) AND o.stage = 'Closed Won'
                               """, ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: "find activities where opportunity is null",
                           sql: """
                               SELECT a.id FROM activities a LEFT JOIN opportunities o ON o.id = a.opportunity AND o.owner = \(me)
                               WHERE a.owner = \(me) AND o.id IS NULL
                               """, ordered: false, column: "id", minRows: 1),
            GeneratorQuery(crmq: "find accounts where any opportunities (stage = \"Closed Won\")",
                           sql: """
                               SELECT a.id FROM accounts a WHERE EXISTS (SELECT 1 FROM opportunities o
                               WHERE o.account = a.id AND o.owner = \(me) AND o.stage = 'Closed Won')
                               """, ordered: false, column: "id", minRows: 1),
            GeneratorQuery(crmq: "find accounts where count(opportunities) = 0",
                           sql: """
                               SELECT a.id FROM accounts a WHERE (SELECT COUNT(*) FROM opportunities o
                               WHERE o.account = a.id AND o.owner = \(me)) = 0
                               """, ordered: false, column: "id", minRows: 1),
            GeneratorQuery(crmq: "count stage_changes",
                           sql: "SELECT COUNT(*) FROM stage_changes c JOIN opportunities o ON o.id = c.opportunity WHERE o.owner = \(me)",
                           ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: "count cases", sql: "SELECT COUNT(*) FROM cases WHERE 0", ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: "count contacts", sql: "SELECT COUNT(*) FROM contacts", ordered: true, column: nil, minRows: 1),
        ]
        try SegmentDifferentialTests.compare(fx, s, cases, label: "roles")
    }
}
