import Foundation
import Testing
@testable import CrmqEngine

/// Custom fields as data: added, renamed and dropped the same on the statement, on replaying the
/// journal and after a save; rolled back with their transaction; usable in dot paths and child
/// collections as a standard field is.
@Suite struct CustomFieldTests {
    static let fields = """
        add field tier to accounts as enum ("Gold", "Silver", "Bronze")
        add field renewal_date to accounts as date
        add field product_ref to opportunities as reference to accounts
        add field external_id to opportunities as text
        update accounts set tier = "Gold", renewal_date = 2027-01-31 where id = 1
        update opportunities set product_ref = 2, external_id = "X-9" where id in (1, 3)
        create opportunity name = "Custom", account = 1, product_ref = 1, external_id = "X-10"
        """

    static func answers(_ s: Session) throws -> [[String]] {
        try s.query("find accounts show id, tier, renewal_date order by id").plainRows
            + s.query("find opportunities where product_ref.name is not null show id, product_ref.name, external_id order by id").plainRows
            + s.query("find accounts where any opportunities via product_ref show id order by id").plainRows
    }

    @Test func customFieldsAreJournaledReplayedAndSaved() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var s = try DataFileTests.open(path)
        let out = DataFileTests.run(&s, Self.fields + """

            rename field tier to segment_tier in accounts
            drop field renewal_date from accounts
            add field renewal_date to accounts as int
            begin
            add field temp to contacts as int
            update contacts set temp = 5 where id = 1
            rollback
            """)
        #expect(!out.contains("error"), "\(out)")
        #expect(s.database.schema.entity(named: "contacts")?.field("temp") == nil, "the rollback undid the field")
        let again = try DataFileTests.open(path)
        SnapshotTests.expectSameData(s.database, again.database)
        let rows = try again.query("find accounts where segment_tier = \"Gold\" show id, segment_tier, renewal_date").plainRows
        #expect(rows == [["1", "Gold", ""]])
        // Opened on demand: the journal's field changes read every collection before they replay.
        let lazy = try Session.open(path, settings: Session.Settings(today: TinyCRM.today)).0
        #expect(try lazy.query("find opportunities where external_id = \"X-10\" show name, product_ref.name").plainRows.count == 1)
        #expect(DataFileTests.run(&s, "save").hasPrefix("saved"))
        let third = try DataFileTests.open(path)
        SnapshotTests.expectSameData(s.database, third.database)
        #expect(try third.query("find opportunities where external_id = \"X-10\" show name").plainRows == [["Custom"]])
        _ = dir
    }

    @Test func aCustomReferenceWorksInDotPathsAndChildCollections() throws {
        var s = SegmentTests.session()
        let out = SegmentTests.run(&s, Self.fields)
        #expect(out.errors == "")
        let name = try s.query("find accounts where id = 2 show name").plainRows[0][0]
        let paths = try s.query("find opportunities where product_ref.name = \"\(name)\" show id order by id").plainRows
        #expect(paths == [["1"], ["3"]])
        let children = try s.query("find accounts where any opportunities via product_ref show id order by id").plainRows
        #expect(children == [["1"], ["2"]])
        let counted = try s.query("find accounts where count(opportunities via product_ref) = 2 show id").plainRows
        #expect(counted == [["2"]])
        let enumGroups = try s.query("count opportunities where account.tier = \"Gold\"").plainRows
        #expect(enumGroups.count == 1 && enumGroups[0] != ["0"])
    }

    @Test func rollbackUndoesFieldChangesAndTheirData() throws {
        var s = SegmentTests.session()
        _ = SegmentTests.run(&s, "add field tier to accounts as enum (\"Gold\", \"Silver\")")
        let before = s.database
        let out = SegmentTests.run(&s, """
            begin
            update accounts set tier = "Silver"
            rename field tier to level in accounts
            add field seats to opportunities as int
            drop field level from accounts
            rollback
            """)
        #expect(out.errors == "")
        SnapshotTests.expectSameData(before, s.database)
    }

    @Test func aJournalRecordThatDoesNotFitTheSchemaIsRefused() {
        var db = TinyCRM.build()
        let add = DataChange.catalog(.schema(.addField(entity: "accounts", field: FieldDef("tier", .int), enumValues: nil)))
        #expect(db.problem(applying: [add]) == nil)
        #expect(db.problem(applying: [add, add]) != nil, "a field added twice")
        #expect(db.problem(applying: [.catalog(.schema(.dropField(entity: "accounts", field: "name")))]) != nil)
        db.apply([add])
        let id = db["accounts"].nextId
        let values = Array(repeating: StoredValue.null, count: db["accounts"].entity.fields.count - 1)
        #expect(db.problem(applying: [.insert(entity: "accounts", id: id, values: values)]) == nil)
        #expect(db.problem(applying: [.insert(entity: "accounts", id: id, values: values.dropLast())]) != nil)
    }

    @Test func customEntitiesAreJournaledReplayedAndSaved() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var s = try DataFileTests.open(path)
        let out = DataFileTests.run(&s, """
            begin
            add entity products (name text, list_price money, kind enum ("A", "B"), parent reference to products)
            create product name = "Widget", list_price = 10, kind = "A"
            commit
            add field product_ref to opportunities as reference to products
            create product name = "Widget Pro", parent = 1
            update opportunities set product_ref = 2 where id = 1
            """)
        #expect(!out.contains("error"), "\(out)")
        let query = "find opportunities where product_ref.parent.name = \"Widget\" show id, product_ref.name"
        #expect(try s.query(query).plainRows == [["1", "Widget Pro"]])
        let again = try DataFileTests.open(path)
        SnapshotTests.expectSameData(s.database, again.database)
        #expect(try again.query(query).plainRows == [["1", "Widget Pro"]])
        #expect(DataFileTests.run(&s, "save").hasPrefix("saved"))
        let third = try DataFileTests.open(path)
        SnapshotTests.expectSameData(s.database, third.database)
        #expect(try third.query("find products where any opportunities via product_ref show name").plainRows == [["Widget Pro"]])
        _ = dir
    }
}

/// Completion offers custom fields, entities and enum values as it offers standard ones.
@Suite struct CustomFieldCompletionTests {
    @Test func customFieldsAndEntitiesAreCompleted() {
        var s = SegmentTests.session()
        _ = SegmentTests.run(&s, """
            add field tier to accounts as enum ("Gold", "Silver")
            add entity products (name text, list_price money)
            """)
        let c = Completer(schema: s.database.schema)
        #expect(c.complete("find accounts where ti").candidates.map(\.text).contains("tier"))
        #expect(c.complete("find prod").candidates.map(\.text).contains("products"))
        #expect(c.complete("find accounts where tier = ").candidates.map(\.text).contains(#""Gold""#))
        #expect(c.complete("ad").candidates.map(\.text).contains("add"))
    }
}
