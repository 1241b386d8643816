import Testing
@testable import CrmqEngine

/// A session on a file reads collections when a statement first needs them: related records must
/// read the parent reached through a dot path and the child collection, and answer exactly as a
/// session that read everything.
@Suite struct RelatedDataFileTests {
    @Test func relatedRecordsReadWhatTheyNeed() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/demo.crmq"
        _ = try DataFile.writeNew(GoldenRun.demo, to: path)
        var settings = Session.Settings(today: Day.parse("2026-06-15")!)
        settings.now = 0
        let full = Session(database: GoldenRun.demo, settings: settings)
        let queries = [
            #"find contacts where any account.opportunities (stage = "Negotiation") show id"#,
            "find contacts where count(account.opportunities) > 20 show id, count(account.opportunities)",
            "find contacts show id, sum(account.opportunities.value where any activities (done = true)) as won order by won desc limit 5",
            #"count activities where no opportunity.account.cases (status = "open") by type"#,
            #"find users where all opportunities (stage != "Closed Lost") show id, max(accounts.employees)"#,
        ]
        for q in queries {
            // Each on a fresh session, so nothing is read before it.
            let lazy = try Session.open(path, settings: settings).0
            #expect(lazy.unread.count == lazy.database.schema.entities.count)
            let rows = try lazy.query(q).plainRows
            #expect(rows == (try full.query(q).plainRows), "\(q)")
            #expect(!rows.isEmpty, "\(q)")
        }
        _ = dir
    }
}
