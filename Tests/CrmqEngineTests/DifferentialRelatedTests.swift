import Testing
@testable import CrmqEngine

/// `any`, `no` and `all` over child collections against sqlite3's EXISTS / NOT EXISTS: the
/// language's examples, nesting, dot paths, `or`/`not` around them, and random combinations.
@Suite("Differential: related records against sqlite3")
struct DifferentialRelatedTests {
    static let today = DifferentialFixture.todayText

    @Test func fixedQueries() throws {
        let fx = try DifferentialFixture.get()
        let t = "'\(Self.today)'"
        func q(_ crmq: String, _ sql: String, minRows: Int = 1) -> GeneratorQuery {
            GeneratorQuery(crmq: crmq, sql: sql, ordered: false, column: "id", minRows: minRows)
        }
        let cases: [GeneratorQuery] = [
            q(#"find accounts where any opportunities (stage = "Closed Won" and value > 50000)"#,
              "SELECT a.id FROM accounts a WHERE EXISTS (SELECT 1 FROM opportunities o WHERE o.account = a.id AND o.stage = 'Closed Won' AND o.value > 5000000)"),
            q("find accounts where no activities (due_at within last 90 days)",
              """
              SELECT a.id FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM activities x WHERE x.account = a.id
                AND substr(x.due_at, 1, 10) BETWEEN date(\(t), '-90 days') AND \(t))
              """),
            q(#"find accounts where all opportunities (stage in ("Closed Won", "Closed Lost"))"#,
              """
              SELECT a.id FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.account = a.id
                AND NOT COALESCE(o.stage IN ('Closed Won', 'Closed Lost'), 0))
              """),
            q(#"find accounts where any opportunities (any activities (type = "meeting" and done = true))"#,
              """
              SELECT a.id FROM accounts a WHERE EXISTS (SELECT 1 FROM opportunities o WHERE o.account = a.id
                AND EXISTS (SELECT 1 FROM activities x WHERE x.opportunity = o.id AND x.type = 'meeting' AND x.done = 1))
              """),
            q(#"find contacts where any account.opportunities (stage = "Negotiation")"#,
              """
              SELECT c.id FROM contacts c WHERE EXISTS (SELECT 1 FROM opportunities o WHERE o.account =
                (SELECT a.id FROM accounts a WHERE a.id = c.account) AND o.stage = 'Negotiation')
              """),
            q("find users where not any opportunities (close_date within next 30 days)",
              """
              SELECT u.id FROM users u WHERE NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.owner = u.id
                AND o.close_date BETWEEN \(t) AND date(\(t), '+30 days'))
              """, minRows: 0),
            // Without a condition: has at least one, has none.
            q("find accounts where any cases", "SELECT a.id FROM accounts a WHERE EXISTS (SELECT 1 FROM cases c WHERE c.account = a.id)"),
            q("find accounts where no contacts", "SELECT a.id FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.account = a.id)"),
            // Nulls inside all: an opportunity without a value is not above 10000, so it breaks "all".
            q("find accounts where all opportunities (value > 10000)",
              "SELECT a.id FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.account = a.id AND NOT COALESCE(o.value > 1000000, 0))"),
            // With or, not and other conditions.
            q(#"find accounts where any cases (priority = "urgent") or industry = "Retail""#,
              "SELECT a.id FROM accounts a WHERE EXISTS (SELECT 1 FROM cases c WHERE c.account = a.id AND c.priority = 'urgent') OR a.industry = 'Retail'"),
            q(#"find accounts where not (no opportunities (stage = "Negotiation") or employees < 50)"#,
              """
              SELECT a.id FROM accounts a WHERE NOT (NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.account = a.id AND o.stage = 'Negotiation')
                OR COALESCE(a.employees < 50, 0))
              """),
            q(#"find opportunities where any stage_changes (to_stage = "Proposal") and no activities (type = "meeting")"#,
              """
              SELECT o.id FROM opportunities o WHERE EXISTS (SELECT 1 FROM stage_changes s WHERE s.opportunity = o.id AND s.to_stage = 'Proposal')
                AND NOT EXISTS (SELECT 1 FROM activities x WHERE x.opportunity = o.id AND x.type = 'meeting')
              """),
            q(#"find users where any opportunities via owner (stage = "Closed Won" and value > 100000)"#,
              "SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM opportunities o WHERE o.owner = u.id AND o.stage = 'Closed Won' AND o.value > 10000000)"),
            q(#"find contacts where no account.cases (status in ("open", "new")) and any opportunities"#,
              """
              SELECT c.id FROM contacts c WHERE NOT EXISTS (SELECT 1 FROM cases k WHERE k.account = (SELECT a.id FROM accounts a WHERE a.id = c.account)
                AND k.status IN ('open', 'new')) AND EXISTS (SELECT 1 FROM opportunities o WHERE o.contact = c.id)
              """),
        ]
        _ = try DiffCompare.check(fx, cases, label: "related records")
    }

    /// `count ... where any ... by ...`: the aggregate statements take them too.
    @Test func aggregates() throws {
        let fx = try DifferentialFixture.get()
        let cases = [
            GeneratorQuery(
                crmq: #"count accounts where any cases (status = "open") by country"#,
                sql: """
                    SELECT COALESCE(a.country, ''), COUNT(*) FROM accounts a
                    WHERE EXISTS (SELECT 1 FROM cases c WHERE c.account = a.id AND c.status = 'open')
                    GROUP BY a.country ORDER BY a.country IS NULL, \(fx.fold("a.country")), a.country
                    """,
                ordered: true, column: nil, minRows: 2),
            GeneratorQuery(
                crmq: "count accounts where no activities (due_at within last 90 days)",
                sql: """
                    SELECT COUNT(*) FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM activities x WHERE x.account = a.id
                    AND substr(x.due_at, 1, 10) BETWEEN date('\(Self.today)', '-90 days') AND '\(Self.today)')
                    """,
                ordered: true, column: nil, minRows: 1),
        ]
        _ = try DiffCompare.check(fx, cases, label: "related aggregates")
    }

    @Test func randomFinds() throws {
        let fx = try DifferentialFixture.get()
        var gen = QueryGenerator(fx: fx, rng: DiffRandom(seed: 0x5E11))
        let queries = (0..<300).map { _ in
            let q = gen.relatedFind()
            return GeneratorQuery(crmq: q.crmq, sql: q.sql, ordered: q.ordered, column: q.column)
        }
        let answers = try DiffCompare.check(fx, queries, label: "random related find")
        let partial = answers.filter { !$0.isEmpty }.count
        #expect(partial > queries.count / 3, "only \(partial) of \(queries.count) related filters match any record")
    }

    @Test func randomCounts() throws {
        let fx = try DifferentialFixture.get()
        var gen = QueryGenerator(fx: fx, rng: DiffRandom(seed: 0xC0C0))
        let queries = (0..<80).map { _ in
            let q = gen.relatedCount()
            return GeneratorQuery(crmq: q.crmq, sql: q.sql, ordered: q.ordered, column: q.column)
        }
        _ = try DiffCompare.check(fx, queries, label: "random related count")
    }
}
