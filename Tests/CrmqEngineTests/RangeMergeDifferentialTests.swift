import Testing
@testable import CrmqEngine

/// Two bounds on one field (`>=` and `<`, `between`, `within`, `in this quarter`) are one range:
/// the planner searches the index once with both. Its answers against sqlite3 at the edges (empty
/// and inverted ranges, nulls, inclusive and exclusive bounds, datetimes at midnight), and the plan.
@Suite("Differential: merged ranges against sqlite3")
struct RangeMergeDifferentialTests {
    /// `crmq` keeps the rows that `sql` (a condition on the table's columns) keeps.
    static func find(_ entity: String, _ crmq: String, _ sql: String, minRows: Int = 0) -> GeneratorQuery {
        GeneratorQuery(crmq: "find \(entity) where \(crmq) show id", sql: "SELECT id FROM \(entity) WHERE \(sql)",
                       ordered: false, column: "id", minRows: minRows)
    }

    @Test func rangesAgreeWithSqlite() throws {
        let fx = try DifferentialFixture.get()
        let t = "'\(DifferentialFixture.todayText)'"
        let cases: [GeneratorQuery] = [
            // Dates: inclusive and exclusive ends, written in either order and either way round.
            Self.find("opportunities", "close_date >= 2026-04-01 and close_date < 2026-07-01",
                      "close_date >= '2026-04-01' AND close_date < '2026-07-01'", minRows: 5),
            Self.find("opportunities", "close_date < 2026-07-01 and close_date >= 2026-04-01",
                      "close_date >= '2026-04-01' AND close_date < '2026-07-01'", minRows: 5),
            Self.find("opportunities", "close_date > 2026-04-01 and close_date <= 2026-06-30",
                      "close_date > '2026-04-01' AND close_date <= '2026-06-30'", minRows: 5),
            Self.find("opportunities", "2026-04-01 <= close_date and 2026-06-30 > close_date",
                      "close_date >= '2026-04-01' AND close_date < '2026-06-30'", minRows: 5),
            Self.find("opportunities", "close_date between 2026-04-01 and 2026-06-30 and close_date != 2026-05-01",
                      "close_date BETWEEN '2026-04-01' AND '2026-06-30' AND close_date != '2026-05-01'", minRows: 5),
            Self.find("opportunities", "close_date in this quarter and close_date >= 2026-05-01",
                      "close_date BETWEEN '2026-04-01' AND '2026-06-30' AND close_date >= '2026-05-01'", minRows: 5),
            Self.find("opportunities", "close_date within last 60 days and close_date < 2026-06-01",
                      "close_date BETWEEN date(\(t), '-60 days') AND \(t) AND close_date < '2026-06-01'", minRows: 1),
            // One day, an empty range, an inverted one, and bounds that only touch.
            Self.find("opportunities", "close_date >= 2026-05-12 and close_date <= 2026-05-12", "close_date = '2026-05-12'"),
            Self.find("opportunities", "close_date > 2026-05-12 and close_date < 2026-05-13", "0"),
            Self.find("opportunities", "close_date >= 2026-07-01 and close_date < 2026-04-01", "0"),
            Self.find("opportunities", "close_date between 2026-06-30 and 2026-04-01", "0"),
            // Nulls pass no bound, and pass the negation of both.
            Self.find("opportunities", "not (close_date >= 2026-04-01 and close_date < 2026-07-01)",
                      "NOT COALESCE(close_date >= '2026-04-01' AND close_date < '2026-07-01', 0)", minRows: 5),
            Self.find("leads", "converted_at >= 2025-01-01 and converted_at < 2027-01-01",
                      "converted_at >= '2025-01-01T00:00:00Z' AND converted_at < '2027-01-01T00:00:00Z'", minRows: 1),
            // Datetimes: a day covers the whole day; midnight as an instant is its first second.
            Self.find("activities", "due_at >= 2026-05-16 and due_at < 2026-06-15",
                      "due_at >= '2026-05-16T00:00:00Z' AND due_at < '2026-06-15T00:00:00Z'", minRows: 5),
            Self.find("activities", "due_at > 2026-05-16 and due_at <= 2026-06-15",
                      "due_at > '2026-05-16T23:59:59Z' AND due_at <= '2026-06-15T23:59:59Z'", minRows: 5),
            Self.find("activities", "due_at >= 2026-05-16T00:00:00Z and due_at < 2026-06-15T00:00:00Z",
                      "due_at >= '2026-05-16T00:00:00Z' AND due_at < '2026-06-15T00:00:00Z'", minRows: 5),
            Self.find("activities", "due_at > 2026-05-16T00:00:00Z and due_at <= 2026-06-15T00:00:00Z",
                      "due_at > '2026-05-16T00:00:00Z' AND due_at <= '2026-06-15T00:00:00Z'", minRows: 5),
            Self.find("activities", "due_at >= 2026-06-15T00:00:00Z and due_at < 2026-06-15T00:00:00Z", "0"),
            Self.find("activities", "due_at within last 30 days and due_at < 2026-06-01 and type = \"call\"",
                      "substr(due_at, 1, 10) BETWEEN date(\(t), '-30 days') AND \(t) AND due_at < '2026-06-01T00:00:00Z' AND type = 'call'"),
            // Money (hundredths in sqlite), and a range through a reference.
            Self.find("opportunities", "value >= 1000 and value < 5000.50", "value >= 100000 AND value < 500050", minRows: 5),
            Self.find("opportunities", "value > 5000 and value > 1000 and value <= 90000", "value > 500000 AND value <= 9000000", minRows: 5),
            Self.find("opportunities", "account.employees >= 50 and account.employees < 500",
                      "account IN (SELECT id FROM accounts WHERE employees >= 50 AND employees < 500)", minRows: 5),
            // The same ranges under aggregates.
            GeneratorQuery(crmq: "count activities where due_at >= 2026-05-16 and due_at < 2026-06-15",
                           sql: "SELECT COUNT(*) FROM activities WHERE due_at >= '2026-05-16T00:00:00Z' AND due_at < '2026-06-15T00:00:00Z'",
                           ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: "count opportunities where close_date between 2026-04-01 and 2026-06-30 and close_date < 2026-05-01",
                           sql: "SELECT COUNT(*) FROM opportunities WHERE close_date >= '2026-04-01' AND close_date < '2026-05-01'",
                           ordered: true, column: nil, minRows: 1),
        ]
        let answers = try DiffCompare.check(fx, cases, label: "merged range")
        for (q, rows) in zip(cases, answers) {
            #expect(rows.count >= q.minRows, "expected at least \(q.minRows) rows from: \(q.crmq) (got \(rows.count))")
        }
    }

    /// Both bounds of each form reach the index as one search, with nothing left to filter.
    @Test(arguments: [
        ("activities", "due_at >= 2026-05-16 and due_at < 2026-06-15"),
        ("activities", "due_at < 2026-06-15 and due_at >= 2026-05-16"),
        ("opportunities", "close_date between 2026-04-01 and 2026-06-30"),
        ("opportunities", "close_date in this quarter"),
        ("opportunities", "close_date within last 30 days"),
        ("opportunities", "close_date > 2026-04-01 and close_date <= 2026-04-09"),
    ])
    func bothBoundsInOneSearch(_ entity: String, _ condition: String) throws {
        let db = PlannerPropertyTests.db
        let statement = try Parser.parseAll(SourceText(name: "q", text: "find \(entity) where \(condition)"))[0]
        guard case .find(let q) = try Binder(schema: db.schema, today: PlannerPropertyTests.today).bind(statement) else {
            Issue.record("not a find")
            return
        }
        let plan = Planner(db).plan(q).filter
        guard case .range(_, let lo, let hi) = plan.access else {
            Issue.record("\(condition): not one range search but \(plan.access)")
            return
        }
        #expect(lo <= hi)
        #expect(plan.residual == .all, "\(condition): a bound is left to filter")
    }
}
