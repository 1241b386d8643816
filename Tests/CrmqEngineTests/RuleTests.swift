import Foundation
import Testing
@testable import CrmqEngine

/// Workflow rules: each event and `changes` form, each action, rules firing from every path that
/// changes records, loops and refused actions undoing the whole change, time rules acting once per
/// event, `explain rule` changing nothing, and rules kept in the data file.
@Suite struct RuleTests {
    static func session() -> Session { SegmentTests.session() }

    @discardableResult
    static func run(_ s: inout Session, _ text: String) -> (out: String, errors: String) { SegmentTests.run(&s, text) }

    static func answer(_ s: Session, _ text: String) throws -> [[String]] { try SegmentTests.answer(s, text) }

    /// Every record of every entity, as `find ENTITY show *` shows it.
    static func contents(_ s: Session) throws -> [String: [[String]]] {
        var out: [String: [[String]]] = [:]
        for e in s.database.schema.entities { out[e.name] = try answer(s, "find \(e.name) show * order by id") }
        return out
    }

    /// The issue's first rule, word for word.
    static let quoteFollowUp = """
        define rule quote_follow_up on update opportunities when stage changes to "Proposal"
          do create activity type = "task", subject = "Follow up on the quote", owner = owner, opportunity = id,
             due_at = now + 2 days
        """

    static func followUps(_ s: Session) throws -> [[String]] {
        try answer(s, "find activities where subject = \"Follow up on the quote\" show type, owner, opportunity, due_at order by id")
    }

    @Test func theIssuesFirstRuleFiresOnAStageChange() throws {
        var s = Self.session()
        #expect(Self.run(&s, Self.quoteFollowUp).errors == "")
        let out = Self.run(&s, "update opportunities set stage = \"Proposal\" where id = 6")
        #expect(out.errors == "")
        #expect(out.out.contains("rule quote_follow_up: created activity"))
        // now is pinned to noon of today (2026-06-15): due two days later.
        #expect(try Self.followUps(s) == [["task", "2", "6", "2026-06-17T12:00:00Z"]])
        // Not again for an update that does not change the stage to Proposal.
        Self.run(&s, "update opportunities set value = 41000 where id = 6")
        Self.run(&s, "update opportunities set stage = \"Negotiation\" where id = 1")
        #expect(try Self.followUps(s).count == 1)
    }

    @Test func everyPathThatChangesRecordsFiresRules() throws {
        var s = Self.session()
        Self.run(&s, Self.quoteFollowUp)
        #expect(Self.run(&s, "move opportunity 6 to \"Proposal\"").errors == "")
        #expect(Self.run(&s, "upsert opportunity by name set name = \"Acme – CRM Enterprise\", stage = \"Proposal\"").errors == "")
        #expect(try Self.followUps(s).map { $0[2] } == ["6", "1"])
        // A lead conversion creates an opportunity: a rule on create opportunities sees it.
        Self.run(&s, "define rule new_deal on create opportunities do create activity type = \"task\", subject = \"Welcome\", opportunity = id")
        Self.run(&s, #"update leads set status = "qualified" where id = 3"#)
        #expect(Self.run(&s, "convert lead 3 with opportunity value 5000").errors == "")
        #expect(try Self.answer(s, "count activities where subject = \"Welcome\"") == [["1"]])
    }

    @Test(arguments: [
        // (condition, ids whose update from Negotiation (1, 6) / Proposal (2) sets it off)
        ("stage changes", ["1", "2"]),
        ("stage changes to \"Closed Won\"", ["1", "2"]),
        ("stage changes from \"Negotiation\"", ["1"]),
        ("stage changes from \"Proposal\" to \"Closed Won\"", ["2"]),
        ("not stage changes from \"Proposal\"", ["1", "6"]),
        ("value changes or stage changes from \"Proposal\"", ["2"]),
        ("stage changes and value > 10000", ["1"]),
    ])
    func eachChangesForm(_ condition: String, _ expected: [String]) throws {
        var s = Self.session()
        #expect(Self.run(&s, "define rule r on update opportunities when \(condition) do create activity subject = \"hit\", opportunity = id").errors == "")
        // 1 and 2 move to Closed Won; 6 keeps its stage (Negotiation) and gets a new close date.
        #expect(Self.run(&s, "update opportunities set stage = \"Closed Won\" where id in (1, 2)").errors == "")
        Self.run(&s, "update opportunities set close_date = 2026-10-01 where id = 6")
        #expect(try Self.answer(s, "find activities where subject = \"hit\" show opportunity order by opportunity").map { $0[0] } == expected)
    }

    @Test func createAndDeleteEventsAndEachAction() throws {
        var s = Self.session()
        let rules = """
            define rule route_retail on create leads when company contains "retail" or source = "event" do update set owner = 3
            define rule gone on delete accounts do create activity type = "call", subject = name
            define rule won on update opportunities when stage changes to "Closed Won" do update accounts set industry = "Customer" where id = 1 then update set probability = 100
            """
        #expect(Self.run(&s, rules).errors == "")
        Self.run(&s, "create lead last_name = \"Ek\", company = \"Nordic Retail AB\"; create lead last_name = \"No\", company = \"Plain\"")
        #expect(try Self.answer(s, "find leads where id > 3 show company, owner order by id") == [["Nordic Retail AB", "3"], ["Plain", ""]])
        Self.run(&s, "delete accounts where id = 3")
        #expect(try Self.answer(s, "find activities where type = \"call\" and subject = \"Serra SL\" show subject") == [["Serra SL"]])
        Self.run(&s, "update opportunities set stage = \"Closed Won\" where id = 1")
        #expect(try Self.answer(s, "find accounts where id = 1 show industry") == [["Customer"]])
        #expect(try Self.answer(s, "find opportunities where id = 1 show probability") == [["100.00"]])
    }

    @Test func aLoopIsRefusedNamingItsChain() throws {
        var s = Self.session()
        let before = try Self.contents(s)
        Self.run(&s, """
            define rule a on update accounts do update contacts set title = "Buyer" where account = 1
            define rule b on update contacts when title changes do update accounts set city = "Bergen" where id = 1
            """)
        let out = Self.run(&s, "update accounts set employees = 130 where id = 1")
        #expect(out.errors.contains("the rules loop: a -> b -> a"))
        #expect(out.errors.contains("updated 1 account"))
        #expect(try Self.contents(s) == before)
        // A rule that changes its own record loops too, unless its `when` stops it.
        Self.run(&s, "drop rule b; drop rule a; define rule self on update accounts do update set employees = 1")
        #expect(Self.run(&s, "update accounts set city = \"Oslo\" where id = 1").errors.contains("self -> self"))
        Self.run(&s, "drop rule self; define rule once on update accounts when employees changes do update set city = \"Moved\"")
        #expect(Self.run(&s, "update accounts set employees = 5 where id = 1").errors == "")
        #expect(try Self.answer(s, "find accounts where id = 1 show city, employees") == [["Moved", "5"]])
    }

    @Test func aRefusedActionRefusesTheWholeChangeWithBothMessages() throws {
        var s = Self.session()
        Self.run(&s, "define rule bad on update opportunities when stage changes do create activity subject = \"x\", owner = 99")
        let before = try Self.contents(s)
        let out = Self.run(&s, "begin\nupdate accounts set city = \"Bergen\" where id = 2\nupdate opportunities set stage = \"Closed Won\" where id = 6")
        #expect(out.errors.contains("rule bad (on update opportunities) cannot act: there is no user with id 99"))
        #expect(out.errors.contains("so the change (updated 1 opportunity; recorded 1 stage change) was refused too"))
        // The transaction is rolled back with it: nothing changed.
        #expect(try Self.contents(s) == before)
        #expect(!s.inTransaction)
    }

    @Test func aRuleOnACustomEntity() throws {
        var s = Self.session()
        let out = Self.run(&s, """
            add entity projects (name text, budget money, status enum("open", "big"))
            define rule big on create projects when budget > 1000 do update set status = "big"
            create project name = "A", budget = 5000
            create project name = "B", budget = 10
            """)
        #expect(out.errors == "")
        #expect(try Self.answer(s, "find projects show name, status order by id") == [["A", "big"], ["B", ""]])
    }

    @Test func aTimeRuleActsOncePerEvent() throws {
        var s = Self.session()
        Self.run(&s, """
            define rule chase every day on opportunities when stage = "Proposal" do create activity type = "task", subject = "Chase", opportunity = id
            """)
        let first = Self.run(&s, "run rules")
        #expect(first.errors == "")
        #expect(first.out.contains("ran 1 time rule as of 2026-06-15"))
        #expect(try Self.answer(s, "find activities where subject = \"Chase\" show opportunity") == [["2"]])
        // Run twice: nothing new.
        #expect(Self.run(&s, "run rules").out.contains("nothing new; it has acted on the 1 opportunities that meet its condition"))
        #expect(try Self.answer(s, "count activities where subject = \"Chase\"") == [["1"]])
        // Another deal comes to meet it: only that one.
        Self.run(&s, "update opportunities set stage = \"Proposal\" where id = 6")
        Self.run(&s, "run rules as of 2026-06-16")
        #expect(try Self.answer(s, "find activities where subject = \"Chase\" show opportunity order by id") == [["2"], ["6"]])
        // Deal 2 leaves the stage and comes back: a new event, acted on again.
        Self.run(&s, "update opportunities set stage = \"Negotiation\" where id = 2; run rules")
        Self.run(&s, "update opportunities set stage = \"Proposal\" where id = 2; run rules")
        #expect(try Self.answer(s, "count activities where subject = \"Chase\" and opportunity = 2") == [["2"]])
        #expect(s.database.catalog.rule(named: "chase")?.fired == [2, 6])
    }

    @Test func runRulesAsOfADayIsReproducible() throws {
        func run() throws -> [[String]] {
            var s = Self.session()
            Self.run(&s, """
                define rule soon every day on opportunities when close_date within next 7 days do create activity subject = "Closing", opportunity = id, due_at = now + 1 day
                run rules as of 2026-06-25
                """)
            return try Self.answer(s, "find activities where subject = \"Closing\" show opportunity, due_at")
        }
        let once = try run()
        #expect(once == [["1", "2026-06-26T12:00:00Z"]])
        #expect(try run() == once)
    }

    @Test func explainRuleChangesNothing() throws {
        var s = Self.session()
        Self.run(&s, Self.quoteFollowUp)
        let before = try Self.contents(s)
        let out = Self.run(&s, "explain rule quote_follow_up")
        #expect(out.errors == "")
        #expect(out.out.contains("meet its condition now"))
        #expect(out.out.contains("it would: created activity"))
        #expect(out.out.contains("nothing was changed"))
        #expect(try Self.contents(s) == before)
    }

    @Test func disableEnableAndDrop() throws {
        var s = Self.session()
        Self.run(&s, Self.quoteFollowUp)
        Self.run(&s, "disable rule quote_follow_up; update opportunities set stage = \"Proposal\" where id = 6")
        #expect(try Self.followUps(s).isEmpty)
        Self.run(&s, "enable rule Quote_Follow_Up; update opportunities set stage = \"Proposal\" where id = 1")
        #expect(try Self.followUps(s).count == 1)
        Self.run(&s, "drop rule quote_follow_up")
        #expect(s.database.catalog.rules.isEmpty)
    }

    @Test(arguments: [
        ("drop rule quote_folow_up", "unknown rule \"quote_folow_up\"", "did you mean \"quote_follow_up\"?"),
        ("define rule r on update opportunites do update set value = 1", "unknown entity \"opportunites\"", "did you mean \"opportunities\"?"),
        ("define rule r on update opportunities when stge changes do update set value = 1", "unknown field \"stge\"", "did you mean \"stage\"?"),
        ("define rule r on update opportunities do create activity subjct = \"x\"", "unknown field \"subjct\"", "did you mean \"subject\"?"),
        ("define rule r on create opportunities when stage changes do update set value = 1", "\"changes\" tests an update", nil),
        ("define rule r on delete opportunities do update set value = 1", "a rule on delete cannot update the record", nil),
        ("define rule r every day on opportunities when stage changes do update set value = 1", "a time rule looks at records as they are", nil),
        ("define rule r on update opportunities do create activity owner = account", "\"owner\" of activities is a reference field", nil),
        ("define rule r on update opportunities do create activity subject = 5", "\"subject\" is a text field", nil),
        ("define rule quote_follow_up on create leads do update set score = 1", "rule \"quote_follow_up\" is already defined", nil),
        ("define rule r on change opportunities do update set value = 1", "expected create, update or delete after \"on\"", nil),
        ("define rule r on update opportunities wen stage changes do update set value = 1", "expected \"do\"", "did you mean \"when\"?"),
        ("find opportunities where stage changes", "\"changes\" only means something in a rule's \"when\"", nil),
        ("enable rule nope", "unknown rule \"nope\"", nil),
        ("explain rule quote", "unknown rule \"quote\"", nil),
        ("run rules as of \"soon\"", "\"day\" is a date field", nil),
    ])
    func diagnostics(_ text: String, _ message: String, _ hint: String?) {
        var s = Self.session()
        Self.run(&s, Self.quoteFollowUp)
        let before = s.database.catalog
        let errors = Self.run(&s, text).errors
        #expect(errors.contains(message), "\(errors)")
        if let hint { #expect(errors.contains(hint), "\(errors)") }
        #expect(s.database.catalog == before)
    }

    @Test func aFieldARuleUsesCannotBeDroppedOrRenamed() {
        var s = Self.session()
        Self.run(&s, "add field region to opportunities as text")
        Self.run(&s, "define rule r on update opportunities when region changes do update set value = 1")
        #expect(Self.run(&s, "drop field region from opportunities").errors.contains("rule \"r\" uses it"))
        #expect(Self.run(&s, "rename field region to area in opportunities").errors.contains("rule \"r\" uses it"))
        Self.run(&s, "drop rule r")
        #expect(Self.run(&s, "drop field region from opportunities").errors == "")
    }

    @Test func rulesAreKeptInTheFileAndItsJournal() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/crm.crmq"
        _ = try DataFile.writeNew(TinyCRM.build(), to: path)
        var settings = Session.Settings(today: TinyCRM.today)
        settings.now = TinyCRM.today * 86_400 + 43_200
        settings.format = .csv
        func open() throws -> Session { try Session.open(path, settings: settings).0 }

        let expected: Catalog = try {
            var s = try open()
            #expect(Self.run(&s, Self.quoteFollowUp).errors == "")
            Self.run(&s, "define rule chase every day on opportunities when stage = \"Proposal\" do create activity subject = \"Chase\", opportunity = id")
            Self.run(&s, "disable rule chase; enable rule chase; run rules")
            return s.database.catalog
        }()
        #expect(expected.rules.map(\.name) == ["quote_follow_up", "chase"])
        #expect(expected.rule(named: "chase")?.fired == [2])
        // From the journal: the rules fire after reopening.
        var reopened = try open()
        #expect(reopened.database.catalog == expected)
        Self.run(&reopened, "update opportunities set stage = \"Proposal\" where id = 6")
        #expect(try Self.followUps(reopened).count == 1)
        #expect(try DataFileReport.check(path).contains("rules: quote_follow_up (on update opportunities), chase (every day on opportunities)"))
        // Saved: the snapshot holds them, in format 4.
        Self.run(&reopened, "save")
        #expect(try SnapshotReader.read(path: path).version == 4)
        let saved = reopened.database.catalog
        reopened = Self.session()
        var third = try open()
        #expect(third.database.catalog == saved)
        #expect(Self.run(&third, "run rules").out.contains("rule chase: created activity"))
        #expect(Self.run(&third, "run rules").out.contains("nothing new; it has acted on the 2 opportunities"))
        Self.run(&third, "drop rule chase; drop rule quote_follow_up; save")
        #expect(try SnapshotReader.read(path: path).version < 4)
    }

    @Test func completion() {
        var c = Completer(schema: .standard)
        c.rules = ["quote_follow_up", "chase"]
        func texts(_ s: String) -> [String] { c.complete(s).candidates.map(\.text) }
        #expect(texts("ru").contains("run"))
        #expect(texts("run ") == ["rules"])
        #expect(texts("disable ") == ["rule"])
        #expect(texts("drop rule ") == ["chase", "quote_follow_up"] || texts("drop rule ") == ["quote_follow_up", "chase"])
        #expect(texts("explain rule q") == ["quote_follow_up"])
        #expect(texts("define ").contains("rule"))
    }

    @Test func aRuleFiresOnImport() throws {
        let dir = try TemporaryDirectory()
        let csv = dir.path + "/leads.csv"
        try "last_name,company,source\nEk,Nordic Retail AB,web form\nNy,Plain AS,event\nNo,Plain AS,referral\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        var s = Self.session()
        Self.run(&s, "define rule route_retail on create leads when company contains \"retail\" or source = \"event\" do update set owner = 3")
        let out = Self.run(&s, "import leads from \"\(csv)\"")
        #expect(out.errors == "", "\(out.out)")
        #expect(out.out.contains("rule route_retail: updated 2 leads"))
        #expect(try Self.answer(s, "find leads where id > 3 show last_name, owner order by id") == [["Ek", "3"], ["Ny", "3"], ["No", ""]])
    }

    @Test func aRuleInASandboxGoesWithIt() throws {
        var s = Self.session()
        let out = Self.run(&s, """
            sandbox
            define rule r on update opportunities when stage changes to "Proposal" do create activity subject = "F", opportunity = id
            update opportunities set stage = "Proposal" where id = 6
            sandbox diff
            sandbox discard
            """)
        #expect(out.errors == "")
        #expect(out.out.contains("defined rule r (on update opportunities)\n"))
        #expect(out.out.contains("activities: 1 created"))
        #expect(s.database.catalog.rules.isEmpty)
        #expect(try Self.answer(s, "count activities where subject = \"F\"") == [["0"]])
    }
}
