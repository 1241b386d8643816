import Foundation
import Testing
@testable import CrmqEngine

/// A collection's memory follows the records it holds, not the ids it claims to have handed out:
/// a file may say its next id is 2^31 (rightly, after deletes, or to attack the reader) with a
/// handful of records, and ids themselves may run up to 2^31.
@Suite struct IdSpaceTests {
    static let highest = Int64(Int32.max) - 1
    static let name = "ids.crmq"

    /// The tiny CRM with every collection claiming a next id just under 2^31.
    static func claimingHugeNextIds() -> Database {
        var db = TinyCRM.build()
        for e in db.schema.entities {
            db.modify(e.name) { c in
                c = Collection(entity: c.entity, columns: c.columns, nextId: highest, indexedFields: c.indexedFields)
            }
        }
        return db
    }

    /// Written by the engine's own writer and read back, as opening such a file would.
    static func roundTrip(_ db: Database) throws -> Database {
        let bytes = SnapshotWriter.bytes(of: db, snapshotId: 0x1D5, savedAt: 1_780_000_000)
        return try SnapshotReader.read(bytes: bytes, name: name).database
    }

    static func run(_ text: String, on db: Database) -> (transcript: String, database: Database, ok: Bool) {
        var session = Session(database: db, settings: Session.Settings(today: TinyCRM.today))
        var console = TranscriptConsole()
        let outcome = session.run(SourceText(name: "ids", text: text), on: &console)
        return (console.transcript, session.database, outcome == .success)
    }

    /// Bytes held by the id maps and indexes of every collection.
    static func idMemory(_ db: Database) -> Int {
        db.schema.entities.reduce(0) { sum, e in
            let c = db[e.name]
            return sum + c.idMap.memory + c.indexes.values.reduce(0) { $0 + $1.memory }
        }
    }

    @Test func aFileClaimingTwoBillionIdsOpensSmall() throws {
        let db = try Self.roundTrip(Self.claimingHugeNextIds())
        for e in db.schema.entities {
            #expect(db[e.name].nextId == Self.highest, "\(e.name) lost its next id")
            #expect(db[e.name].idMap.dense.count < 100_000, "\(e.name) keeps a slot for every id claimed")
        }
        let run = Self.run("""
            find contacts where account.name = "Acme Retail AS" show first_name, account.name
            explain find contacts where account.name = "Acme Retail AS"
            count opportunities by account.name
            """, on: db)
        #expect(run.ok, "\(run.transcript)")

        #expect(run.transcript.contains("Kari") && run.transcript.contains("Ola"))
        // The indexes, built by the queries, are small too (a reverse index keyed by account id).
        #expect(Self.idMemory(run.database) < 4 << 20, "id maps and indexes hold \(Self.idMemory(run.database)) bytes")
    }

    @Test func aNewRecordGetsTheClaimedNextId() throws {
        let db = try Self.roundTrip(Self.claimingHugeNextIds())
        let run = Self.run("""
            create account name = "Far Out AS", industry = "Retail"
            create contact first_name = "Eve", account = \(Self.highest)
            find contacts where account.name = "Far Out AS" show first_name, account.id
            """, on: db)
        #expect(run.ok, "\(run.transcript)")

        #expect(run.transcript.contains("created account \(Self.highest)"))
        #expect(run.transcript.contains("created contact \(Self.highest)"))
        #expect(run.transcript.contains("Eve"))
        #expect(run.database["accounts"].nextId == Self.highest + 1)
        // Saved and opened again, the far ids are still found.
        let back = try Self.roundTrip(run.database)
        #expect(back["accounts"].row(ofId: Self.highest) == 3)
        #expect(Self.idMemory(back) < 4 << 20)
    }

    /// Records whose ids are far apart (a journal may create any id up to 2^31): reading through a
    /// reference, a reverse index, updates and deletes all work, and memory stays small.
    @Test func idsFarApartWork() throws {
        var db = Database(schema: .standard)
        let accountFields = db.schema.entity(named: "accounts")!.fields.count - 1
        let contactFields = db.schema.entity(named: "contacts")!.fields.count - 1
        func account(_ id: Int64, _ name: String) -> DataChange {
            var values = [StoredValue](repeating: .null, count: accountFields)
            values[db.schema.entity(named: "accounts")!.fieldIndex("name")! - 1] = .text(name)
            return .insert(entity: "accounts", id: id, values: values)
        }
        func contact(_ id: Int64, _ name: String, _ account: Int64) -> DataChange {
            let e = db.schema.entity(named: "contacts")!
            var values = [StoredValue](repeating: .null, count: contactFields)
            values[e.fieldIndex("first_name")! - 1] = .text(name)
            values[e.fieldIndex("account")! - 1] = .integer(account)
            return .insert(entity: "contacts", id: id, values: values)
        }
        let changes = [account(1, "Near"), account(1_000_000_000, "Middle"), account(Self.highest, "Far"),
                       contact(5, "Ann", Self.highest), contact(2_000_000_000, "Bo", 1_000_000_000),
                       contact(Self.highest, "Cy", 1)]
        #expect(db.problem(applying: changes) == nil)
        db.apply(changes)
        db = try Self.roundTrip(db)
        #expect(Self.idMemory(db) < 4 << 20)
        let run = Self.run("""
            find contacts where account.name = "Far" show first_name
            find contacts where account.name = "Middle" show first_name
            find contacts where account = \(Self.highest) show first_name
            find accounts where id = \(Self.highest) show name
            update contacts set account = 1_000_000_000 where first_name = "Cy"
            delete account where name = "Middle"
            find contacts where account is null show first_name
            count contacts by account.name
            """, on: db)
        #expect(run.ok, "\(run.transcript)")

        let found = run.transcript
        #expect(found.contains("Ann") && found.contains("Bo") && found.contains("Far"))
        // Deleting "Middle" cleared the references of Bo and Cy.
        let contacts = run.database["contacts"]
        let account = contacts.entity.fieldIndex("account")!
        #expect(contacts.columns[account].integers.filter { $0 == nullInt }.count == 2)
        #expect(Self.idMemory(run.database) < 4 << 20)
    }

    /// A reference to an id handed out whose record is gone reads as null, whatever map holds it.
    @Test func aReferenceToADeletedFarIdReadsAsNull() throws {
        var db = try Self.roundTrip(Self.claimingHugeNextIds())
        // Contact 1 points at account 1; remove the account without clearing it, as a journal may.
        #expect(db.problem(applying: [.delete(entity: "accounts", ids: [1])]) == nil)
        db.apply([.delete(entity: "accounts", ids: [1])])
        db = try Self.roundTrip(db)
        let run = Self.run("""
            find contacts where id = 1 show first_name, account.name
            find contacts where account.name is null show first_name
            """, on: db)
        #expect(run.ok, "\(run.transcript)")

        #expect(run.transcript.contains("Kari"))
    }

    /// Enough contacts that the planner reads them through the reverse index on `account`, whose
    /// keys (account ids) run up to 2^31.
    @Test func theReverseIndexFindsFarIds() throws {
        var db = Database(schema: .standard)
        let accounts = db.schema.entity(named: "accounts")!, contacts = db.schema.entity(named: "contacts")!
        var changes: [DataChange] = []
        for a in 0..<20 {
            var values = [StoredValue](repeating: .null, count: accounts.fields.count - 1)
            values[accounts.fieldIndex("name")! - 1] = .text("Account \(a)")
            changes.append(.insert(entity: "accounts", id: Self.highest - 20 + Int64(a), values: values))
        }
        for c in 0..<2_000 {
            var values = [StoredValue](repeating: .null, count: contacts.fields.count - 1)
            values[contacts.fieldIndex("first_name")! - 1] = .text("Person \(c)")
            values[contacts.fieldIndex("account")! - 1] = .integer(Self.highest - 20 + Int64(c % 20))
            changes.append(.insert(entity: "contacts", id: 1_000_000_000 + Int64(c) * 500_000, values: values))
        }
        #expect(db.problem(applying: changes) == nil)
        db.apply(changes)
        db = try Self.roundTrip(db)
        let run = Self.run("""
            explain find contacts where account.name = "Account 7"
            count contacts where account.name = "Account 7"
            count contacts where account = \(Self.highest - 13)
            """, on: db)
        #expect(run.ok, "\(run.transcript)")
        #expect(run.transcript.contains("USING REVERSE INDEX account"), "\(run.transcript)")
        #expect(run.transcript.components(separatedBy: "100").count == 3, "\(run.transcript)")
        #expect(Self.idMemory(run.database) < 4 << 20)
    }

    /// A sparse posting index answers exactly as a dense one over the same keys.
    @Test func sparsePostingsMatchDense() {
        var generator = SystemRandomNumberGenerator()
        let keys: [Int64] = (0..<5_000).map { _ in
            Int.random(in: 0..<10, using: &generator) == 0 ? nullInt : Int64.random(in: 0..<400, using: &generator)
        }
        let dense = PostingIndex(keys: keys, keyCount: 400)
        let sparse = PostingIndex(keys: keys, keyCount: Int(Int32.max))
        #expect(dense.sparseKeys == nil && sparse.sparseKeys != nil)
        #expect(sparse.nullRows == dense.nullRows)
        for k in Int64(-2)..<402 {
            #expect(sparse.rows(for: k) == dense.rows(for: k) && sparse.count(for: k) == dense.count(for: k), "key \(k)")
        }
        #expect(sparse.keysPresent.map(\.key) == dense.keysPresent.map(\.key))
        #expect(sparse.keysPresent.map(\.rows) == dense.keysPresent.map(\.rows))
        #expect(sparse.rows(for: Int64(Int32.max) - 1).isEmpty)
    }

    /// Inserts and deletes of ids near and far, checked against a dictionary: every id present is
    /// found at its row, every other id (negative, deleted, never handed out) finds nothing.
    @Test func theIdMapFollowsAModel() {
        var generator = SystemRandomNumberGenerator()
        var map = IdMap(ids: [3, 9, Self.highest])
        var model: [Int64: Int32] = [3: 0, 9: 1, Self.highest: 2]
        var next: Int64 = 10
        for step in 0..<20_000 {
            if Bool.random(using: &generator) || model.isEmpty {
                // Mostly the next id, sometimes a jump far ahead, as a journal may make.
                let jump = Int.random(in: 0..<100, using: &generator) == 0 ? Int64.random(in: 1..<1_000_000, using: &generator) : 1
                let id = next + jump - 1
                next = id + 1
                if model[id] != nil { continue }
                model[id] = Int32(step)
                map.insert(id, row: Int32(step), records: model.count)
            } else {
                let id = model.keys.randomElement(using: &generator)!
                model[id] = nil
                map.remove(id)
            }
        }
        for (id, row) in model { #expect(map.row(id) == row) }
        for id in [-1, 0, 1, next, Int64(Int32.max), Int64.max, Int64.min] where model[id] == nil {
            #expect(map.row(id) == -1)
        }
        #expect(map.dense.filter { $0 >= 0 }.count + map.sparse.count == model.count)
        #expect(map.dense.count <= IdMap.denseLimit(records: 20_000))
    }
}
