import Foundation
import Testing
@testable import CrmqEngine

// `as of` against sqlite3: the demo data's raw rows (exported by the differential fixture) are
// rebuilt in SQL as they stood at each moment, independently of crmq's view (AsOfView.swift):
// records created by then, stage changes made by then, each deal with the to_stage of its last
// change at or before the moment (ties: the larger id) and that stage's probability in its pipeline
// (written out from the schema's pipelines), a lead converted after the moment not converted yet,
// and each query asked of those tables.

@Suite("Differential: as of, against sqlite3")
struct AsOfDifferentialTests {
    /// Moments across the demo data's history (today is 2026-06-15), and a moment given as a date-time.
    static let days = ["2023-12-31", "2025-06-30", "2025-12-31", "2026-03-31", "2026-06-15"]

    /// The tables as they stood at `cutoff` (an ISO date-time, inclusive), as SQL common table
    /// expressions named o (opportunities), sc, a (accounts), c (contacts), l (leads), act (activities).
    static func tables(_ fx: DifferentialFixture, _ cutoff: String) -> String {
        let t = SQLText.string(cutoff)
        // Each stage's probability in each pipeline, in hundredths, from the schema's pipelines.
        let probabilities = fx.schema.pipelines.flatMap { p in
            p.stages.map { "(\(SQLText.string(p.name)), \(SQLText.string($0.name)), \($0.probability * 100))" }
        }.joined(separator: ", ")
        let first = SQLText.string(fx.schema.pipelines.first?.name ?? "Sales")
        return """
            WITH prob(pipeline, stage, probability) AS (VALUES \(probabilities)),
            sc AS (SELECT * FROM stage_changes WHERE changed_at <= \(t)),
            o0 AS (SELECT x.*, (SELECT s.to_stage FROM sc s WHERE s.opportunity = x.id
                                ORDER BY s.changed_at DESC, s.id DESC LIMIT 1) AS asof_stage
                   FROM opportunities x WHERE x.created_at <= \(t)),
            o AS (SELECT o0.id, o0.name, o0.account, o0.contact, o0.owner, o0.asof_stage AS stage,
                         (SELECT probability FROM prob WHERE prob.stage = o0.asof_stage
                            AND prob.pipeline = COALESCE(o0.pipeline, \(first))) AS probability,
                         o0.value, o0.close_date, o0.created_at, o0.lead_source, o0.type, o0.pipeline
                  FROM o0),
            a AS (SELECT * FROM accounts WHERE created_at <= \(t)),
            c AS (SELECT * FROM contacts WHERE created_at <= \(t)),
            l AS (SELECT id, first_name, last_name, company, email, source, status, score, owner, campaign, created_at,
                         CASE WHEN converted_at <= \(t) THEN converted_at END AS converted_at,
                         CASE WHEN converted_at <= \(t) THEN converted_contact END AS converted_contact,
                         CASE WHEN converted_at <= \(t) THEN converted_opportunity END AS converted_opportunity
                  FROM leads WHERE created_at <= \(t)),
            act AS (SELECT * FROM activities WHERE created_at <= \(t))

            """
    }

    static func cases(_ fx: DifferentialFixture, day: String) -> [GeneratorQuery] {
        let w = tables(fx, "\(day)T23:59:59Z")
        let stageRank = fx.enumRank("stage", "stage")
        let money = SQLText.hundredths
        return [
            GeneratorQuery(
                crmq: "count opportunities as of \(day) by stage",
                sql: "\(w) SELECT COALESCE(stage, ''), COUNT(*) FROM o GROUP BY stage ORDER BY stage IS NULL, \(stageRank)",
                ordered: true, column: nil, minRows: 3),
            GeneratorQuery(
                crmq: "count, sum value, avg probability of opportunities as of \(day) by stage",
                sql: """
                    \(w) SELECT COALESCE(stage, ''), COUNT(*), \(money("SUM(value)")),
                      COALESCE(printf('%.2f', AVG(probability) / 100.0), '')
                    FROM o GROUP BY stage ORDER BY stage IS NULL, \(stageRank)
                    """,
                ordered: true, column: nil, minRows: 3),
            GeneratorQuery(
                crmq: #"find opportunities as of \#(day) where stage = "Negotiation""#,
                sql: "\(w) SELECT id FROM o WHERE stage = 'Negotiation'",
                ordered: false, column: "id"),
            GeneratorQuery(
                crmq: "find opportunities as of \(day) where probability >= 60 and value > 20000 order by value desc limit 25",
                sql: "\(w) SELECT id FROM o WHERE probability >= 6000 AND value > 2000000 ORDER BY value IS NULL, value DESC, id LIMIT 25",
                ordered: true, column: "id"),
            GeneratorQuery(
                crmq: #"sum value of opportunities as of \#(day) where stage not in ("Closed Won", "Closed Lost") by owner.team"#,
                sql: """
                    \(w) SELECT COALESCE(team, ''), \(money("SUM(value)")) FROM
                      (SELECT (SELECT u.team FROM users u WHERE u.id = o.owner) AS team, value FROM o
                       WHERE stage IS NOT NULL AND stage NOT IN ('Closed Won', 'Closed Lost'))
                    GROUP BY team
                    """,
                ordered: false, column: nil),
            // A dot path reads the referenced deal as it stood then, and only records created by then.
            GeneratorQuery(
                crmq: #"find activities as of \#(day) where opportunity.stage = "Proposal""#,
                sql: "\(w) SELECT act.id FROM act WHERE (SELECT o.stage FROM o WHERE o.id = act.opportunity) = 'Proposal'",
                ordered: false, column: "id"),
            GeneratorQuery(
                crmq: #"count contacts as of \#(day) where account.industry = "Retail""#,
                sql: "\(w) SELECT COUNT(*) FROM c WHERE (SELECT a.industry FROM a WHERE a.id = c.account) = 'Retail'",
                ordered: false, column: nil),
            // Child collections see the same moment.
            GeneratorQuery(
                crmq: #"find accounts as of \#(day) where any opportunities (stage = "Negotiation" and value > 5000)"#,
                sql: "\(w) SELECT a.id FROM a WHERE EXISTS (SELECT 1 FROM o WHERE o.account = a.id AND o.stage = 'Negotiation' AND o.value > 500000)",
                ordered: false, column: "id"),
            GeneratorQuery(
                crmq: #"find accounts as of \#(day) where count(opportunities where stage = "Closed Won") >= 2 show id, count(opportunities) as deals"#,
                sql: """
                    \(w) SELECT a.id, (SELECT COUNT(*) FROM o WHERE o.account = a.id) FROM a
                    WHERE (SELECT COUNT(*) FROM o WHERE o.account = a.id AND o.stage = 'Closed Won') >= 2
                    """,
                ordered: false, column: nil),
            GeneratorQuery(
                crmq: #"find opportunities as of \#(day) where any stage_changes (to_stage = "Proposal") and stage = "Closed Lost""#,
                sql: "\(w) SELECT o.id FROM o WHERE o.stage = 'Closed Lost' AND EXISTS (SELECT 1 FROM sc WHERE sc.opportunity = o.id AND sc.to_stage = 'Proposal')",
                ordered: false, column: "id"),
            GeneratorQuery(
                crmq: "count stage_changes as of \(day) by to_stage",
                sql: "\(w) SELECT COALESCE(to_stage, ''), COUNT(*) FROM sc GROUP BY to_stage",
                ordered: false, column: nil),
            GeneratorQuery(
                crmq: "count leads as of \(day) where converted_at is not null by source",
                sql: "\(w) SELECT COALESCE(source, ''), COUNT(*) FROM l WHERE converted_at IS NOT NULL GROUP BY source",
                ordered: false, column: nil),
            GeneratorQuery(
                crmq: "count leads as of \(day) where converted_opportunity is not null and converted_contact is not null",
                sql: "\(w) SELECT COUNT(*) FROM l WHERE converted_opportunity IS NOT NULL AND converted_contact IS NOT NULL",
                ordered: false, column: nil),
            GeneratorQuery(
                crmq: "count leads as of \(day) by source",
                sql: "\(w) SELECT COALESCE(source, ''), COUNT(*) FROM l GROUP BY source",
                ordered: false, column: nil),
            GeneratorQuery(
                crmq: "count activities as of \(day) where done = false by type",
                sql: "\(w) SELECT COALESCE(type, ''), COUNT(*) FROM act WHERE done = 0 GROUP BY type",
                ordered: false, column: nil),
        ]
    }

    @Test(arguments: days) func asOfDay(_ day: String) throws {
        let fx = try DifferentialFixture.get()
        let answers = try DiffCompare.check(fx, Self.cases(fx, day: day), label: "as of \(day)")
        // The moment matters: the first count differs from today's for a moment in the past.
        if day != DifferentialFixture.todayText, let now = try? fx.crmq("count opportunities by stage").plainRows {
            #expect(answers.first != now, "as of \(day) counts as today")
        }
    }

    /// A date-time is the moment itself; a period its last day; a moment after today is now.
    @Test func momentsOtherThanADay() throws {
        let fx = try DifferentialFixture.get()
        let stageRank = fx.enumRank("stage", "stage")
        func byStage(_ crmq: String, _ cutoff: String) -> GeneratorQuery {
            GeneratorQuery(crmq: crmq,
                           sql: "\(Self.tables(fx, cutoff)) SELECT COALESCE(stage, ''), COUNT(*) FROM o GROUP BY stage ORDER BY stage IS NULL, \(stageRank)",
                           ordered: true, column: nil, minRows: 3)
        }
        _ = try DiffCompare.check(fx, [
            byStage("count opportunities as of 2026-02-10T09:30:00 by stage", "2026-02-10T09:30:00Z"),
            byStage("count opportunities as of last quarter by stage", "2026-03-31T23:59:59Z"),
            byStage("count opportunities as of last year by stage", "2025-12-31T23:59:59Z"),
            byStage("count opportunities as of yesterday by stage", "2026-06-14T23:59:59Z"),
            byStage("count opportunities as of next year by stage", "2026-06-15T23:59:59Z"),
        ], label: "as of a moment")
    }
}
