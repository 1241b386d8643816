import Foundation
import Testing
@testable import CrmqEngine

// Differential tests of the reports: every figure of `report funnel`, `forecast`, `activity` and
// `dashboard` is computed again in sqlite3 from the exported raw rows (DifferentialFixture: the
// demo data at scale 0.002, today 2026-06-15), with hand-written SQL that spells out each
// definition of the issue, and compared cell by cell with the report's table (plain text, as csv
// shows it). The periods are spelled as dates here, not worked out by crmq's code.
//
// In SQL money and percent are integer hundredths; rates and averages are rounded half away
// from zero in integer arithmetic: round(p / w) = (2p + w) / 2w for p, w >= 0.

@Suite("Differential: reports against sqlite3")
struct ReportDifferentialTests {
    /// "Now" in the fixture's session: today is pinned to 2026-06-15, so noon that day.
    static let now = "'2026-06-15T12:00:00Z'"
    /// The pipelines of the data. A deal is open, won or lost by its stage's kind in its own
    /// pipeline (PipelineSQL), so Enterprise deals count as Sales deals do.
    static var pipelines: [Pipeline] { ((try? DifferentialFixture.get())?.schema ?? .standard).pipelines }
    static var allStages: [Stage] { pipelines.flatMap(\.stages) }

    static func money(_ e: String) -> String { SQLText.hundredths(e) }
    /// `p / w` as a percent with two decimals; empty when `w` is 0.
    static func rate(_ p: String, _ w: String) -> String {
        SQLText.hundredths("CASE WHEN (\(w)) = 0 THEN NULL ELSE ((\(p)) * 20000 + (\(w))) / (2 * (\(w))) END")
    }
    /// Cents of the sum of value x probability / 100 (probability in hundredths of a point).
    static func weighted(_ rows: String) -> String {
        "((COALESCE(SUM(\(rows)), 0) * 2 + 10000) / 20000)"
    }

    /// Runs the report in crmq and the SQL (one query per row, or one for all rows), and compares.
    func check(_ report: String, _ sql: [String], minRows: Int = 1) throws {
        let fx = try DifferentialFixture.get()
        let result = try fx.crmq(report)
        let crmq = (0..<result.rowCount).map { r in result.row(r).map(\.plainText) }
        let answers = try fx.sqlite.query(sql)
        let expected = answers.flatMap { $0 }
        #expect(crmq.count >= minRows, "\(report): \(crmq.count) rows")
        if let d = DiffCompare.difference(crmq: crmq, sql: expected, ordered: true) {
            Issue.record("\(report)\n\(d)")
        }
    }

    // MARK: - Funnel

    /// A pipeline's open and won stages, in order.
    static func stages(of p: Pipeline) -> [String] { p.stages.filter { !$0.isClosed || $0.isWon }.map(\.name) }

    /// One row per stage and the total, over the deals of the pipeline passing `user`; the first
    /// pipeline (the standard one) also has the deals with no pipeline.
    static func funnelSQL(_ pipeline: Pipeline? = nil, user: String) -> [String] {
        let p = pipeline ?? pipelines[0]
        let stages = stages(of: p)
        let inPipeline = p.name == pipelines[0].name
            ? "(o.pipeline = \(SQLText.string(p.name)) OR o.pipeline IS NULL)" : "o.pipeline = \(SQLText.string(p.name))"
        let base = "SELECT * FROM opportunities o WHERE \(inPipeline) AND (\(user))"
        func reached(_ i: Int) -> String {
            let later = stages[i...].map { SQLText.string($0) }.joined(separator: ", ")
            return "(SELECT COUNT(*) FROM (\(base)) b WHERE EXISTS (SELECT 1 FROM stage_changes s WHERE s.opportunity = b.id AND s.to_stage IN (\(later))))"
        }
        func figures(_ inStages: String) -> String {
            let rows = "(SELECT * FROM (\(base)) b WHERE b.stage IN \(inStages))"
            return "(SELECT COUNT(*) FROM \(rows)), \(money("(SELECT COALESCE(SUM(value), 0) FROM \(rows))")), "
                + money("(SELECT CASE WHEN COUNT(value) = 0 THEN NULL ELSE (2 * SUM(value) + COUNT(value)) / (2 * COUNT(value)) END FROM \(rows))")
        }
        var out: [String] = []
        for (i, stage) in stages.enumerated() {
            let last = i == stages.count - 1
            let converted = last ? "''" : rate(reached(i + 1), reached(i))
            let dropped = last ? "''" : "\(reached(i)) - \(reached(i + 1))"
            out.append("SELECT \(SQLText.string(stage)), \(reached(i)), \(converted), \(dropped), \(figures("(\(SQLText.string(stage)))"))")
        }
        let all = "(" + stages.map { SQLText.string($0) }.joined(separator: ", ") + ")"
        let first = reached(0), last = reached(stages.count - 1)
        out.append("SELECT '', \(first), \(rate(last, first)), \(first) - \(last), \(figures(all))")
        return out
    }

    @Test func funnel() throws {
        try check("report funnel", Self.funnelSQL(user: "1"), minRows: 3)
        try check(#"report funnel for pipeline "Sales" where owner.team = "DACH""#,
                  Self.funnelSQL(user: "(SELECT lower(team) FROM users u WHERE u.id = o.owner) = 'dach'"), minRows: 3)
        try check("report funnel where value > 50000 and type = \"new business\"",
                  Self.funnelSQL(user: "o.value > 5000000 AND o.type = 'new business'"), minRows: 3)
        // Every pipeline of the data (the demo data may have more than one).
        for p in Self.pipelines.dropFirst() {
            try check("report funnel for pipeline \(SQLText.string(p.name).replacingOccurrences(of: "'", with: "\""))",
                      Self.funnelSQL(p, user: "1"), minRows: 3)
        }
    }

    // MARK: - Forecast

    enum Key { case none, owner, team, month([String]) }

    static func forecastSQL(_ lo: String, _ hi: String, history hlo: String, _ hhi: String, key: Key, user: String = "1") -> String {
        let keyExpr = switch key {
        case .none: "NULL"
        case .owner: "(SELECT name FROM users u WHERE u.id = o.owner)"
        case .team: "(SELECT team FROM users u WHERE u.id = o.owner)"
        case .month: "substr(o.close_date, 1, 7)"
        }
        let keys = switch key {
        case .none: "SELECT NULL AS k"
        case .month(let months): months.map { "SELECT '\($0)' AS k" }.joined(separator: " UNION ALL ")
        default: "SELECT DISTINCT k FROM d WHERE close_date BETWEEN '\(lo)' AND '\(hi)' AND COALESCE(\(PipelineSQL.kind()) IN ('won', 'open'), 0)"
        }
        let inPeriod = "d.k IS keys.k AND d.close_date BETWEEN '\(lo)' AND '\(hi)'"
        let historyKey: String = switch key {
        case .none, .month: "1"
        default: "d.k IS keys.k"
        }
        let inHistory = "\(historyKey) AND d.close_date BETWEEN '\(hlo)' AND '\(hhi)'"
        let label = if case .none = key { "'\(lo) to \(hi)'" } else { "COALESCE(k, '')" }
        return """
            WITH d AS (SELECT o.*, \(keyExpr) AS k FROM opportunities o WHERE (\(user))),
            keys AS (\(keys)),
            f AS (SELECT keys.k AS k,
              (SELECT COALESCE(SUM(value), 0) FROM d WHERE \(inPeriod) AND \(PipelineSQL.isWon())) AS won,
              (SELECT COALESCE(SUM(value), 0) FROM d WHERE \(inPeriod) AND \(PipelineSQL.isOpen())) AS pipe,
              (SELECT \(weighted("value * probability")) FROM d WHERE \(inPeriod) AND \(PipelineSQL.isOpen())) AS w,
              (SELECT COALESCE(SUM(value), 0) FROM d WHERE \(inPeriod) AND \(PipelineSQL.isOpen()) AND probability >= 8000) AS com,
              (SELECT COUNT(*) FROM d WHERE \(inHistory) AND \(PipelineSQL.isWon())) AS hw,
              (SELECT COUNT(*) FROM d WHERE \(inHistory) AND \(PipelineSQL.isClosed())) AS hc
              FROM keys)
            SELECT \(label), \(money("won")), \(money("pipe")), \(money("w")), \(money("won + com")), \(money("won + pipe")),
              \(rate("hw", "hc")), \(money("CASE WHEN hc = 0 THEN NULL ELSE won + (2 * pipe * hw + hc) / (2 * hc) END"))
            FROM f ORDER BY k IS NULL, lower(k), k
            """
    }

    @Test func forecast() throws {
        try check("report forecast", [Self.forecastSQL("2026-04-01", "2026-06-30", history: "2025-04-01", "2026-03-31", key: .none)])
        try check("report forecast this quarter by owner.team",
                  [Self.forecastSQL("2026-04-01", "2026-06-30", history: "2025-04-01", "2026-03-31", key: .team)], minRows: 3)
        // 91 days (today and the 90 before), and the 4 x 91 days before them.
        try check("report forecast last 90 days by owner where value > 20000",
                  [Self.forecastSQL("2026-03-17", "2026-06-15", history: "2025-03-18", "2026-03-16", key: .owner,
                                    user: "o.value > 2000000")], minRows: 5)
        let months = (1...12).map { String(format: "2026-%02d", $0) }
        try check("report forecast this fiscal year by month",
                  [Self.forecastSQL("2026-01-01", "2026-12-31", history: "2022-01-01", "2025-12-31", key: .month(months))], minRows: 12)
        try check(#"report forecast between 2026-01-01 and 2026-03-31 where owner.team = "DACH""#,
                  [Self.forecastSQL("2026-01-01", "2026-03-31", history: "2025-01-06", "2025-12-31", key: .none,
                                    user: "(SELECT lower(team) FROM users u WHERE u.id = o.owner) = 'dach'")])
    }

    /// As of a day, the forecast's period and history are that day's (the first quarter of 2026, history
    /// 2025), over the deals as they stood then (AsOfDifferentialTests' tables).
    @Test func forecastAsOf() throws {
        let fx = try DifferentialFixture.get()
        let tables = AsOfDifferentialTests.tables(fx, "2026-03-31T23:59:59Z").trimmingCharacters(in: .whitespacesAndNewlines)
        let sql = Self.forecastSQL("2026-01-01", "2026-03-31", history: "2025-01-01", "2025-12-31", key: .owner)
            .replacingOccurrences(of: "WITH d AS (", with: tables + ", d AS (")
            .replacingOccurrences(of: "FROM opportunities o", with: "FROM o o")
        try check("report forecast as of 2026-03-31 by owner", [sql], minRows: 3)
    }

    // MARK: - Activity

    static func activitySQL(_ lo: String, _ hi: String, team: Bool, user: String = "1") -> String {
        let field = team ? "team" : "name"
        let key = "(SELECT \(field) FROM users u WHERE u.id = t.owner)"
        let ownerKey = "(SELECT \(field) FROM users u WHERE u.id = o.owner)"
        return """
            WITH a AS (SELECT t.*, \(key) AS k FROM activities t WHERE substr(t.due_at, 1, 10) BETWEEN '\(lo)' AND '\(hi)' AND (\(user))),
            g AS (SELECT k, SUM(type = 'call') AS calls, SUM(type = 'email') AS emails, SUM(type = 'meeting') AS meetings,
                    SUM(type = 'task') AS tasks, SUM(COALESCE(done, 0) = 1) AS done, COUNT(*) AS n,
                    SUM(COALESCE(done, 0) != 1 AND due_at < \(now)) AS overdue, COUNT(DISTINCT opportunity) AS touched
                  FROM a GROUP BY k)
            SELECT COALESCE(k, ''), calls, emails, meetings, tasks, done, n - done, overdue, touched,
              (SELECT COUNT(*) FROM opportunities o WHERE \(ownerKey) IS g.k AND o.close_date BETWEEN '\(lo)' AND '\(hi)' AND \(PipelineSQL.isWon("o")))
            FROM g ORDER BY k IS NULL, lower(k), k
            """
    }

    @Test func activity() throws {
        try check("report activity", [Self.activitySQL("2026-05-16", "2026-06-15", team: false)], minRows: 5)
        try check(#"report activity this quarter by owner.team where type = "call" or done = false"#,
                  [Self.activitySQL("2026-04-01", "2026-06-30", team: true, user: "t.type = 'call' OR t.done = 0")], minRows: 3)
        try check("report activity between 2026-06-01 and 2026-06-30 by owner",
                  [Self.activitySQL("2026-06-01", "2026-06-30", team: false)], minRows: 5)
    }

    // MARK: - Dashboard

    static func dashboardSQL(user: String = "1") -> [String] {
        let d = "(SELECT * FROM opportunities o WHERE (\(user)))"
        let history = "close_date BETWEEN '2025-04-01' AND '2026-03-31'"
        let days = "(julianday(close_date) - julianday(substr(created_at, 1, 10)))"
        let overdue = "a.type = 'task' AND COALESCE(a.done, 0) != 1 AND a.due_at < \(now)"
        let tasks = user == "1"
            ? "(SELECT COUNT(*) FROM activities a WHERE \(overdue))"
            : "(SELECT COUNT(*) FROM activities a JOIN opportunities o ON o.id = a.opportunity WHERE \(overdue) AND (\(user)))"
        var out = [
            "SELECT 'open deals', COUNT(*) FROM \(d) WHERE \(PipelineSQL.isOpen())",
            "SELECT 'open pipeline', \(money("COALESCE(SUM(value), 0)")) FROM \(d) WHERE \(PipelineSQL.isOpen())",
            "SELECT 'weighted pipeline', \(money(weighted("value * probability"))) FROM \(d) WHERE \(PipelineSQL.isOpen())",
            "SELECT 'won this quarter', \(money("COALESCE(SUM(value), 0)")) FROM \(d) WHERE \(PipelineSQL.isWon()) AND close_date BETWEEN '2026-04-01' AND '2026-06-30'",
            "SELECT 'won last quarter', \(money("COALESCE(SUM(value), 0)")) FROM \(d) WHERE \(PipelineSQL.isWon()) AND close_date BETWEEN '2026-01-01' AND '2026-03-31'",
            "SELECT 'win rate', \(rate("(SELECT COUNT(*) FROM \(d) WHERE \(PipelineSQL.isWon()) AND \(history))", "(SELECT COUNT(*) FROM \(d) WHERE \(PipelineSQL.isClosed()) AND \(history))"))",
            "SELECT 'average cycle days', \(money("CASE WHEN COUNT(*) = 0 THEN NULL ELSE (CAST(SUM(\(days)) AS INTEGER) * 200 + COUNT(*)) / (2 * COUNT(*)) END")) FROM \(d) WHERE \(PipelineSQL.isWon()) AND \(history) AND created_at IS NOT NULL AND close_date IS NOT NULL",
            "SELECT 'overdue tasks', \(tasks)",
        ]
        // The open stages of every pipeline, in the stage list's order (pipeline by pipeline).
        let closedNames = Set(allStages.filter(\.isClosed).map { $0.name.lowercased() })
        let stageList = ((try? DifferentialFixture.get())?.enumValues("stage") ?? []).filter { !closedNames.contains($0.lowercased()) }
        for stage in stageList {
            out.append("SELECT 'open deals in ' || stage, COUNT(*) FROM \(d) WHERE stage = \(SQLText.string(stage)) GROUP BY stage")
        }
        return out
    }

    @Test func dashboard() throws {
        try check("report dashboard", Self.dashboardSQL(), minRows: 14)
        try check(#"report dashboard where owner.team = "DACH""#,
                  Self.dashboardSQL(user: "(SELECT lower(team) FROM users u WHERE u.id = o.owner) = 'dach'"), minRows: 10)
    }

    // MARK: - The second pipeline

    /// How many Enterprise deals pass `condition` (SQL over the exported rows): a case below means
    /// something only when the data has such deals.
    static func enterpriseDeals(_ condition: String) throws -> Int {
        let fx = try DifferentialFixture.get()
        return Int(try fx.sqlite.query(["SELECT COUNT(*) FROM opportunities WHERE pipeline = 'Enterprise' AND \(condition)"])[0][0][0]) ?? 0
    }

    /// Enterprise deals are won in "Contract signed", lost in "Lost" and open before: a report that
    /// took only the Sales stages as won or closed (Enterprise deals open, or left out) fails here.
    @Test func enterpriseDealsCount() throws {
        let enterprise = "o.pipeline = 'Enterprise'"
        let half = "close_date BETWEEN '2026-01-01' AND '2026-06-30'"
        #expect(try Self.enterpriseDeals("\(PipelineSQL.isWon()) AND \(half)") > 0)
        #expect(try Self.enterpriseDeals("\(PipelineSQL.isOpen()) AND \(half)") > 0)
        #expect(try Self.enterpriseDeals("\(PipelineSQL.isLost()) AND close_date BETWEEN '2024-01-08' AND '2025-12-31'") > 0)
        // 181 days, and the 4 x 181 days before them.
        try check(#"report forecast between 2026-01-01 and 2026-06-30 where pipeline = "Enterprise""#,
                  [Self.forecastSQL("2026-01-01", "2026-06-30", history: "2024-01-08", "2025-12-31", key: .none, user: enterprise)])
        try check(#"report forecast between 2026-01-01 and 2026-06-30 by owner.team"#,
                  [Self.forecastSQL("2026-01-01", "2026-06-30", history: "2024-01-08", "2025-12-31", key: .team)], minRows: 3)
        // The won column counts the owners' Enterprise deals too.
        #expect(try Self.enterpriseDeals("\(PipelineSQL.isWon()) AND close_date BETWEEN '2025-06-15' AND '2026-06-15'") > 0)
        try check("report activity between 2025-06-15 and 2026-06-15 by owner.team",
                  [Self.activitySQL("2025-06-15", "2026-06-15", team: true)], minRows: 3)
        #expect(try Self.enterpriseDeals("\(PipelineSQL.isWon()) AND close_date BETWEEN '2025-04-01' AND '2026-03-31'") > 0)
        try check(#"report dashboard where pipeline = "Enterprise""#, Self.dashboardSQL(user: enterprise), minRows: 10)
    }
}
