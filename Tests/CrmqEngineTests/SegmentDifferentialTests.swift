import Foundation
import Testing
@testable import CrmqEngine

/// Segments and fiscal periods against sqlite3: on the side of sqlite each segment's condition is
/// written out (as a sub-query for `in`), with crmq's null semantics (`COALESCE((P), 0)` leaves, so
/// `not in` keeps the records whose reference is empty).
@Suite("Differential: segments against sqlite3")
struct SegmentDifferentialTests {
    static let definitions = """
        define segment smb as accounts where employees < 20
        define segment nordic_smb as smb where country in ("Norway", "Sweden", "Denmark")
        define segment recent_deals as opportunities where created_at within last 90 days
        define segment nordic_buyers as contacts where account in nordic_smb and role in ("decision maker", "buyer")
        define segment big_deals as opportunities where value >= 20000
        set fiscal year start = april
        define segment this_fy as opportunities where close_date in this fiscal year
        """

    /// The fixture's session with the segments above.
    static func session(_ fx: DifferentialFixture) -> Session {
        var s = fx.session
        var console = TranscriptConsole()
        _ = s.run(SourceText(name: "definitions", text: definitions), on: &console)
        precondition(!console.transcript.contains("error"), console.transcript)
        return s
    }

    /// Each segment's condition in SQL, on a row of its entity aliased `alias`.
    static func conditions(_ fx: DifferentialFixture) -> [String: (String) -> String] {
        let t = "'\(DifferentialFixture.todayText)'"
        var c: [String: (String) -> String] = [:]
        c["smb"] = { a in SQLText.pos("\(a).employees < 20") }
        c["nordic_smb"] = { a in "(\(c["smb"]!(a)) AND \(SQLText.pos("\(fx.fold("\(a).country")) IN ('norway', 'sweden', 'denmark')")))" }
        c["recent_deals"] = { a in SQLText.pos("substr(\(a).created_at, 1, 10) BETWEEN date(\(t), '-90 days') AND \(t)") }
        c["nordic_buyers"] = { a in
            "(\(SQLText.pos("\(a).account IN (SELECT id FROM accounts s1 WHERE \(c["nordic_smb"]!("s1")))")) AND \(SQLText.pos("\(a).role IN ('decision maker', 'buyer')")))"
        }
        c["big_deals"] = { a in SQLText.pos("\(a).value >= 2000000") }
        c["this_fy"] = { a in SQLText.pos("\(a).close_date BETWEEN '2026-04-01' AND '2027-03-31'") }
        return c
    }

    /// `REF in SEGMENT` in SQL: the reference's target is one of the segment's records.
    static func member(_ ref: String, _ segment: String, of entity: String, _ c: [String: (String) -> String]) -> String {
        SQLText.pos("\(ref) IN (SELECT id FROM \(entity) m WHERE \(c[segment]!("m")))")
    }

    @Test func fixedQueries() throws {
        let fx = try DifferentialFixture.get()
        let s = Self.session(fx)
        let c = Self.conditions(fx)
        let stageRank = fx.enumRank("stage", "stage")
        let cases: [GeneratorQuery] = [
            GeneratorQuery(crmq: "find nordic_smb show id, name, city",
                           sql: "SELECT id FROM accounts t WHERE \(c["nordic_smb"]!("t"))", ordered: false, column: "id", minRows: 3),
            GeneratorQuery(crmq: "count smb by industry",
                           sql: """
                               SELECT COALESCE(industry, ''), COUNT(*) FROM accounts t WHERE \(c["smb"]!("t"))
                               GROUP BY industry ORDER BY industry IS NULL, \(fx.fold("industry")), industry
                               """, ordered: true, column: nil, minRows: 3),
            GeneratorQuery(crmq: "sum annual_revenue of smb",
                           sql: "SELECT \(SQLText.hundredths("COALESCE(SUM(annual_revenue), 0)")) FROM accounts t WHERE \(c["smb"]!("t"))",
                           ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: "count contacts where account in smb",
                           sql: "SELECT COUNT(*) FROM contacts t WHERE \(Self.member("t.account", "smb", of: "accounts", c))",
                           ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: #"find opportunities where account not in nordic_smb and stage = "Negotiation""#,
                           sql: """
                               SELECT id FROM opportunities t WHERE NOT \(Self.member("t.account", "nordic_smb", of: "accounts", c))
                               AND t.stage = 'Negotiation'
                               """, ordered: false, column: "id", minRows: 5),
            GeneratorQuery(crmq: "count nordic_buyers",
                           sql: "SELECT COUNT(*) FROM contacts t WHERE \(c["nordic_buyers"]!("t"))", ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: "find opportunities where contact in nordic_buyers or account.owner.team = \"Nordics\" and account in smb",
                           sql: """
                               SELECT o.id FROM opportunities o WHERE \(Self.member("o.contact", "nordic_buyers", of: "contacts", c))
                               OR (\(SQLText.pos("\(fx.fold("(SELECT u.team FROM accounts a JOIN users u ON u.id = a.owner WHERE a.id = o.account)")) = 'nordics'"))
                                   AND \(Self.member("o.account", "smb", of: "accounts", c)))
                               """, ordered: false, column: "id", minRows: 1),
            GeneratorQuery(crmq: "count activities where opportunity.account in nordic_smb by type",
                           sql: """
                               SELECT COALESCE(type, ''), COUNT(*) FROM activities t
                               WHERE \(SQLText.pos("(SELECT o.account FROM opportunities o WHERE o.id = t.opportunity) IN (SELECT id FROM accounts m WHERE \(c["nordic_smb"]!("m")))"))
                               GROUP BY type ORDER BY type IS NULL, \(fx.enumRank("type", "activity_type"))
                               """, ordered: true, column: nil, minRows: 2),
            GeneratorQuery(crmq: "count recent_deals where account not in smb by stage",
                           sql: """
                               SELECT COALESCE(stage, ''), COUNT(*) FROM opportunities t
                               WHERE \(c["recent_deals"]!("t")) AND NOT \(Self.member("t.account", "smb", of: "accounts", c))
                               GROUP BY stage ORDER BY stage IS NULL, \(stageRank)
                               """, ordered: true, column: nil, minRows: 3),
            GeneratorQuery(crmq: "count accounts where id in nordic_smb or id not in smb and employees > 1000",
                           sql: """
                               SELECT COUNT(*) FROM accounts t WHERE \(c["nordic_smb"]!("t"))
                               OR (NOT \(c["smb"]!("t")) AND \(SQLText.pos("t.employees > 1000")))
                               """, ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: "sum value of big_deals where account in smb by account.country",
                           sql: """
                               SELECT COALESCE(country, ''), \(SQLText.hundredths("COALESCE(SUM(value), 0)")) FROM
                                 (SELECT (SELECT country FROM accounts a WHERE a.id = t.account) AS country, t.value FROM opportunities t
                                  WHERE \(c["big_deals"]!("t")) AND \(Self.member("t.account", "smb", of: "accounts", c)))
                               GROUP BY country ORDER BY country IS NULL, \(fx.fold("country")), country
                               """, ordered: true, column: nil, minRows: 2),
            // Fiscal periods with the year starting in April.
            GeneratorQuery(crmq: "count opportunities where close_date in this fiscal quarter",
                           sql: "SELECT COUNT(*) FROM opportunities WHERE close_date BETWEEN '2026-04-01' AND '2026-06-30'",
                           ordered: true, column: nil, minRows: 1),
            GeneratorQuery(crmq: "find opportunities where close_date within last fiscal year",
                           sql: "SELECT id FROM opportunities WHERE close_date BETWEEN '2025-04-01' AND '2026-03-31'",
                           ordered: false, column: "id", minRows: 10),
            GeneratorQuery(crmq: "find opportunities where close_date in last fiscal quarter or close_date >= next fiscal quarter",
                           sql: "SELECT id FROM opportunities WHERE close_date BETWEEN '2026-01-01' AND '2026-03-31' OR close_date >= '2026-07-01'",
                           ordered: false, column: "id", minRows: 10),
            GeneratorQuery(crmq: "count this_fy by stage",
                           sql: """
                               SELECT COALESCE(stage, ''), COUNT(*) FROM opportunities t WHERE \(c["this_fy"]!("t"))
                               GROUP BY stage ORDER BY stage IS NULL, \(stageRank)
                               """, ordered: true, column: nil, minRows: 3),
            GeneratorQuery(crmq: "count activities where due_at within this fiscal quarter",
                           sql: "SELECT COUNT(*) FROM activities WHERE substr(due_at, 1, 10) BETWEEN '2026-04-01' AND '2026-06-30'",
                           ordered: true, column: nil, minRows: 1),
        ]
        try Self.compare(fx, s, cases, label: "segment")
    }

    /// Random `and`/`or`/`not` combinations of membership tests (directly and through dot paths)
    /// and plain conditions, on opportunities.
    @Test func randomCombinations() throws {
        let fx = try DifferentialFixture.get()
        let s = Self.session(fx)
        let c = Self.conditions(fx)
        let atoms: [(crmq: String, sql: String)] = [
            ("account in smb", Self.member("t.account", "smb", of: "accounts", c)),
            ("account in nordic_smb", Self.member("t.account", "nordic_smb", of: "accounts", c)),
            ("contact in nordic_buyers", Self.member("t.contact", "nordic_buyers", of: "contacts", c)),
            ("contact.account in smb", SQLText.pos("(SELECT x.account FROM contacts x WHERE x.id = t.contact) IN (SELECT id FROM accounts m WHERE \(c["smb"]!("m")))")),
            ("id in recent_deals", c["recent_deals"]!("t")),
            ("id in big_deals", c["big_deals"]!("t")),
            ("id in this_fy", c["this_fy"]!("t")),
            (#"stage = "Negotiation""#, SQLText.pos("t.stage = 'Negotiation'")),
            ("value > 10000", SQLText.pos("t.value > 1000000")),
            ("account.employees < 50", SQLText.pos("(SELECT a.employees FROM accounts a WHERE a.id = t.account) < 50")),
            ("close_date in this fiscal quarter", SQLText.pos("t.close_date BETWEEN '2026-04-01' AND '2026-06-30'")),
        ]
        var rng = DiffRandom(seed: 0x5E6)
        func condition(_ depth: Int) -> (String, String) {
            if depth == 0 || rng.chance(0.3) { return rng.pick(atoms) }
            switch rng.int(3) {
            case 0:
                let (a, b) = (condition(depth - 1), condition(depth - 1))
                return ("(\(a.0) and \(b.0))", "(\(a.1) AND \(b.1))")
            case 1:
                let (a, b) = (condition(depth - 1), condition(depth - 1))
                return ("(\(a.0) or \(b.0))", "(\(a.1) OR \(b.1))")
            default:
                let a = condition(depth - 1)
                return ("not \(a.0)", "(NOT \(a.1))")
            }
        }
        var cases: [GeneratorQuery] = []
        for n in 0..<120 {
            let (crmq, sql) = condition(3)
            cases.append(n % 2 == 0
                ? GeneratorQuery(crmq: "find opportunities where \(crmq)", sql: "SELECT id FROM opportunities t WHERE \(sql)",
                                 ordered: false, column: "id")
                : GeneratorQuery(crmq: "count opportunities where \(crmq)", sql: "SELECT COUNT(*) FROM opportunities t WHERE \(sql)",
                                 ordered: true, column: nil))
        }
        try Self.compare(fx, s, cases, label: "random segment")
    }

    /// Asks both engines; every disagreement is an issue.
    static func compare(_ fx: DifferentialFixture, _ s: Session, _ cases: [GeneratorQuery], label: String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let sqlResults = try fx.sqlite.query(cases.map(\.sql))
        for (q, sqlRows) in zip(cases, sqlResults) {
            let result: ResultSet
            do {
                result = try s.query(q.crmq)
            } catch {
                Issue.record("crmq refused \(q.crmq): \(error.message)", sourceLocation: sourceLocation)
                continue
            }
            let rows = q.column.map { column in (result.texts(column) ?? []).map { [$0] } } ?? result.plainRows
            #expect(rows.count >= q.minRows, "\(label): too few rows to tell: \(q.crmq)", sourceLocation: sourceLocation)
            if let diff = DiffCompare.difference(crmq: rows, sql: sqlRows, ordered: q.ordered) {
                Issue.record("crmq and sqlite disagree on a \(label) query.\n  crmq: \(q.crmq)\n  sql:  \(q.sql)\n  \(diff)",
                             sourceLocation: sourceLocation)
            }
        }
    }
}
