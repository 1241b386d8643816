import Testing
@testable import CrmqEngine

/// Exact answers on the hand-made database, one per language form.
@Suite struct ExecutorTests {
    let session = TinyCRM.session()

    func ids(_ q: String) throws -> [String] {
        try session.query(q).column("id")
    }

    @Test func equalityAndRange() throws {
        #expect(try ids(#"find opportunities where stage = "Negotiation" and value > 10000"#) == ["1", "6"])
        #expect(try ids(#"find opportunities where stage = "negotiation" and value > 30000"#) == ["6"])
        #expect(try ids("find opportunities where value >= 5000.50 and value <= 12000.50") == ["2", "3", "4"])
        #expect(try ids("find opportunities where value > 5000.50 and value < 12000.50") == ["2"])
    }

    @Test func textIsCaseInsensitive() throws {
        #expect(try ids(#"find accounts where industry = "RETAIL""#) == ["1", "3"])
        #expect(try ids(#"find accounts where industry in ("retail", "manufacturing")"#) == ["1", "2", "3"])
        #expect(try ids(#"find contacts where title contains "INTERN""#) == ["2"])
        #expect(try ids(#"find contacts where last_name starts with "sm" and email contains "gmail""#) == ["5"])
        #expect(try ids(#"find contacts where email ends with "@ACME.NO""#) == ["1"])
        #expect(try ids(#"find contacts where last_name = "MÜLLER""#) == ["3"])
    }

    @Test func notKeepsNullsAsSOQLDoes() throws {
        // Contact 4 has no title: "not contains" keeps it, "contains" does not.
        #expect(try ids(#"find contacts where not (title contains "intern")"#) == ["1", "3", "4", "5"])
        #expect(try ids(#"find contacts where title not contains "intern""#) == ["1", "3", "4", "5"])
        #expect(try ids(#"find opportunities where lead_source != "web form""#) == ["2", "3", "6"])
        #expect(try ids("find opportunities where lead_source is null") == ["6"])
        #expect(try ids("find opportunities where lead_source = null") == ["6"])
        #expect(try ids("find opportunities where lead_source is not null").count == 5)
    }

    @Test func dotPaths() throws {
        #expect(try ids(#"find contacts where account.industry = "Retail" and not (title contains "intern")"#) == ["1", "4"])
        #expect(try ids(#"find opportunities where account.owner.team = "DACH""#) == ["3", "6"])
        // Contact 5 has no account: its account.industry is null.
        #expect(try ids("find contacts where account.industry is null") == ["5"])
        #expect(try ids(#"find contacts where account.industry != "Retail""#) == ["3", "5"])
        let r = try session.query(#"find contacts where account.industry = "Retail" show first_name, last_name, account.name"#)
        #expect(r.columns.map(\.name) == ["first_name", "last_name", "account.name"])
        #expect(r.plainRows == [["Kari", "Nordmann", "Acme Retail AS"], ["Ola", "Hansen", "Acme Retail AS"], ["Núria", "Serra", "Serra SL"]])
    }

    @Test func dates() throws {
        #expect(try ids("find opportunities where close_date between 2026-01-01 and 2026-03-31") == ["3", "4", "5"])
        #expect(try ids("find opportunities where close_date within next 30 days") == ["1", "2"])
        #expect(try ids("find opportunities where close_date in this quarter") == ["2"])
        #expect(try ids("find opportunities where close_date in last quarter") == ["3", "4", "5"])
        #expect(try ids("find opportunities where close_date = 2026-03-31") == ["4"])
        #expect(try ids("find opportunities where close_date before 2026-02-10") == ["5"])
        #expect(try ids("find opportunities where close_date > this month") == ["1", "6"])
        #expect(try ids("find activities where due_at = today") == [])
        #expect(try ids("find activities where due_at = tomorrow") == ["2"])
        #expect(try ids("find activities where due_at within this week") == ["2", "3"])
        #expect(try ids("find leads where created_at within last 90 days") == ["1"])
        #expect(try ids("find activities where due_at > 2026-06-16T09:59:59") == ["2", "3"])
    }

    @Test func orderLimitOffset() throws {
        #expect(try ids("find opportunities order by value desc limit 3") == ["6", "1", "3"])
        #expect(try ids("find opportunities order by value desc limit 2 offset 2") == ["3", "2"])
        // Nulls sort last in both directions.
        #expect(try ids("find opportunities order by lead_source, id") == ["1", "4", "5", "2", "3", "6"])
        #expect(try ids("find opportunities order by lead_source desc, id") == ["3", "2", "1", "4", "5", "6"])
        // Enums sort in their list's order: the pipeline's for stages.
        #expect(try ids("find opportunities order by stage, id") == ["2", "1", "6", "3", "4", "5"])
        #expect(try ids("find accounts order by name desc") == ["3", "2", "1"])
    }

    @Test func defaultAndAllColumns() throws {
        let r = try session.query("find opportunities where id = 1")
        #expect(r.columns.map(\.name) == ["id", "name", "account.name", "stage", "value", "close_date", "owner.name"])
        #expect(r.plainRows == [["1", "Acme – CRM Enterprise", "Acme Retail AS", "Negotiation", "25000.00", "2026-07-01", "Anna Berg"]])
        let all = try session.query("find opportunities show *")
        #expect(all.columns.count == 15)
        #expect(all.rowCount == 6)
        #expect(all.column("account") == ["1", "1", "2", "3", "3", "2"])
        #expect(all.column("probability") == ["80.00", "60.00", "100.00", "100.00", "0.00", "80.00"])
    }

    @Test func aggregates() throws {
        #expect(try session.query("count opportunities by stage").plainRows ==
                [["Proposal", "1"], ["Negotiation", "2"], ["Closed Won", "2"], ["Closed Lost", "1"]])
        #expect(try session.query("count activities where done = false by owner.name, type").plainRows ==
                [["Anna Berg", "email", "1"], ["Ben Smith", "meeting", "1"], ["Carla Puig", "call", "1"]])
        #expect(try session.query(#"sum value of opportunities where stage = "Closed Won" by account.country"#).plainRows ==
                [["Germany", "12000.50"], ["Spain", "5000.50"]])
        #expect(try session.query("avg value of opportunities by lead_source").plainRows ==
                [["web form", "11000.17"], ["referral", "8000.00"], ["event", "12000.50"], ["", "40000.00"]])
        #expect(try session.query("count opportunities").plainRows == [["6"]])
        #expect(try session.query("sum value of opportunities").plainRows == [["93001.00"]])
        #expect(try session.query("min close_date of opportunities").plainRows == [["2026-01-15"]])
        #expect(try session.query("max name of accounts").plainRows == [["Serra SL"]])
        #expect(try session.query("avg score of leads").plainRows == [["61.67"]])
        #expect(try session.query(#"sum value of opportunities where stage = "Prospecting""#).plainRows == [["0.00"]])
        #expect(try session.query("count opportunities by owner.name order by count desc, owner.name limit 2").plainRows ==
                [["Anna Berg", "2"], ["Ben Smith", "2"]])
        #expect(try session.query("count accounts by industry").plainRows == [["Manufacturing", "1"], ["Retail", "1"], ["retail", "1"]])
    }
}
