import Foundation
import Testing
@testable import CrmqEngine

/// Each role changes only what its grants hold, by every path (create, update, upsert, delete,
/// move, convert, a transaction); a refused change names the record and what the role may do, and
/// changes nothing. Grants are the admins', kept in the data file.
@Suite struct RoleWriteTests {
    static func session(as email: String? = nil) throws -> Session {
        var s = TinyCRM.session()
        s.settings.now = TinyCRM.today * 86_400 + 43_200
        s.settings.keepGoing = true
        // A support user and a second admin besides the tiny data's sales (Anna, Carla) and manager (Ben).
        let setup = run(&s, """
            create user name = "Sam Lee", email = "sam@crmq.example", role = "support", team = "Support"
            create user name = "Ada King", email = "ada@crmq.example", role = "admin", team = "Ops"
            create case subject = "Login fails", account = 1, status = "open", priority = "high"
            update leads set status = "qualified" where id in (1, 3)
            """)
        #expect(!setup.contains("error:"), "\(setup)")
        if let email { try s.setUser(email: email) }
        return s
    }

    @discardableResult
    static func run(_ s: inout Session, _ text: String) -> String {
        var console = TranscriptConsole()
        _ = s.run(SourceText(name: "input", text: text), on: &console)
        return console.transcript
    }

    /// Refused: an error naming the role, and the data as it was.
    static func expectRefused(_ s: inout Session, _ text: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let before = s.database
        let out = run(&s, text)
        #expect(out.contains("error: \(message)"), "\(text)\n\(out)", sourceLocation: sourceLocation)
        #expect(out.contains("nothing was changed"), "\(text)\n\(out)", sourceLocation: sourceLocation)
        SnapshotTests.expectSameData(before, s.database)
    }

    static func expectAllowed(_ s: inout Session, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let out = run(&s, text)
        #expect(!out.contains("error:"), "\(text)\n\(out)", sourceLocation: sourceLocation)
    }

    @Test func salesChangeOnlyWhatTheyOwn() throws {
        var s = try Self.session(as: "anna@crmq.example")
        // Allowed: their own deals, leads, activities; a move; a conversion of their lead.
        Self.expectAllowed(&s, "update opportunities set value = 26000 where id = 1")
        Self.expectAllowed(&s, #"move opportunity 2 to "Negotiation""#)
        Self.expectAllowed(&s, #"create opportunity name = "Acme – Pilot", account = 1"#)
        Self.expectAllowed(&s, #"create lead first_name = "Ida", last_name = "Moe", owner = me"#)
        Self.expectAllowed(&s, #"upsert lead by email set email = "ida@moe.no", last_name = "Moe", owner = me"#)
        Self.expectAllowed(&s, #"create activity type = "call", subject = "Call", owner = me, opportunity = 1"#)
        Self.expectAllowed(&s, "delete activities where id = 1")
        Self.expectAllowed(&s, "convert lead 1")
        #expect(try s.query("find leads where id = 1 show status").plainRows == [["converted"]])
        // Refused: others' records, giving one away, what sales may not change at all.
        Self.expectRefused(&s, "update opportunities set owner = 3 where id = 1", "sales may not update opportunity 1")
        Self.expectRefused(&s, #"create lead first_name = "Ida", last_name = "Moe", owner = 3"#, "sales may not create lead")
        Self.expectRefused(&s, "delete accounts where id = 1", #"sales may not delete account 1 "Acme Retail AS": sales may not delete accounts"#)
        Self.expectRefused(&s, #"update accounts set city = "Bergen" where id = 2"#, #"sales may not update account 2 "Bergmann GmbH""#)
        Self.expectRefused(&s, #"upsert account by name set name = "Serra SL", city = "Girona""#, #"sales may not update account 3 "Serra SL""#)
        Self.expectRefused(&s, #"create case subject = "Printer", account = 1"#, "sales may not create case")
        // A refused statement inside a transaction undoes the whole transaction.
        let before = s.database
        let out = Self.run(&s, "begin\nupdate opportunities set value = 1 where id = 1\nupdate accounts set city = \"X\" where id = 2\ncommit")
        #expect(out.contains("the transaction was rolled back"))
        SnapshotTests.expectSameData(before, s.database)
        // Import: rows of their own go in; a row owned by another refuses the whole file.
        let dir = try TemporaryDirectory()
        try "first_name,last_name,owner\nIda,Berg,1\nOle,Dahl,1\n".write(toFile: dir.path + "/mine.csv", atomically: true, encoding: .utf8)
        try "first_name,last_name,owner\nIda,Vik,1\nOle,Puig,3\n".write(toFile: dir.path + "/mixed.csv", atomically: true, encoding: .utf8)
        Self.expectAllowed(&s, "import leads from \"\(dir.path)/mine.csv\"")
        Self.expectRefused(&s, "import leads from \"\(dir.path)/mixed.csv\"", "sales may not create lead")
        #expect(try s.query("count leads where last_name in (\"Berg\", \"Dahl\", \"Vik\", \"Puig\")").plainRows == [["2"]])
        // Invisible records are not there to change: a change of them touches nothing.
        #expect(Self.run(&s, "update opportunities set value = 1 where id = 3").hasPrefix("updated 0 opportunities"))
        #expect(Self.run(&s, #"move opportunity 3 to "Proposal""#).contains("there is no opportunity with id 3"))
        #expect(Self.run(&s, "convert lead 3").contains("there is no lead with id 3"))
    }

    @Test func supportChangesCasesOnly() throws {
        var s = try Self.session(as: "sam@crmq.example")
        Self.expectAllowed(&s, #"update cases set status = "closed" where id = 1"#)
        Self.expectAllowed(&s, #"create case subject = "Printer", account = 2"#)
        Self.expectAllowed(&s, "delete cases where id = 2")
        Self.expectRefused(&s, #"update opportunities set stage = "Closed Won" where id = 1"#, "support may not")
        Self.expectRefused(&s, #"update contacts set title = "CFO" where id = 1"#, #"support may not update contact 1 "Nordmann": support may not update contacts"#)
        Self.expectRefused(&s, #"create account name = "Newco""#, "support may not create account")
        Self.expectRefused(&s, #"move opportunity 1 to "Proposal""#, "support may not")
        #expect(Self.run(&s, "convert lead 1").contains("there is no lead with id 1"))
    }

    @Test func managersChangeTheirTeamsRecords() throws {
        var s = try Self.session(as: "ben@crmq.example")
        Self.expectAllowed(&s, "update opportunities set value = 41000 where id = 6")
        Self.expectAllowed(&s, #"move opportunity 6 to "Closed Won""#)
        Self.expectAllowed(&s, #"create activity type = "call", subject = "Call Hans", owner = 2, account = 2"#)
        Self.expectAllowed(&s, #"update contacts set title = "CFO" where id = 3"#)
        Self.expectRefused(&s, "update opportunities set value = 1 where id = 1", #"manager may not update opportunity 1 "Acme – CRM Enterprise": manager may update opportunities where owner.team = me.team"#)
        Self.expectRefused(&s, "update opportunities set owner = 1 where id = 6", "manager may not update opportunity 6")
        Self.expectRefused(&s, #"create activity type = "call", subject = "Call Kari", owner = 1, account = 1"#, "manager may not create activity")
        Self.expectRefused(&s, #"create campaign name = "Spring""#, "manager may not create campaign")
        // A manager reads everything.
        #expect(try s.query("count opportunities").plainRows == [["6"]])
    }

    @Test func adminsChangeEverythingAndGrant() throws {
        var s = try Self.session(as: "ada@crmq.example")
        Self.expectAllowed(&s, "update opportunities set value = 1 where id = 1")
        Self.expectAllowed(&s, "grant read on cases to sales where account.owner = me")
        Self.expectAllowed(&s, "revoke read on opportunities.value from sales")
        try s.setUser(email: "anna@crmq.example")
        #expect(try s.query("count cases").plainRows == [["1"]])
        #expect(Self.run(&s, "find opportunities show value").contains("error: sales may not read opportunities.value"))
        // Only admins grant.
        let before = s.database.catalog
        for text in ["grant read on cases to sales", "revoke read on accounts from sales", "define segment big as opportunities where stage = \"Proposal\""] {
            #expect(Self.run(&s, text).contains("error: only an admin may"), "\(text)")
        }
        #expect(s.database.catalog == before)
        try s.setUser(email: "sam@crmq.example")
        #expect(Self.run(&s, "grant read on opportunities.value to support").contains("error: only an admin may grant or revoke"))
    }

    /// A user whose role is empty reads and changes nothing.
    @Test func aUserWithoutARoleHasNoGrants() throws {
        var s = try Self.session()
        Self.expectAllowed(&s, #"create user name = "Nils", email = "nils@crmq.example""#)
        try s.setUser(email: "nils@crmq.example")
        #expect(s.role == "no role")
        #expect(try s.query("count accounts").plainRows == [["0"]])
        Self.expectRefused(&s, #"create account name = "Newco""#, "no role may not create account")
        #expect(Self.run(&s, ".schema").contains("accounts (0 records)"))
    }

    @Test func grantsAreKeptInTheDataFile() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var s = try DataFileTests.open(path)
        DataFileTests.run(&s, """
            grant read on cases to sales where account.owner = me
            revoke read on opportunities.value from sales
            grant update on cases to support
            revoke read on campaigns from sales
            """)
        let shown = s.describeRoles()
        // Reopened from the journal, then from a snapshot.
        var again = try DataFileTests.open(path)
        #expect(again.describeRoles() == shown)
        // Granting what a role holds already changes nothing, and is not kept.
        #expect(again.database.catalog.grantChanges.count == 3)
        #expect(DataFileTests.run(&s, "save").hasPrefix("saved"))
        #expect(try SnapshotReader.read(path: path).version == 4)
        var third = try DataFileTests.open(path)
        #expect(third.describeRoles() == shown)
        try third.setUser(email: "anna@crmq.example")
        #expect(try third.query("count campaigns").plainRows == [["0"]])
        #expect(try third.query("count cases").plainRows == [["0"]])
        // Revoked back to the standard grants and saved: format 4 still, as grants were changed.
        _ = dir
    }

    @Test func theUserComesFromTheEnvironment() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/crm.crmq"
        _ = try DataFile.writeNew(TinyCRM.build(), to: path)
        let seen = try CommandLineTests.run([path, "--format", "csv", "-c", "count opportunities"], environment: ["CRMQ_USER": "anna@crmq.example"])
        #expect(seen.stdout == "count\r\n2\r\n", "\(seen.stderr)")
        let flag = try CommandLineTests.run([path, "--user", "ben@crmq.example", "--format", "csv", "-c", "count opportunities"],
                                            environment: ["CRMQ_USER": "anna@crmq.example"])
        #expect(flag.stdout == "count\r\n6\r\n", "\(flag.stderr)")
        let wrong = try CommandLineTests.run([path, "-c", "count opportunities"], environment: ["CRMQ_USER": "anne@crmq.example"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains(#"CRMQ_USER: no user has the email "anne@crmq.example""#))
    }
}
