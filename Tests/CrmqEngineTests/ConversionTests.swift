import Foundation
import Testing
@testable import CrmqEngine

/// `convert lead`: one unit of changes, whole or not at all, in memory and in a data file.
@Suite struct ConversionTests {
    static func session() -> Session {
        var settings = Session.Settings(today: TinyCRM.today)
        settings.now = TinyCRM.today * 86_400 + 43_200
        settings.keepGoing = true
        return Session(database: TinyCRM.build(), settings: settings)
    }

    @discardableResult
    static func run(_ s: inout Session, _ text: String) -> String {
        var console = TranscriptConsole()
        _ = s.run(SourceText(name: "input", text: text), on: &console)
        return console.transcript
    }

    @Test func aConversionMakesEveryPart() throws {
        var s = Self.session()
        Self.run(&s, #"update leads set status = "qualified" where id = 3"#)
        let out = Self.run(&s, "convert lead 3 with opportunity value 5000")
        #expect(out.hasPrefix("converted lead 3"), "\(out)")
        #expect(try s.query("find leads where id = 3 show status, converted_contact, converted_opportunity").plainRows
                == [["converted", "6", "7"]])
        #expect(try s.query("find contacts where id = 6 show first_name, last_name, account.name").plainRows
                == [["Jordi", "Vila", "Vila SL"]])
        #expect(try s.query("find accounts where id = 4 show name, owner").plainRows == [["Vila SL", "3"]])
        #expect(try s.query("find opportunities where id = 7 show account, contact, owner, stage, value, lead_source").plainRows
                == [["4", "6", "3", "Prospecting", "5000.00", "referral"]])
        #expect(try s.query("find activities where lead = 3 show contact, account, opportunity").plainRows == [["6", "4", "7"]])
        #expect(try s.query("count stage_changes where opportunity = 7").plainRows == [["1"]])
    }

    /// A deal with an account that has a won deal is with an existing customer, whichever pipeline
    /// won it: "Contract signed" of a second pipeline counts, its lost stage does not.
    @Test func aWonDealOfAnyPipelineMakesAnExistingCustomer() throws {
        for (stage, type) in [("Contract signed", "existing customer"), ("Lost", "new business"), (nil, "new business")] {
            var s = Self.session()
            let define = Self.run(&s, #"define pipeline "Enterprise" stages ("Meeting booked" 10, "Contract signed" 100 won, "Lost" 0 lost)"#)
            #expect(!define.contains("error"), "\(define)")
            if let stage {
                let moved = Self.run(&s, #"update opportunities set pipeline = "Enterprise", stage = "\#(stage)" where account = 1"#)
                #expect(!moved.contains("error"), "\(moved)")
            }
            Self.run(&s, #"update leads set status = "qualified", company = "acme retail as" where id = 3"#)
            let out = Self.run(&s, "convert lead 3")
            #expect(out.hasPrefix("converted lead 3"), "\(out)")
            #expect(try s.query("find opportunities where id = 7 show account, type").plainRows == [["1", type]],
                    "account 1's deals in \(stage ?? "Sales")")
        }
    }

    /// A part that fails after others were made (a campaign that does not exist, checked when
    /// the opportunity is created, after the account and the contact) leaves everything as it was.
    @Test func aFailingPartChangesNothing() throws {
        var s = Self.session()
        Self.run(&s, #"update leads set status = "qualified" where id = 3"#)
        let before = s.database
        let out = Self.run(&s, "convert lead 3 with opportunity campaign 9")
        #expect(out.contains("error: there is no campaign with id 9"), "\(out)")
        SnapshotTests.expectSameData(before, s.database)
        for e in before.schema.entities { #expect(before[e.name].nextId == s.database[e.name].nextId) }
    }

    /// Inside a transaction a conversion joins it; a later failure rolls all of it back.
    @Test func aConversionInATransactionRollsBackWithIt() throws {
        var s = Self.session()
        let before = s.database
        let out = Self.run(&s, """
            begin
            update leads set status = "qualified" where id = 3
            convert lead 3
            update leads set scroe = 1
            """)
        #expect(out.contains("the transaction was rolled back: 2 statements undone"), "\(out)")
        SnapshotTests.expectSameData(before, s.database)
    }

    /// In a data file the conversion is one journal record, replayed whole when the file opens;
    /// a refused one writes nothing.
    @Test func aConversionIsOneJournalRecordAndSurvivesReopening() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var s = try DataFileTests.open(path)
        DataFileTests.run(&s, #"update leads set status = "qualified" where id = 3"#)
        DataFileTests.run(&s, "convert lead 3 with opportunity value 5000")
        let refused = DataFileTests.run(&s, "convert lead 3")
        #expect(refused.contains("was converted"), "\(refused)")
        let failed = DataFileTests.run(&s, #"update leads set status = "qualified" where id = 1; convert lead 1 with opportunity campaign 9"#)
        #expect(failed.contains("there is no campaign with id 9"), "\(failed)")
        let report = try DataFileReport.check(path)
        // The update of lead 3, the conversion, the update of lead 1: three records.
        #expect(report.contains("3 change records"), "\(report)")
        let again = try DataFileTests.open(path)
        SnapshotTests.expectSameData(s.database, again.database)
        #expect(try again.query("find leads where id = 3 show status, converted_contact, converted_opportunity").plainRows
                == [["converted", "6", "7"]])
        #expect(try again.query("find activities where lead = 3 show contact, opportunity").plainRows == [["6", "7"]])
        _ = dir
    }

    @Test func theLeadIsFoundByNameOrEmailOnlyWhenOneMatches() throws {
        var s = Self.session()
        Self.run(&s, #"create lead first_name = "Ana Maria", last_name = "de la Cruz", email = "ana@cruz.example", status = "qualified""#)
        let out = Self.run(&s, #"show lead "ana maria de la cruz"; show lead "ANA@cruz.example""#)
        #expect(out.components(separatedBy: "lead 4: Ana Maria de la Cruz").count == 3, "\(out)")
        Self.run(&s, #"create lead first_name = "Ana Maria", last_name = "de la Cruz", status = "new""#)
        let ambiguous = Self.run(&s, #"convert lead "Ana Maria de la Cruz""#)
        #expect(ambiguous.contains("names 2 leads"), "\(ambiguous)")
    }

    @Test func textWrittenIntoStatementsReadsBack() throws {
        for s in ["Acme \"Nord\" AS", "back\\slash", "two\nlines", "tab\there", "plain"] {
            var parser = Parser(SourceText(name: "t", text: "find accounts where name = \(CrmqText.quoted(s))"))
            let statement = try #require(try parser.nextStatement())
            guard case .find(let q) = statement.kind, case .compare(_, _, .literal(.string(let back), _)) = q.filter?.kind else {
                Issue.record("not a comparison with a text")
                continue
            }
            #expect(back == s)
        }
    }
}

/// `show` at the start of a line: a view when a name and an id or a text follow, else the `show`
/// clause of the `find` above it; in a whole text and in a script read as it arrives alike.
@Suite struct ViewLineTests {
    static let text = """
        find accounts where id = 1
          show name
        show account 2
        find accounts where id = 3
        show name, city
        show contact "kari@acme.no"

        """

    @Test func aStreamedScriptSplitsWhereTheParserDoes() {
        for size in StatementStreamTests.blockSizes {
            let pieces = StatementStreamTests.pieces(Self.text, blockSize: size).map(\.text)
            #expect(pieces == ["find accounts where id = 1\n  show name\n", "show account 2\n",
                               "find accounts where id = 3\nshow name, city\n", "show contact \"kari@acme.no\"\n"],
                    "block size \(size)")
        }
        let statements = (try? Parser.parseAll(SourceText(name: "t", text: Self.text))) ?? []
        #expect(statements.count == 4)
    }
}
