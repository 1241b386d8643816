import Foundation
import Testing
@testable import CrmqEngine

/// Computed values against sqlite3 (see DifferentialTests for the fixture and conventions): money
/// and percent are integer hundredths in sqlite, so the SQL spells crmq's exact arithmetic out in
/// integers; a datetime used with a date counts as its day (`date(created_at)`); dates are parts
/// of strftime; `with totals` is a UNION ALL of the groupings.
@Suite("Differential: computed values against sqlite3")
struct ExpressionDifferentialTests {
    static let today = DifferentialFixture.todayText

    @Test func conditionsOnComputedValues() throws {
        let fx = try DifferentialFixture.get()
        let t = "'\(Self.today)'"
        let revenue = "(SELECT annual_revenue FROM accounts a WHERE a.id = o.account)"
        let cases: [GeneratorQuery] = [
            // Field to field, a datetime with a date counting as its day.
            GeneratorQuery(
                crmq: "find opportunities where close_date < created_at + 120 days",
                sql: "SELECT id FROM opportunities o WHERE COALESCE(close_date < date(created_at, '+120 days'), 0)",
                ordered: false, column: "id", minRows: 5),
            GeneratorQuery(
                crmq: "find opportunities where not (close_date >= created_at)",
                sql: "SELECT id FROM opportunities o WHERE NOT COALESCE(close_date >= date(created_at), 0)",
                ordered: false, column: "id"),
            // value > revenue / 1000, both in hundredths: value * 1000 > revenue, exactly.
            GeneratorQuery(
                crmq: "find opportunities where value > account.annual_revenue / 1000",
                sql: "SELECT id FROM opportunities o WHERE COALESCE(o.value * 1000 > \(revenue), 0)",
                ordered: false, column: "id", minRows: 5),
            // value * probability / 100 >= 5000: hundredths times hundredths of points.
            GeneratorQuery(
                crmq: "find opportunities where value * probability / 100 >= 5000 and stage != \"Closed Won\"",
                sql: "SELECT id FROM opportunities o WHERE COALESCE(value * probability >= 5000000000, 0) AND NOT COALESCE(stage = 'Closed Won', 0)",
                ordered: false, column: "id", minRows: 5),
            GeneratorQuery(
                crmq: "find opportunities where month(close_date) in (1, 2, 3) and days_between(created_at, close_date) > 90",
                sql: """
                    SELECT id FROM opportunities o WHERE COALESCE(CAST(strftime('%m', close_date) AS INTEGER) IN (1, 2, 3), 0)
                    AND COALESCE(julianday(close_date) - julianday(date(created_at)) > 90, 0)
                    """,
                ordered: false, column: "id", minRows: 5),
            GeneratorQuery(
                crmq: "find opportunities where close_date - today between 0 and 30 or value / probability > 1000",
                sql: """
                    SELECT id FROM opportunities o WHERE COALESCE(julianday(close_date) - julianday(\(t)) BETWEEN 0 AND 30, 0)
                    OR COALESCE(probability != 0 AND value * 100 > 1000 * probability * 100, 0)
                    """,
                ordered: false, column: "id", minRows: 5),
            GeneratorQuery(
                crmq: #"find accounts where lower(name) contains "gmbh" or not (upper(industry) = "RETAIL") or length(city) < 5"#,
                sql: """
                    SELECT id FROM accounts WHERE COALESCE(instr(\(fx.fold("name")), 'gmbh') > 0, 0)
                    OR NOT COALESCE(\(fx.fold("industry")) = 'retail', 0) OR COALESCE(length(city) < 5, 0)
                    """,
                ordered: false, column: "id", minRows: 5),
            GeneratorQuery(
                crmq: "find contacts where coalesce(title, \"none\") = \"none\" or year(created_at) = 2025",
                sql: """
                    SELECT id FROM contacts WHERE COALESCE(\(fx.fold("COALESCE(title, 'none')")) = 'none', 0)
                    OR COALESCE(CAST(strftime('%Y', created_at) AS INTEGER) = 2025, 0)
                    """,
                ordered: false, column: "id", minRows: 5),
        ]
        Self.expectRows(cases, try DiffCompare.check(fx, cases, label: "expression condition"))
    }

    @Test func computedColumnsAndOrder() throws {
        let fx = try DifferentialFixture.get()
        let t = "'\(Self.today)'"
        // Weighted value in hundredths: value (hundredths) * probability (hundredths of points) / 10,000,
        // rounded half away from zero, as sqlite's ROUND does.
        let weighted = "CAST(ROUND(value * probability / 10000.0) AS INTEGER)"
        // Months clamp to the month's end (2023-01-31 + 1 month = 2023-02-28); sqlite's date() rolls
        // over, so the SQL takes the smaller of its answer and the next month's last day. ISO weeks
        // count from the week's Thursday.
        let cases: [GeneratorQuery] = [
            GeneratorQuery(
                crmq: #"find opportunities where stage = "Negotiation" show id, value * probability / 100 as weighted, close_date - today as days_left order by weighted desc limit 20"#,
                sql: """
                    SELECT id, \(SQLText.hundredths(weighted)), CAST(julianday(close_date) - julianday(\(t)) AS INTEGER)
                    FROM opportunities WHERE stage = 'Negotiation' ORDER BY \(weighted) IS NULL, \(weighted) DESC, id LIMIT 20
                    """,
                ordered: true, column: nil, minRows: 10),
            GeneratorQuery(
                crmq: "find opportunities show id, close_date + 1 month, weekday(close_date), week(close_date) order by value * probability desc, id limit 30",
                sql: """
                    SELECT id, COALESCE(min(date(close_date, '+1 month'), date(close_date, 'start of month', '+2 months', '-1 day')), ''),
                      CAST(strftime('%w', close_date) AS INTEGER) + 7 * (strftime('%w', close_date) = '0'),
                      (CAST(strftime('%j', date(close_date, '-' || ((CAST(strftime('%w', close_date) AS INTEGER) + 6) % 7) || ' days', '+3 days')) AS INTEGER) - 1) / 7 + 1
                    FROM opportunities ORDER BY value * probability IS NULL, value * probability DESC, id LIMIT 30
                    """,
                ordered: true, column: nil, minRows: 30),
            GeneratorQuery(
                crmq: "find accounts show id, count(contacts) as people order by people desc, id limit 15",
                sql: """
                    SELECT a.id, (SELECT COUNT(*) FROM contacts c WHERE c.account = a.id) AS n FROM accounts a
                    ORDER BY n DESC, a.id LIMIT 15
                    """,
                ordered: true, column: nil, minRows: 15),
        ]
        Self.expectRows(cases, try DiffCompare.check(fx, cases, label: "computed column"))
    }

    @Test func groupsByComputedKeysAndTotals() throws {
        let fx = try DifferentialFixture.get()
        let money = SQLText.hundredths
        let typeRank = fx.enumRank("type", "opportunity_type")
        let team = "(SELECT team FROM users u WHERE u.id = o.owner)"
        let cases: [GeneratorQuery] = [
            GeneratorQuery(
                crmq: "count opportunities by year(close_date), quarter(close_date)",
                sql: """
                    SELECT COALESCE(y, ''), COALESCE(q, ''), COUNT(*) FROM
                      (SELECT CAST(strftime('%Y', close_date) AS INTEGER) AS y, (CAST(strftime('%m', close_date) AS INTEGER) + 2) / 3 AS q
                       FROM opportunities) GROUP BY y, q ORDER BY y IS NULL, y, q IS NULL, q
                    """,
                ordered: true, column: nil, minRows: 8),
            GeneratorQuery(
                crmq: "sum value of opportunities by owner.team, month(close_date)",
                sql: """
                    SELECT COALESCE(team, ''), COALESCE(m, ''), \(money("COALESCE(SUM(value), 0)")) FROM
                      (SELECT \(team) AS team, CAST(strftime('%m', close_date) AS INTEGER) AS m, value FROM opportunities o)
                    GROUP BY team, m ORDER BY team IS NULL, \(fx.fold("team")), team, m IS NULL, m
                    """,
                ordered: true, column: nil, minRows: 20),
            GeneratorQuery(
                crmq: "count accounts where count(contacts) > 2 by country",
                sql: """
                    SELECT COALESCE(country, ''), COUNT(*) FROM accounts a WHERE (SELECT COUNT(*) FROM contacts c WHERE c.account = a.id) > 2
                    GROUP BY country ORDER BY country IS NULL, \(fx.fold("country")), country
                    """,
                ordered: true, column: nil, minRows: 3),
            // with totals: the groupings' union, each subtotal after its groups, the grand total last.
            GeneratorQuery(
                crmq: "sum value of opportunities by owner.team, type with totals",
                sql: """
                    SELECT COALESCE(team, ''), COALESCE(type, ''), \(money("s")) FROM (
                      SELECT team, type, COALESCE(SUM(value), 0) AS s, 0 AS lvl FROM (SELECT \(team) AS team, type, value FROM opportunities o) GROUP BY team, type
                      UNION ALL SELECT team, NULL, COALESCE(SUM(value), 0), 1 FROM (SELECT \(team) AS team, value FROM opportunities o) GROUP BY team
                      UNION ALL SELECT NULL, NULL, COALESCE(SUM(value), 0), 2 FROM opportunities)
                    ORDER BY lvl = 2, team IS NULL, \(fx.fold("team")), team, lvl, type IS NULL, \(typeRank)
                    """,
                ordered: true, column: nil, minRows: 10),
            // Subtotals of avg, min and max are recomputed over the rows, not over the groups.
            GeneratorQuery(
                crmq: "count, avg value, max close_date, count distinct account of opportunities by type, stage with totals",
                sql: """
                    SELECT COALESCE(type, ''), COALESCE(stage, ''), n, \(money("a")), COALESCE(m, ''), d FROM (
                      SELECT type, stage, COUNT(*) AS n, CAST(ROUND(AVG(value)) AS INTEGER) AS a, MAX(close_date) AS m, COUNT(DISTINCT account) AS d, 0 AS lvl
                        FROM opportunities GROUP BY type, stage
                      UNION ALL SELECT type, NULL, COUNT(*), CAST(ROUND(AVG(value)) AS INTEGER), MAX(close_date), COUNT(DISTINCT account), 1
                        FROM opportunities GROUP BY type
                      UNION ALL SELECT NULL, NULL, COUNT(*), CAST(ROUND(AVG(value)) AS INTEGER), MAX(close_date), COUNT(DISTINCT account), 2 FROM opportunities)
                    ORDER BY lvl = 2, type IS NULL, \(typeRank), lvl, stage IS NULL, \(fx.enumRank("stage", "stage"))
                    """,
                ordered: true, column: nil, minRows: 10),
        ]
        Self.expectRows(cases, try DiffCompare.check(fx, cases, label: "computed group"))
    }

    static func expectRows(_ cases: [GeneratorQuery], _ answers: [[[String]]], sourceLocation: SourceLocation = #_sourceLocation) {
        for (q, rows) in zip(cases, answers) {
            #expect(rows.count >= q.minRows, "expected at least \(q.minRows) rows from: \(q.crmq) (got \(rows.count))",
                    sourceLocation: sourceLocation)
        }
    }
}
