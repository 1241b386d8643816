import Testing
@testable import CrmqEngine

/// `create`, `update`, `delete`, `upsert` and transactions on the hand-made database: what they
/// change, what they report, and that a statement that fails changes nothing and says why.
@Suite struct ChangeStatementTests {
    /// Noon on the tests' today, the moment stage changes are stamped with.
    static let noon = TinyCRM.today * 86_400 + 12 * 3_600

    static func session() -> Session {
        var s = TinyCRM.session()
        s.settings.now = noon
        return s
    }

    /// Runs `text`; returns the transcript and whether it succeeded.
    static func run(_ session: inout Session, _ text: String) -> (String, Bool) {
        var console = TranscriptConsole()
        let outcome = session.run(SourceText(name: "input", text: text), on: &console)
        return (console.transcript, outcome == .success)
    }

    static func rows(_ session: Session, _ query: String) throws -> [[String]] {
        try session.query(query).plainRows
    }

    @Test func createAssignsTheNextIdAndChecksValues() throws {
        var s = Self.session()
        let (out, ok) = Self.run(&s, #"create account name = "Nordlys AS", industry = "Energy", employees = 40, annual_revenue = 1250000.50, owner = 2, created_at = 2026-06-01T09:30"#)
        #expect(ok)
        #expect(out == "created account 4\n")
        #expect(try Self.rows(s, "find accounts where id = 4 show name, industry, employees, annual_revenue, owner.name, created_at, city")
                == [["Nordlys AS", "Energy", "40", "1250000.50", "Ben Smith", "2026-06-01T09:30:00Z", ""]])
        // Singular or plural, as in queries; the index on name is rebuilt before the next query uses it.
        #expect(Self.run(&s, #"create accounts name = "Fjord AB""#).0 == "created account 5\n")
        #expect(try Self.rows(s, #"find accounts where name = "fjord ab" show id"#) == [["5"]])
    }

    @Test func creatingADealRecordsItsFirstStageAndProbability() throws {
        var s = Self.session()
        let (out, ok) = Self.run(&s, #"create opportunity name = "Acme – Renewal", account = 1, stage = "Proposal", value = 9000"#)
        #expect(ok, "\(out)")
        #expect(out == "created opportunity 7\n")
        #expect(try Self.rows(s, "find opportunities where id = 7 show stage, probability") == [["Proposal", "60.00"]])
        #expect(try Self.rows(s, "find stage_changes where opportunity = 7 show from_stage, to_stage, changed_at")
                == [["", "Proposal", "2026-06-15T12:00:00Z"]])
    }

    @Test func updateMovesStagesAndRecordsEachMove() throws {
        var s = Self.session()
        let before = try Self.rows(s, "count stage_changes")[0][0]
        // Deal 1 is in Negotiation already; deal 2 moves from Proposal.
        let (out, ok) = Self.run(&s, #"update opportunities set stage = "Negotiation" where id in (1, 2)"#)
        #expect(ok)
        #expect(out == "updated 2 opportunities; recorded 1 stage change\n")
        #expect(try Self.rows(s, "find opportunities where id in (1, 2) show id, stage, probability order by id")
                == [["1", "Negotiation", "80.00"], ["2", "Negotiation", "80.00"]])
        #expect(try Self.rows(s, "find stage_changes show opportunity, from_stage, to_stage")
                == [["2", "Proposal", "Negotiation"]])
        #expect(before == "0")
        // A probability given with the stage wins over the pipeline's.
        #expect(Self.run(&s, #"update opportunity set stage = "Closed Won", probability = 95 where id = 2"#).1)
        #expect(try Self.rows(s, "find opportunities where id = 2 show stage, probability") == [["Closed Won", "95.00"]])
    }

    @Test func updateWithoutMatchesChangesNothing() throws {
        var s = Self.session()
        #expect(Self.run(&s, #"update leads set score = 99 where company = "Nobody Ltd""#).0 == "updated 0 leads\n")
        #expect(try Self.rows(s, "find leads show score order by id") == [["40"], ["85"], ["60"]])
    }

    @Test func deleteClearsEveryReferenceToWhatItDeletes() throws {
        var s = Self.session()
        // Lead 3 has an activity (4); lead 1 has none.
        let (out, ok) = Self.run(&s, #"delete leads where status = "working" or id = 1"#)
        #expect(ok)
        #expect(out == "deleted 2 leads; cleared 1 reference to them (1 activities.lead)\n")
        #expect(try Self.rows(s, "find leads show id") == [["2"]])
        #expect(try Self.rows(s, "find activities where id = 4 show lead") == [[""]])
        #expect(try Self.rows(s, "count activities where lead is null") == [["4"]])
        // Ids are never handed out twice.
        #expect(Self.run(&s, #"create lead last_name = "Ny""#).0 == "created lead 4\n")
    }

    @Test func upsertUpdatesTheRecordItsKeyFindsOrCreatesOne() throws {
        var s = Self.session()
        // Text keys match as `=` does: ignoring case.
        var (out, ok) = Self.run(&s, #"upsert contact by email set email = "KARI@acme.no", title = "Chair""#)
        #expect(ok)
        #expect(out == "updated contact 1\n")
        #expect(try Self.rows(s, "find contacts where id = 1 show email, title") == [["KARI@acme.no", "Chair"]])
        (out, ok) = Self.run(&s, #"upsert contact by email set email = "new@acme.no", first_name = "Nina", account = 1"#)
        #expect(out == "created contact 6\n")
        (out, ok) = Self.run(&s, #"upsert contacts by country set country = "Norway", title = "X""#)
        #expect(!ok)
        #expect(out.contains("error: 2 contacts have this key, so upsert cannot tell which to update"))
    }

    /// Each invalid statement: the diagnostic, pointing where the problem is, and no change at all.
    @Test(arguments: [
        (#"create account name = "A", industri = "Retail""#, #"unknown field "industri" on accounts"#, #"did you mean "industry"?"#),
        (#"update opportunities set stage = "Negociation" where id = 1"#, #""Negociation" is not a value of stage"#, #"did you mean "Negotiation"?"#),
        (#"update opportunities set value = "lots""#, #""value" is a money field; the text "lots" does not fit it"#, "use a number"),
        (#"update opportunities set probability = 120 where id = 1"#, #""probability" is a percent, from 0 to 100"#, "write 60"),
        (#"create opportunity account = 999"#, "there is no account with id 999", "show id"),
        (#"create account id = 9, name = "A""#, "ids cannot be set", "a new record gets the next id"),
        (#"update contacts set account.name = "A""#, #"only fields of contacts itself can be set here, not "account.name""#, "account = ID"),
        (#"create lead score = 1, score = 2"#, #""score" is set twice"#, "one value"),
        (#"update leads set score = score"#, #"expected a value for "score", not a field"#, nil),
        (#"delete leeds where id = 1"#, #"unknown entity "leeds""#, #"did you mean "leads"?"#),
        (#"upsert contact by email set first_name = "A""#, #"the key "email" is not given a value"#, nil),
        (#"update opportunities stage = "Proposal""#, #"expected "set" and the fields to change"#, nil),
        (#"update leads set created_at = 2026-02-30"#, #""2026-02-30" is not a valid date"#, nil),
    ])
    func invalidStatementsChangeNothing(_ text: String, _ message: String, _ hint: String?) throws {
        var s = Self.session()
        let before = SnapshotWriter.bytes(of: s.database)
        let (out, ok) = Self.run(&s, text)
        #expect(!ok)
        #expect(out.contains("error: " + message), "\(out)")
        if let hint { #expect(out.contains(hint), "\(out)") }
        #expect(out.contains("^"), "the diagnostic points at the statement: \(out)")
        #expect(SnapshotWriter.bytes(of: s.database) == before)
    }

    @Test func aTransactionIsUndoneByRollbackAndKeptByCommit() throws {
        var s = Self.session()
        let (out, ok) = Self.run(&s, """
            begin
            update leads set score = 1
            create lead last_name = "Temp"
            count leads where score = 1
            rollback
            count leads where score = 1
            """)
        #expect(ok)
        #expect(out.contains("begin\nupdated 3 leads\ncreated lead 4\n"))
        #expect(out.contains("rolled back 2 statements\n"))
        #expect(try Self.rows(s, "count leads") == [["3"]])
        #expect(Self.run(&s, "begin; update leads set score = 2; commit").0 == "begin\nupdated 3 leads\ncommitted 1 statement\n")
        #expect(try Self.rows(s, "count leads where score = 2") == [["3"]])
    }

    @Test func aFailingStatementRollsTheTransactionBack() throws {
        var s = Self.session()
        s.settings.keepGoing = true
        let (out, _) = Self.run(&s, """
            begin
            update leads set score = 1
            update leads set scor = 2
            count leads where score = 1
            """)
        #expect(out.contains("unknown field \"scor\" on leads"))
        #expect(out.contains("the transaction was rolled back: 1 statement undone"))
        #expect(!s.inTransaction)
        #expect(out.hasSuffix(" count\n-------\n     0\n(1 row)\n\n"))
    }

    @Test func transactionStatementsOutOfPlaceWarn() {
        var s = Self.session()
        let (out, ok) = Self.run(&s, "commit\nrollback\nbegin\nbegin\nrollback")
        #expect(ok)
        #expect(out == """
            warning: there is no transaction to commit
            warning: there is no transaction to roll back
            begin
            warning: a transaction is already open; begin does nothing
            rolled back 0 statements

            """)
    }

    @Test func savingWithoutAFileSaysWhereToSave() {
        var s = Self.session()
        let (out, ok) = Self.run(&s, "save")
        #expect(!ok)
        #expect(out.contains("error: there is no file to save to"))
        #expect(out.contains("save \"crm.crmq\""))
    }
}
