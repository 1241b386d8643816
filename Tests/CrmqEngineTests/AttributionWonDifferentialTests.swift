import Foundation
import Testing
@testable import CrmqEngine

// Differential tests of `report attribution` and `report won`: every figure is computed again in
// sqlite3 from the exported raw rows (DifferentialFixture: demo data at scale 0.002, today
// 2026-06-15) with hand-written SQL that spells out the issue's definitions, and compared cell by
// cell, in order, with the report's table as csv shows it. Periods are spelled as dates here.
// Money and percent are integer hundredths; rates, averages and shares are rounded half away from
// zero in integer arithmetic: round(p / w) = (2p + w) / 2w for p, w >= 0.
// A deal is won or lost by the kind of its stage in its own pipeline (PipelineSQL: the pipelines'
// stages passed to sqlite as data), so Enterprise deals count as Sales deals do.

@Suite("Differential: report attribution and report won against sqlite3")
struct AttributionWonDifferentialTests {

    static func money(_ e: String) -> String { SQLText.hundredths(e) }
    /// `p / w` in hundredths of a percent point, as text; empty when `w` is 0.
    static func rate(_ p: String, _ w: String) -> String {
        money("CASE WHEN (\(w)) = 0 THEN NULL ELSE ((\(p)) * 20000 + (\(w))) / (2 * (\(w))) END")
    }
    /// `cents / n`, rounded to the cent; empty when `n` is 0.
    static func share(_ cents: String, _ n: String) -> String {
        money("CASE WHEN (\(n)) = 0 THEN NULL ELSE (2 * (\(cents)) + (\(n))) / (2 * (\(n))) END")
    }
    /// Whole days from a datetime's day to a date's (or datetime's) day.
    static func days(from start: String, to end: String) -> String {
        "CAST(julianday(substr(\(end), 1, 10)) - julianday(substr(\(start), 1, 10)) AS INTEGER)"
    }

    func check(_ report: String, _ sql: String, minRows: Int = 2) throws {
        let fx = try DifferentialFixture.get()
        let result = try fx.crmq(report)
        let crmq = (0..<result.rowCount).map { r in result.row(r).map(\.plainText) }
        let expected = try fx.sqlite.query([sql])[0]
        #expect(crmq.count >= minRows, "\(report): \(crmq.count) rows")
        if let d = DiffCompare.difference(crmq: crmq, sql: expected, ordered: true) {
            Issue.record("\(report)\n\(d)")
        }
    }

    // MARK: - Attribution

    /// The attribution rows over `leads` (a table expression), keyed by `key` over its rows `g`,
    /// ordered by `order`; `opportunities` is the table the conversions' deals are looked up in.
    static func attributionSQL(leads: String, key: String, order: String, opportunities: String = "opportunities",
                               prefix: String = "") -> String {
        let deal = "(SELECT 1 FROM \(opportunities) o WHERE o.id = g.converted_opportunity)"
        let wonDeal = "(SELECT o.value FROM \(opportunities) o WHERE o.id = g.converted_opportunity AND \(PipelineSQL.isWon("o")))"
        let isWon = "EXISTS (SELECT 1 FROM \(opportunities) o WHERE o.id = g.converted_opportunity AND \(PipelineSQL.isWon("o")))"
        return """
            \(prefix) SELECT COALESCE(k, ''), n, c, \(rate("c", "n")), opps, wins, \(money("revenue")), \(share("revenue", "n")),
              \(money("CASE WHEN c = 0 THEN NULL ELSE (200 * d + c) / (2 * c) END"))
            FROM (SELECT k, COUNT(*) AS n, SUM(g.converted_at IS NOT NULL) AS c,
                    SUM(EXISTS \(deal)) AS opps, SUM(\(isWon)) AS wins,
                    COALESCE(SUM(\(wonDeal)), 0) AS revenue,
                    COALESCE(SUM(CASE WHEN g.converted_at IS NOT NULL THEN \(days(from: "g.created_at", to: "g.converted_at")) END), 0) AS d,
                    MIN(ord) AS ord
                  FROM (SELECT (\(key)) AS k, (\(order)) AS ord, x.* FROM (\(leads)) x) g GROUP BY k)
            ORDER BY k IS NULL, ord, k
            """
    }

    @Test func attributionBySourceAndCampaign() throws {
        let fx = try DifferentialFixture.get()
        let lastYear = "SELECT * FROM leads WHERE substr(created_at, 1, 10) BETWEEN '2025-06-15' AND '2026-06-15'"
        let sourceRank = fx.enumRank("x.source", "lead_source")
        let campaign = "(SELECT name FROM campaigns c WHERE c.id = x.campaign)"
        try check("report attribution", Self.attributionSQL(leads: lastYear, key: "x.source", order: sourceRank))
        try check("report attribution by source", Self.attributionSQL(leads: lastYear, key: "x.source", order: sourceRank))
        try check("report attribution by campaign",
                  Self.attributionSQL(leads: lastYear, key: campaign, order: fx.fold(campaign)))
        try check("report attribution between 2024-01-01 and 2024-12-31 by source where score >= 50",
                  Self.attributionSQL(leads: "SELECT * FROM leads WHERE substr(created_at, 1, 10) BETWEEN '2024-01-01' AND '2024-12-31' AND score >= 50",
                                      key: "x.source", order: sourceRank))
        try check("report attribution last year by campaign where owner.team = \"DACH\"",
                  Self.attributionSQL(leads: """
                      SELECT * FROM leads l WHERE substr(created_at, 1, 10) BETWEEN '2025-01-01' AND '2025-12-31'
                      AND (SELECT team FROM users u WHERE u.id = l.owner) = 'DACH'
                      """, key: campaign, order: fx.fold(campaign)), minRows: 1)
    }

    /// As of a moment: the leads created by then, and their deals as they stood (AsOfDifferentialTests' tables).
    @Test func attributionAsOf() throws {
        let fx = try DifferentialFixture.get()
        let tables = AsOfDifferentialTests.tables(fx, "2026-03-31T23:59:59Z")
        try check("report attribution as of 2026-03-31",
                  Self.attributionSQL(leads: "SELECT * FROM l WHERE substr(created_at, 1, 10) BETWEEN '2025-03-31' AND '2026-03-31'",
                                      key: "x.source", order: fx.enumRank("x.source", "lead_source"),
                                      opportunities: "o", prefix: tables))
    }

    // MARK: - Won

    /// One won row over the closed deals in `deals` (a table expression with a `k` key column and a
    /// `cycle` column), grouped by k, ordered by `order` over the group's rows.
    static func wonSQL(deals: String, prefix: String = "") -> String {
        let isWon = PipelineSQL.isWon()
        return """
            \(prefix), d AS (\(deals)),
            med AS (SELECT k, CAST(ROUND(AVG(cycle) * 100) AS INTEGER) AS m FROM (
                      SELECT k, cycle, ROW_NUMBER() OVER (PARTITION BY k ORDER BY cycle) AS rn, COUNT(*) OVER (PARTITION BY k) AS n
                      FROM d WHERE \(isWon) AND cycle IS NOT NULL)
                    WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY k)
            SELECT COALESCE(k, ''), w, \(money("revenue")), \(share("revenue", "w")), \(rate("w", "n")),
              \(money("(SELECT m FROM med WHERE med.k IS g.k)")), \(rate("w30", "n30")), \(rate("wl", "nl"))
            FROM (SELECT k, COUNT(*) AS n, COALESCE(SUM(\(isWon)), 0) AS w,
                    COALESCE(SUM(CASE WHEN \(isWon) THEN value END), 0) AS revenue,
                    COALESCE(SUM(cycle <= 30), 0) AS n30, COALESCE(SUM(cycle <= 30 AND \(isWon)), 0) AS w30,
                    COALESCE(SUM(cycle > 30), 0) AS nl, COALESCE(SUM(cycle > 30 AND \(isWon)), 0) AS wl,
                    MIN(ord) AS ord
                  FROM d GROUP BY k) g
            ORDER BY k IS NULL, ord, k
            """
    }

    /// The deals closed between two days, passing `user`, keyed by `key` and ordered by `order` (over `x`), from `table`.
    static func closedDeals(_ key: String, order: String, from lo: String, to hi: String, user: String = "1",
                            table: String = "opportunities") -> String {
        """
        SELECT (\(key)) AS k, (\(order)) AS ord, \(days(from: "x.created_at", to: "x.close_date")) AS cycle, x.*
        FROM \(table) x WHERE x.close_date BETWEEN '\(lo)' AND '\(hi)' AND \(PipelineSQL.isClosed("x")) AND (\(user))
        """
    }

    @Test func wonByEachKey() throws {
        let fx = try DifferentialFixture.get()
        let thisYear = ("2026-01-01", "2026-12-31")
        func byKey(_ by: String, _ key: String, order: String, user: String = "1", crmqWhere: String = "") throws {
            try check("report won by \(by)\(crmqWhere)",
                      Self.wonSQL(deals: Self.closedDeals(key, order: order, from: thisYear.0, to: thisYear.1, user: user), prefix: "WITH x0 AS (SELECT 1)"))
        }
        try byKey("type", "x.type", order: fx.enumRank("x.type", "opportunity_type"))
        try byKey("lead_source", "x.lead_source", order: fx.enumRank("x.lead_source", "lead_source"))
        try byKey("product", "x.product", order: fx.fold("x.product"))
        let owner = "(SELECT name FROM users u WHERE u.id = x.owner)"
        try byKey("owner", owner, order: fx.fold(owner))
        let team = "(SELECT team FROM users u WHERE u.id = x.owner)"
        try byKey("owner.team", team, order: fx.fold(team))
        try byKey("owner.team", team, order: fx.fold(team), user: "x.type = 'new business'", crmqWhere: " where type = \"new business\"")
        try check("report won last quarter by type",
                  Self.wonSQL(deals: Self.closedDeals("x.type", order: fx.enumRank("x.type", "opportunity_type"), from: "2026-01-01", to: "2026-03-31"),
                              prefix: "WITH x0 AS (SELECT 1)"))
    }

    @Test func wonBySize() throws {
        let bands: [(String, String)] = [
            ("< 10,000", "x.value < 1000000"),
            ("10,000-49,999.99", "x.value >= 1000000 AND x.value < 5000000"),
            ("50,000-249,999.99", "x.value >= 5000000 AND x.value < 25000000"),
            (">= 250,000", "x.value >= 25000000"),
        ]
        func sizeSQL(from lo: String, to hi: String, user: String = "1") -> String {
            bands.enumerated().map { i, band in
                "SELECT * FROM (" + Self.wonSQL(deals: Self.closedDeals(SQLText.string(band.0), order: "0", from: lo, to: hi, user: "(\(band.1)) AND (\(user))"),
                                                prefix: "WITH x0 AS (SELECT 1)")
                    .replacingOccurrences(of: "SELECT COALESCE(k, ''), w,", with: "SELECT \(i) AS band, COALESCE(k, ''), w,")
                    + ")"
            }.joined(separator: " UNION ALL ") + " ORDER BY 1"
        }
        let fx = try DifferentialFixture.get()
        // The band's index leads each SQL row only to order them: drop it from the answers.
        func check(_ report: String, _ sql: String) throws {
            let result = try fx.crmq(report)
            let crmq = (0..<result.rowCount).map { r in result.row(r).map(\.plainText) }
            let expected = try fx.sqlite.query([sql])[0].map { Array($0.dropFirst()) }
            #expect(crmq.count == 4, "\(report): \(crmq.count) rows")
            if let d = DiffCompare.difference(crmq: crmq, sql: expected, ordered: true) { Issue.record("\(report)\n\(d)") }
        }
        try check("report won last year by size", sizeSQL(from: "2025-01-01", to: "2025-12-31"))
        try check("report won between 2024-01-01 and 2026-06-15 by size where lead_source = \"referral\"",
                  sizeSQL(from: "2024-01-01", to: "2026-06-15", user: "x.lead_source = 'referral'"))
    }

    /// As of a moment: deals created by then, each in its stage then.
    @Test func wonAsOf() throws {
        let fx = try DifferentialFixture.get()
        let tables = AsOfDifferentialTests.tables(fx, "2026-03-31T23:59:59Z").replacingOccurrences(of: "WITH prob", with: "WITH x0 AS (SELECT 1), prob")
        try check("report won as of 2026-03-31 by type",
                  Self.wonSQL(deals: Self.closedDeals("x.type", order: fx.enumRank("x.type", "opportunity_type"),
                                                      from: "2026-01-01", to: "2026-12-31", table: "o"),
                              prefix: tables.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// The median of an even count is the mean of the two middle values.
    @Test func medianOfAnEvenCount() {
        #expect(WonReport.median([(10, 1), (20, 1), (31, 1), (40, 1)]) == .decimal(2550))
        #expect(WonReport.median([(10, 2), (20, 1)]) == .decimal(1000))
        #expect(WonReport.median([(5, 1), (7, 3)]) == .decimal(700))
        #expect(WonReport.median([]) == .null)
    }

    // MARK: - The second pipeline

    /// Enterprise deals are won in "Contract signed" and lost in "Lost": a report that took only
    /// the Sales stages as won or closed would count none of them and fail here.
    @Test func enterpriseDeals() throws {
        let fx = try DifferentialFixture.get()
        let (lo, hi) = ("2024-01-01", "2026-06-15")
        let counts = try fx.sqlite.query([
            "SELECT COUNT(*) FROM opportunities o WHERE o.pipeline = 'Enterprise' AND \(PipelineSQL.isWon("o")) AND o.close_date BETWEEN '\(lo)' AND '\(hi)'",
            "SELECT COUNT(*) FROM opportunities o WHERE o.pipeline = 'Enterprise' AND \(PipelineSQL.isLost("o")) AND o.close_date BETWEEN '\(lo)' AND '\(hi)'",
            """
            SELECT COUNT(*) FROM leads l JOIN opportunities o ON o.id = l.converted_opportunity
            WHERE o.pipeline = 'Enterprise' AND \(PipelineSQL.isWon("o"))
            """,
        ]).map { Int($0[0][0]) ?? 0 }
        #expect(counts[0] > 0 && counts[1] > 0, "Enterprise deals won and lost: \(counts)")
        #expect(counts[2] > 0, "leads converted into won Enterprise deals: \(counts)")
        let typeRank = fx.enumRank("x.type", "opportunity_type")
        try check("report won between \(lo) and \(hi) by type where pipeline = \"Enterprise\"",
                  Self.wonSQL(deals: Self.closedDeals("x.type", order: typeRank, from: lo, to: hi, user: "x.pipeline = 'Enterprise'"),
                              prefix: "WITH x0 AS (SELECT 1)"), minRows: 1)
        let team = "(SELECT team FROM users u WHERE u.id = x.owner)"
        try check("report won between \(lo) and \(hi) by owner.team",
                  Self.wonSQL(deals: Self.closedDeals(team, order: fx.fold(team), from: lo, to: hi), prefix: "WITH x0 AS (SELECT 1)"))
        try check("report attribution between 2020-01-01 and 2026-06-15 by source where converted_opportunity.pipeline = \"Enterprise\"",
                  Self.attributionSQL(leads: """
                      SELECT * FROM leads l WHERE substr(created_at, 1, 10) BETWEEN '2020-01-01' AND '2026-06-15'
                      AND (SELECT pipeline FROM opportunities o WHERE o.id = l.converted_opportunity) = 'Enterprise'
                      """, key: "x.source", order: fx.enumRank("x.source", "lead_source")), minRows: 1)
    }
}
