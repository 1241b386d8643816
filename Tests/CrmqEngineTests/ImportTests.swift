import Foundation
import Testing
@testable import CrmqEngine

/// Records given in memory: what the importer sees from either reader.
struct MemorySource: ImportRecordSource {
    var columns: [String]
    var records: [Result<ImportRecord, ImportReadError>]

    /// `text`'s first line is the header; cells split at `;` when the header has one, else `,` (no quoting); an empty cell is nil.
    init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let separator: Character = lines[0].contains(";") ? ";" : ","
        columns = lines[0].split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        records = lines.dropFirst().enumerated().filter { !$0.element.isEmpty }.map { n, line in
            .success(ImportRecord(cells: line.split(separator: separator, omittingEmptySubsequences: false)
                .map { $0.isEmpty ? nil : String($0) }, line: n + 2))
        }
    }

    mutating func next() throws(ImportReadError) -> ImportRecord? {
        guard !records.isEmpty else { return nil }
        switch records.removeFirst() {
        case .success(let r): return r
        case .failure(let e): throw e
        }
    }
}

/// The `import` statement: parsing, binding, converting, checking, and the session's commit.
@Suite struct ImportTests {
    static func bind(_ text: String, _ db: Database = TinyCRM.build()) throws(Diagnostic) -> BoundImport {
        var parser = Parser(SourceText(name: "test", text: text))
        let statement = try parser.nextStatement()!
        guard case .importFile(let i) = try Binder(schema: db.schema, today: TinyCRM.today).bind(statement) else {
            preconditionFailure("not an import")
        }
        return i
    }

    static func importing(_ statement: String, _ file: String, into db: Database = TinyCRM.build(),
                          rules: ExitRules = ExitRules(entries: [])) throws(Diagnostic) -> Importer.Outcome {
        let bound = try bind(statement, db)
        var source = MemorySource(file)
        return try Importer(db: db, bound: bound, now: 1_000_000, user: 1, rules: rules).run(&source)
    }

    static func applied(_ statement: String, _ file: String, into db: Database = TinyCRM.build()) throws(Diagnostic) -> Database {
        let outcome = try importing(statement, file, into: db)
        if let p = db.problem(applying: outcome.changes) { Issue.record("changes do not fit: \(p)") }
        var after = db
        after.apply(outcome.changes)
        return after
    }

    static func message(_ body: () throws(Diagnostic) -> Void) -> String {
        do throws(Diagnostic) {
            try body()
            return ""
        } catch {
            return ([error.message, error.hint ?? ""] + error.notes).joined(separator: " | ")
        }
    }

    // MARK: - Importer on records in memory

    @Test func columnsMatchIgnoringCaseSpacesAndDashes() throws {
        let db = try ImportTests.applied("import contacts from \"x.csv\"",
                                         "First Name,LAST_NAME,E-mail,Fax\nAda,Lovelace,ada@example.com,123")
        let c = db["contacts"]
        #expect(c.count == 6)
        let row = c.row(ofId: 6)!
        #expect(c.columns[c.entity.fieldIndex("email")!].textColumn[row] == "ada@example.com")
        #expect(c.columns[c.entity.fieldIndex("first_name")!].textColumn[row] == "Ada")
        let outcome = try ImportTests.importing("import contacts from \"x.csv\"", "First Name,Fax\nAda,1")
        #expect(outcome.notes.map(\.note) == ["column \"Fax\" is not imported: no field of contacts matches it"])
        #expect(outcome.notes.map(\.hint) == ["map \"Fax\" to FIELD, or ignore \"Fax\""])
        #expect(try ImportTests.importing("import contacts from \"x.csv\" ignore \"Fax\"", "First Name,Fax\nAda,1").notes.isEmpty)
    }

    @Test func valuesConvertByType() throws {
        let db = try ImportTests.applied(
            "import opportunities from \"x.csv\" decimal comma date format \"dd.mm.yyyy\"",
            "name;value;close_date;stage;probability;created_at\nBig;1.234,5;31.03.2026;negotiation;45%;01.02.2026 10:30")
        let o = db["opportunities"]
        let row = o.row(ofId: 7)!
        func int(_ f: String) -> Int64 { o.columns[o.entity.fieldIndex(f)!].integers[row] }
        #expect(int("value") == 1_234_50)
        #expect(int("close_date") == Day.from(year: 2026, month: 3, day: 31))
        #expect(int("probability") == 45_00)
        #expect(int("created_at") == Day.from(year: 2026, month: 2, day: 1) * 86_400 + 10 * 3600 + 30 * 60)
        #expect(db.schema.enumValues("stage")[Int(int("stage"))] == "Negotiation")
    }

    @Test func anIdColumnKeepsTheFilesIdsAndReferencesByIdAndName() throws {
        let db = try ImportTests.applied("import contacts from \"x.csv\"",
                                         "id,first_name,account,owner\n20,Ada,2,\n10,Bob,Serra SL,")
        let c = db["contacts"]
        #expect(c.row(ofId: 10) != nil && c.row(ofId: 20) != nil)
        let account = c.entity.fieldIndex("account")!
        #expect(c.columns[account].integers[c.row(ofId: 20)!] == 2)
        #expect(c.columns[account].integers[c.row(ofId: 10)!] == 3)
        #expect(c.nextId == 21)
    }

    @Test func aTakenIdIsABadRowUnlessById() throws {
        let m = ImportTests.message { () throws(Diagnostic) in
            _ = try ImportTests.importing("import contacts from \"x.csv\"", "id,first_name\n3,Ada")
        }
        #expect(m.contains("\"x.csv\":2, column \"id\": id 3 is taken"), "\(m)")
        #expect(m.contains("add by id"))
        let db = try ImportTests.applied("import contacts from \"x.csv\" by id", "id,first_name\n3,Ada\n9,Eve")
        let c = db["contacts"]
        #expect(c.columns[1].textColumn[c.row(ofId: 3)!] == "Ada")
        #expect(c.columns[c.entity.fieldIndex("last_name")!].textColumn[c.row(ofId: 3)!] == "Müller", "an empty cell leaves the field")
        #expect(c.row(ofId: 9) != nil)
    }

    @Test func byKeyUpdatesOrCreates() throws {
        let outcome = try ImportTests.importing("import contacts from \"x.csv\" by email",
                                                "email,title\nKARI@acme.no,Chair\nnew@x.io,Intern")
        #expect(outcome.created == 1 && outcome.updated == 1)
        var db = TinyCRM.build()
        db.apply(outcome.changes)
        let c = db["contacts"]
        #expect(c.columns[c.entity.fieldIndex("title")!].textColumn[c.row(ofId: 1)!] == "Chair")
        #expect(c.count == 6)
    }

    @Test func aNameOfTheSameFileResolves() throws {
        var db = TinyCRM.build()
        var session = Session(database: db, settings: Session.Settings(today: TinyCRM.today))
        var console = TranscriptConsole()
        _ = session.run(SourceText(name: "t", text: "add field parent to accounts as reference to accounts"), on: &console)
        db = session.database
        let after = try ImportTests.applied("import accounts from \"x.csv\"",
                                            "name,parent\nChild AB,Parent Holding\nParent Holding,\nGrand,Acme Retail AS", into: db)
        let a = after["accounts"]
        let parent = a.entity.fieldIndex("parent")!
        #expect(a.columns[parent].integers[a.row(ofId: 4)!] == 5)
        #expect(a.columns[parent].integers[a.row(ofId: 6)!] == 1)
    }

    @Test func anAmbiguousOrUnknownNameIsABadRow() throws {
        let db = try ImportTests.applied("import accounts from \"x.csv\"", "name\nSerra SL")
        let m = ImportTests.message { () throws(Diagnostic) in
            _ = try ImportTests.importing("import contacts from \"x.csv\"", "first_name,account\nAda,serra sl", into: db)
        }
        #expect(m.contains("2 accounts are named \"serra sl\" (ids 3, 4)"), "\(m)")
        let unknown = ImportTests.message { () throws(Diagnostic) in
            _ = try ImportTests.importing("import contacts from \"x.csv\"", "first_name,account\nAda,Sera SL")
        }
        #expect(unknown.contains("no account is named \"Sera SL\"") && unknown.contains("did you mean"), "\(unknown)")
    }

    @Test func badRowsAreAllNamedAndNothingImports() {
        let m = ImportTests.message { () throws(Diagnostic) in
            _ = try ImportTests.importing("import opportunities from \"x.csv\"",
                                          "name,value,close_date,stage,type\nA,12x,,,\nB,,2026-13-01,,\nC,,,Negotiaton,\nD,,,,\nE,1,2,3\nF,,,,newbiz")
        }
        #expect(m.contains("\"x.csv\":2, column \"value\": \"12x\" is not a number"), "\(m)")
        #expect(m.contains("and 4 more bad rows:"))
        #expect(m.contains("\"x.csv\":3, column \"close_date\": \"2026-13-01\" is not a date"))
        #expect(m.contains("\"x.csv\":4, column \"stage\": \"Negotiaton\" is not a value of stage"))
        #expect(m.contains("\"x.csv\":6: the row has 4 cells, the header 5"))
        #expect(m.contains("\"x.csv\":7, column \"type\""))
        #expect(m.contains("nothing was imported"))
    }

    @Test func skipBadRowsKeepsTheGoodOnes() throws {
        let outcome = try ImportTests.importing("import contacts from \"x.csv\" skip bad rows",
                                                "first_name,account\nAda,1\nBob,99\nCy,2")
        #expect(outcome.created == 2)
        #expect(outcome.rejects.map(\.text) == ["line 3, column \"account\": there is no account with id 99"])
        #expect(outcome.rejects[0].cells == ["Bob", "99"])
    }

    @Test func dealsGetWhatCreateGivesThemAndAStageChange() throws {
        let db = try ImportTests.applied("import opportunities from \"x.csv\"", "name,value\nNew deal,100")
        let o = db["opportunities"]
        let row = o.row(ofId: 7)!
        func int(_ f: String) -> Int64 { o.columns[o.entity.fieldIndex(f)!].integers[row] }
        #expect(db.schema.enumValues("stage")[Int(int("stage"))] == Pipeline.standard.stages[0].name)
        #expect(int("owner") == 1)
        #expect(int("created_at") == 1_000_000)
        #expect(int("probability") == Int64(Pipeline.standard.stages[0].probability) * 100)
        #expect(db["stage_changes"].count == TinyCRM.build()["stage_changes"].count + 1)
        let quiet = try ImportTests.applied("import opportunities from \"x.csv\" without history", "name,value\nNew deal,100")
        #expect(quiet["stage_changes"].count == TinyCRM.build()["stage_changes"].count)
    }

    @Test func aFormulaQuoteFromCrmqsExportComesOff() throws {
        let db = try ImportTests.applied("import accounts from \"x.csv\"", "name,industry\n'=SUM(A1),'-x")
        let a = db["accounts"]
        #expect(a.columns[1].textColumn[a.row(ofId: 4)!] == "=SUM(A1)")
        #expect(a.columns[a.entity.fieldIndex("industry")!].textColumn[a.row(ofId: 4)!] == "-x")
        #expect(ImportValues.unneutralised("'abc") == "'abc")
    }

    @Test func bindingErrorsPointAtTheWord() {
        func m(_ s: String) -> String { ImportTests.message { () throws(Diagnostic) in _ = try ImportTests.bind(s) } }
        #expect(m("import contcts from \"x.csv\"").contains("did you mean \"contacts\"?"))
        #expect(m("import contacts from \"x.csv\" map a to emial").contains("did you mean \"email\"?"))
        #expect(m("import contacts from \"x.csv\" encoding latin2").contains("unknown encoding"))
        #expect(m("import contacts from \"x.csv\" date format \"dd.mm\"").contains("not a date format"))
        #expect(m("import contacts from \"x.csv\" without history").contains("no stage history"))
        #expect(m("import contacts from \"x.csv\" skip bad rows skip bad rows").contains("given twice"))
        #expect(m("import contacts from \"x.csv\" skip bad rowz").contains("bad rows"))
        #expect(m("import contacts from \"x.csv\" maps a to b").contains("did you mean \"map\"?"))
        #expect(m("import contacts from \"x.csv\" set role = \"buyr\"").contains("did you mean \"buyer\"?"))
        let missing = ImportTests.message { () throws(Diagnostic) in
            _ = try ImportTests.importing("import contacts from \"x.csv\" map \"E-mial\" to email", "E-mail\na@b.c")
        }
        #expect(missing.contains("has no column \"E-mial\"") && missing.contains("did you mean \"E-mail\"?"), "\(missing)")
    }

    // MARK: - Through the session, from files

    /// Writes `files` into a fresh directory, runs `script` there on the tiny data, and gives the
    /// transcript and the session.
    static func session(_ files: [String: [UInt8]], _ script: String,
                        session: Session = TinyCRM.session()) throws -> (String, Session, TemporaryDirectory) {
        let dir = try TemporaryDirectory()
        for (name, bytes) in files { FileManager.default.createFile(atPath: dir.path + "/" + name, contents: Data(bytes)) }
        var s = session
        var console = TranscriptConsole()
        let text = script.replacingOccurrences(of: "DIR", with: dir.path)
        _ = s.run(SourceText(name: "test", text: text), on: &console)
        return (console.transcript.replacingOccurrences(of: dir.path, with: "DIR"), s, dir)
    }

    static func counts(_ s: Session) -> [Int] {
        ["accounts", "contacts", "opportunities", "stage_changes"].map { s.database[$0].count }
    }

    /// Every kind of bad input: a clear message naming file:line (and the column, where there is
    /// one) and the reason; nothing imported.
    @Test(arguments: [
        ("name,employees\nA,12x\n", "\"x.csv\":2, column \"employees\": \"12x\" is not a whole number"),
        ("name,employees\nA,1,2\n", "\"x.csv\":2: the row has 3 cells, the header 2"),
        ("name,employees\nA\n", "\"x.csv\":2: the row has 1 cells, the header 2"),
        ("name,created_at\nA,yesterday\n", "\"x.csv\":2, column \"created_at\": \"yesterday\" is not a date and time"),
        ("name,owner\nA,Nobody Here\n", "\"x.csv\":2, column \"owner\": no user is named \"Nobody Here\""),
        ("name,owner\nA,77\n", "\"x.csv\":2, column \"owner\": there is no user with id 77"),
        ("id,name\n2,A\n", "\"x.csv\":2, column \"id\": id 2 is taken"),
        ("id,name\n20,A\n20,B\n", "\"x.csv\":3, column \"id\": id 20 repeats line 2"),
        ("name,annual_revenue\nA,1.234\n", "\"x.csv\":2, column \"annual_revenue\": \"1.234\" has more than two decimal places"),
        ("name\n\"A\n", "\"x.csv\":2"),
        ("", "\"x.csv\":"),
    ])
    func badInputImportsNothing(_ file: String, _ expected: String) throws {
        let before = ImportTests.counts(TinyCRM.session())
        let (out, s, _) = try ImportTests.session(["x.csv": Array(file.utf8)], "import accounts from \"DIR/x.csv\"")
        #expect(out.contains("error: "), "\(out)")
        #expect(out.replacingOccurrences(of: "DIR/", with: "").contains(expected), "\(out)")
        #expect(ImportTests.counts(s) == before)
    }

    /// A by-key update that would put a deal in a stage its pipeline lacks is a bad row, as
    /// `update` refuses it, not a stage set without its move.
    @Test func anUpdateToAStageOutsideTheDealsPipelineIsABadRow() throws {
        let script = """
            define pipeline "Partner" stages ("Intro" 10, "Signed" 100 won)
            import opportunities from "DIR/x.csv" by id
            """
        let before = ImportTests.counts(TinyCRM.session())
        let (out, s, _) = try ImportTests.session(["x.csv": Array("id,stage\n1,Intro\n".utf8)], script)
        #expect(out.contains("column \"stage\": pipeline \"Sales\" has no stage \"Intro\""), "\(out)")
        #expect(ImportTests.counts(s) == before)
        let (moved, t, _) = try ImportTests.session(["x.csv": Array("id,pipeline,stage\n1,Partner,Intro\n".utf8)], script)
        #expect(moved.contains("imported 1 opportunity (0 created, 1 updated)"), "\(moved)")
        #expect(t.database["stage_changes"].count == before[3] + 1)
    }

    @Test func invalidUTF8NamesTheLineAndLatin1ReadsIt() throws {
        let file: [UInt8] = Array("name,city\nA,".utf8) + [0x4D, 0xFC, 0x6E, 0x63, 0x68, 0x65, 0x6E] + [10]
        let (out, s, _) = try ImportTests.session(["x.csv": file], "import accounts from \"DIR/x.csv\"")
        #expect(out.contains("\"DIR/x.csv\":2") && out.contains("encoding latin1"), "\(out)")
        #expect(s.database["accounts"].count == 3)
        let (ok, t, _) = try ImportTests.session(["x.csv": file], "import accounts from \"DIR/x.csv\" encoding latin1\nfind accounts where id = 4 show city")
        #expect(ok.contains("München"), "\(ok)")
        #expect(t.database["accounts"].count == 4)
    }

    @Test func skipBadRowsWritesTheRejectsPrivately() throws {
        let file = "name;employees\nGood;1\nBad;x\nAlso good;3\n"
        let (out, s, dir) = try ImportTests.session(["x.csv": Array(file.utf8)],
                                                    "import accounts from \"DIR/x.csv\" skip bad rows")
        #expect(out.contains("imported 2 accounts (2 created, 0 updated) from \"DIR/x.csv\""), "\(out)")
        #expect(out.contains("1 bad row skipped, written to \"DIR/x.csv.rejects.csv\""))
        #expect(s.database["accounts"].count == 5)
        let rejects = try String(contentsOfFile: dir.path + "/x.csv.rejects.csv", encoding: .utf8)
        #expect(rejects == "name;employees;reason\nBad;x;\"line 3, column \"\"employees\"\": \"\"x\"\" is not a whole number\"\n")
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/x.csv.rejects.csv")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func decimalCommaAndDateFormat() throws {
        let file = "name;annual_revenue;created_at\nA;1.234.567,89;31.12.2025 09:15\nB;2 500,5;01.02.2026\n"
        let (out, _, _) = try ImportTests.session(["x.csv": Array(file.utf8)], """
            import accounts from "DIR/x.csv" decimal comma date format "dd.mm.yyyy"
            find accounts where id > 3 show name, annual_revenue, created_at
            """)
        #expect(out.contains("1,234,567.89") && out.contains("2,500.50"), "\(out)")
        #expect(out.contains("2025-12-31 09:15") && out.contains("2026-02-01"), "\(out)")
    }

    @Test func anImportInsideATransactionRollsBack() throws {
        let (out, s, _) = try ImportTests.session(["x.csv": Array("name\nA\nB\n".utf8)], """
            begin
            import accounts from "DIR/x.csv"
            count accounts
            rollback
            """)
        #expect(out.contains("imported 2 accounts"), "\(out)")
        #expect(out.contains("rolled back 1 statement"))
        #expect(s.database["accounts"].count == 3)
    }

    @Test func anImportIsOneJournalRecordAndAllThereWhenReopened() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var s = try DataFileTests.open(path)
        let csv = dir.path + "/deals.csv"
        FileManager.default.createFile(atPath: csv, contents: Data("id,name,account,value,stage\n50,Big,Serra SL,1000,Proposal\n51,Small,2,10,\n".utf8))
        let out = DataFileTests.run(&s, "import opportunities from \"\(csv)\"")
        #expect(out.contains("imported 2 opportunities (2 created, 0 updated)"), "\(out)")
        let reopened = try DataFileTests.open(path)
        #expect(reopened.database["opportunities"].count == 8)
        #expect(reopened.database["opportunities"].row(ofId: 50) != nil)
        #expect(reopened.database["stage_changes"].count == s.database["stage_changes"].count)
    }

    @Test func exitCriteriaRejectADeal() throws {
        let file = "name,value,stage\nBig,50000,Negotiation\nSmall,500,Negotiation\n"
        let (out, s, _) = try ImportTests.session(["x.csv": Array(file.utf8)], """
            require value >= 10000 for stage "Negotiation"
            import opportunities from "DIR/x.csv"
            """)
        #expect(out.contains("\"DIR/x.csv\":3: the opportunity may not enter \"Negotiation\" (not met: value >= 10000)"), "\(out)")
        #expect(s.database["opportunities"].count == 6)
        let (skipped, t, _) = try ImportTests.session(["x.csv": Array(file.utf8)], """
            require value >= 10000 for stage "Negotiation"
            import opportunities from "DIR/x.csv" skip bad rows
            """)
        #expect(skipped.contains("imported 1 opportunity (1 created, 0 updated)"), "\(skipped)")
        #expect(t.database["opportunities"].count == 7)
    }
}
