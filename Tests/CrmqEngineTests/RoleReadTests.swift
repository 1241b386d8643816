import Foundation
import Testing
@testable import CrmqEngine

/// Each role reads only what its grants hold, by every path: every answer a user of the role gets
/// equals the answer an admin gets on the data with the role's filter written by hand (the
/// records the role may not read deleted, which also empties the references to them, and a
/// hidden field emptied). Finds, counts, sums, groups, dot paths, child collections, `as of`,
/// reports, 360 views and export.
@Suite struct RoleReadTests {
    static let today = Day.parse("2026-06-15")!

    static func session() -> Session {
        var settings = Session.Settings(today: today)
        settings.now = today * 86_400 + 43_200
        settings.keepGoing = true
        return Session(database: GoldenRun.demo, settings: settings)
    }

    static func run(_ s: inout Session, _ text: String) -> String {
        var console = TranscriptConsole()
        _ = s.run(SourceText(name: "input", text: text), on: &console)
        return console.transcript
    }

    /// The first user of `role` and their id.
    static func user(_ role: String) throws -> (email: String, id: String) {
        let row = try session().query("find users where role = \"\(role)\" show email, id order by id limit 1").plainRows[0]
        return (row[0], row[1])
    }

    /// What an admin runs to leave only what the role may read: its filter, by hand.
    static func handFilter(_ role: String, me: String) -> [String] {
        switch role {
        case "sales":
            return ["delete stage_changes where not (opportunity.owner = \(me))",
                    "delete activities where not (owner = \(me))",
                    "delete leads where not (owner = \(me))",
                    "delete opportunities where not (owner = \(me))",
                    "delete cases"]
        case "support":
            return ["delete stage_changes", "delete activities", "delete leads", "delete campaigns",
                    "update opportunities set value = null"]
        default:
            return []
        }
    }

    /// The queries, each run both ways. Those naming a deal's value (directly or in a report) are
    /// refused to support; `valueFree` marks the rest.
    static let queries: [(text: String, valueFree: Bool)] = [
        ("count opportunities", true),
        ("count opportunities by stage", true),
        ("count opportunities by owner.team, stage with totals", true),
        ("sum value of opportunities by owner.name order by owner.name", false),
        ("avg value, max value of opportunities where stage = \"Closed Won\"", false),
        ("find opportunities where close_date within last 90 days show id, name, stage, owner.name, account.name order by id limit 40", true),
        ("find opportunities show id, name, value order by value desc, id limit 20", false),
        ("count distinct account of opportunities", true),
        ("count activities by type", true),
        ("count activities where opportunity.stage = \"Closed Won\"", true),
        ("find activities where opportunity is null show id, subject order by id limit 30", true),
        ("find activities show id, subject, opportunity.name, lead.last_name order by id limit 40", true),
        ("count leads by status", true),
        ("count leads where converted_opportunity.stage = \"Closed Won\"", true),
        ("count accounts where any opportunities (stage = \"Closed Won\")", true),
        ("count accounts where no activities (type = \"call\")", true),
        ("count contacts where any activities (done = true)", true),
        ("find accounts show id, name, count(opportunities), count(contacts), count(activities) order by id limit 30", true),
        ("find accounts where count(opportunities) >= 2 show id, name order by id limit 30", true),
        ("find accounts show id, sum(opportunities.value) order by id limit 30", false),
        ("count stage_changes by to_stage", true),
        ("count cases by status", true),
        ("count contacts", true),
        ("count users by role", true),
        ("count campaigns by channel", true),
        ("count opportunities as of 2026-03-31 by stage", true),
        ("count leads as of 2026-01-31", true),
        ("report funnel", false),
        ("report forecast", false),
        ("report activity", true),
        ("report won by owner", false),
        ("report dashboard", false),
        ("show account 1", true),
        ("show account 7", true),
        ("show contact 3", true),
    ]

    @Test(arguments: ["admin", "manager", "sales", "support"])
    func everyAnswerIsTheHandFilteredOne(_ role: String) throws {
        let (email, me) = try Self.user(role)
        var asUser = Self.session()
        try asUser.setUser(email: email)
        var asAdmin = Self.session()
        let filtered = Self.run(&asAdmin, Self.handFilter(role, me: me).joined(separator: "\n"))
        #expect(!filtered.contains("error:"), "\(filtered)")
        let dir = try TemporaryDirectory()
        var compared = 0
        for q in Self.queries where role != "support" || q.valueFree {
            let mine = Self.run(&asUser, q.text)
            let theirs = Self.run(&asAdmin, q.text)
            #expect(!mine.contains("error:"), "\(role): \(q.text)\n\(mine)")
            #expect(mine == theirs, "\(role): \(q.text)\nas the user:\n\(mine)\nby hand:\n\(theirs)")
            // The same rows exported.
            if q.text.hasPrefix("find ") || q.text.hasPrefix("count ") {
                let a = dir.path + "/user.csv", b = dir.path + "/hand.csv"
                let ea = Self.run(&asUser, "export \(q.text) to \"\(a)\" replace")
                let eb = Self.run(&asAdmin, "export \(q.text) to \"\(b)\" replace")
                #expect(ea.hasPrefix("exported") && eb.hasPrefix("exported"), "\(ea)\(eb)")
                #expect(try String(contentsOfFile: a, encoding: .utf8) == String(contentsOfFile: b, encoding: .utf8), "\(role): export \(q.text)")
            }
            compared += 1
        }
        #expect(compared >= 25)
    }

    /// A role that reads only some records sees fewer of them: the comparison above is not of equals.
    @Test func salesAndSupportSeeLessThanAdmin() throws {
        var admin = Self.session()
        for role in ["sales", "support"] {
            var s = Self.session()
            try s.setUser(email: try Self.user(role).email)
            #expect(try s.query("count leads").plainRows[0][0] != admin.query("count leads").plainRows[0][0])
        }
        _ = Self.run(&admin, "count leads")
    }

    /// Support may not read a deal's value: naming it is an error, however it is named; `show *`
    /// and the default columns leave it out; a report built on it is refused.
    @Test func supportMayNotNameTheValue() throws {
        var s = Self.session()
        try s.setUser(email: try Self.user("support").email)
        for q in Self.queries where !q.valueFree {
            let out = Self.run(&s, q.text)
            #expect(out.contains("error: support may not read opportunities.value"), "\(q.text)\n\(out)")
        }
        for q in ["find opportunities where value > 0", "count opportunities by value", "find accounts where any opportunities (value > 1000)",
                  "find activities show opportunity.value", "find accounts show sum(opportunities.value)",
                  "export find opportunities show value to \"/tmp/never.csv\""] {
            #expect(Self.run(&s, q).contains("error: support may not read opportunities.value"), "\(q)")
        }
        let star = try s.query("find opportunities show * limit 1")
        #expect(!star.columns.map(\.name).contains("value"))
        let plain = try s.query("find opportunities limit 1")
        #expect(!plain.columns.map(\.name).contains("value"))
        #expect(plain.columns.map(\.name).contains("stage"))
    }
}
