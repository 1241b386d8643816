import Testing
@testable import CrmqEngine

/// Indexes kept in place through changes (Collection+IndexUpkeep.swift): random creates (one at
/// a time and in runs), updates and deletes on a collection with every kind of index (text,
/// enum, bool, a dense and a sparse reference, numbers, dates), with nulls, new and repeated
/// texts, texts equal but for case, duplicates and extremes. After every step each index still
/// held must equal one built afresh from the columns, and index-planned queries the plain scan.
@Suite struct IndexUpkeepPropertyTests {
    static let today = Day.parse("2026-06-15")!
    static let texts = ["Bob", "bob", "BOB", "Alice", "alice smith", "Émile", "émile", "", "zed", "Zürich", "b", "bo"]
    static let extremes: [Int64] = [0, -1, 1, 1 << 40, -(1 << 40), Int64.max, Int64.min + 1, 50_000]

    static var schema: Schema {
        let items = EntityDef(name: "items", singular: "item", fields: [
            FieldDef("label", .text, indexed: true),
            FieldDef("kind", .enumeration("kind")),
            FieldDef("flag", .bool),
            FieldDef("parent", .reference("items")),
            FieldDef("far", .reference("items"), "ids far apart, so its index is sparse"),
            FieldDef("amount", .int),
            FieldDef("due", .date),
            FieldDef("price", .money),
        ], defaultColumns: ["id", "label"], titleField: "label")
        return Schema(entities: [items], enums: ["kind": ["a", "b", "c", "d", "e"]], pipelines: [.standard])
    }

    struct Fixture {
        var db = Database(schema: IndexUpkeepPropertyTests.schema)
        var rng: DiffRandom
        var nextId: Int64 = 1
        var newTexts = 0
        var fields: [FieldDef] { db["items"].entity.fields }

        init(seed: UInt64) { rng = DiffRandom(seed: seed) }

        mutating func existingId() -> Int64 {
            let ids = db["items"].ids
            return ids.isEmpty ? nullInt : ids[rng.int(ids.count)]
        }

        /// A value for field `f`: often null, repeated or extreme.
        mutating func value(_ f: Int) -> StoredValue {
            if rng.chance(0.15) { return fields[f].type.isText ? .text(nil) : .null }
            switch fields[f].type {
            case .text:
                if rng.chance(0.2) {
                    newTexts += 1
                    return .text("new \(newTexts) \(rng.pick(IndexUpkeepPropertyTests.texts))")
                }
                return .text(rng.pick(IndexUpkeepPropertyTests.texts))
            case .enumeration: return .integer(Int64(rng.int(5)))
            case .bool: return .integer(Int64(rng.int(2)))
            case .reference: return rng.chance(0.1) ? .integer(nextId - 1) : .integer(existingId())
            case .date: return .integer(Self.day(rng.int(40)))
            default: return .integer(rng.chance(0.3) ? rng.pick(IndexUpkeepPropertyTests.extremes) : Int64(rng.int(30)) * 1000)
            }
        }

        static func day(_ n: Int) -> Int64 { IndexUpkeepPropertyTests.today - 20 + Int64(n) }

        /// The id of the next record: now and then far beyond the last, so that `far`'s index is
        /// sparse.
        mutating func newId() -> Int64 {
            let id = nextId + (rng.chance(0.05) ? 100_000 : 0)
            nextId = id + 1
            return id
        }

        mutating func record() -> [StoredValue] { (1..<fields.count).map { value($0) } }

        mutating func step() -> String {
            let n = db["items"].count
            switch rng.int(10) {
            case 0, 1, 2:
                let id = newId()
                let values = record()
                db.modify("items") { $0.append(id: id, values) }
                return "create \(id)"
            case 3:
                // A run of creates, applied column by column.
                let changes = (0..<(16 + rng.int(20))).map { _ in DataChange.insert(entity: "items", id: newId(), values: record()) }
                db.apply(changes)
                return "create \(changes.count)"
            case 4, 5, 6:
                guard n > 0 else { return "nothing" }
                let f = 1 + rng.int(fields.count - 1)
                // Rows may repeat, as two ids of one record would.
                let rows = (0..<(1 + rng.int(rng.chance(0.2) ? n : 4))).map { _ in Int32(rng.int(n)) }
                let v = value(f)
                db.modify("items") { $0.set(f, rows: rows, to: v) }
                return "set \(fields[f].name) of \(rows.count)"
            case 7, 8:
                guard n > 0 else { return "nothing" }
                let rows = Set((0..<(1 + rng.int(rng.chance(0.2) ? n / 2 + 1 : 3))).map { _ in Int32(rng.int(n)) }).sorted()
                db.modify("items") { $0.delete(rows: rows) }
                return "delete \(rows.count)"
            default:
                db.buildIndexes()
                return "build"
            }
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func indexesFollowRandomChanges(seed: UInt64) throws {
        var fx = Fixture(seed: seed)
        for _ in 0..<60 {
            let (id, values) = (fx.newId(), fx.record())
            fx.db.modify("items") { $0.append(id: id, values) }
        }
        fx.db.buildIndexes()
        var log: [String] = []
        var kept = 0
        for _ in 0..<200 {
            log.append(fx.step())
            let c = fx.db["items"]
            kept += c.indexes.count
            for (f, index) in c.indexes {
                let fresh = Self.fresh(f, fx.db)
                #expect(Self.sameAnswers(index, fresh),
                        "\(c.entity.fields[f].name) differs from a fresh build after: \(log.suffix(4))")
                let (a, b) = (ColumnStats(index, rows: c.count), ColumnStats(fresh, rows: c.count))
                #expect(a.nulls == b.nulls && a.distinct == b.distinct && a.mostCommon.map(\.rows) == b.mostCommon.map(\.rows),
                        "\(c.entity.fields[f].name) statistics are stale after: \(log.suffix(4))")
            }
            try Self.checkPlans(fx.db, log)
        }
        // Meaningful only if the indexes were really kept through the changes, not rebuilt.
        #expect(kept > 200 * 6, "indexes were dropped: only \(kept) kept")
    }

    /// Whether two indexes give the same rows for every key: those of the keys present, compared
    /// (a sparse reference index spans many keys without rows), and no rows for any other key.
    static func sameAnswers(_ a: FieldIndex, _ b: FieldIndex) -> Bool {
        func same(_ p: PostingIndex, _ q: PostingIndex) -> Bool {
            let keys = p.keysPresent.map(\.key)
            return p.nullRows == q.nullRows && keys == q.keysPresent.map(\.key)
                && keys.allSatisfy { p.rows(for: $0) == q.rows(for: $0) }
        }
        switch (a, b) {
        case (.posting(let p), .posting(let q)): return same(p, q)
        case (.text(let t), .text(let u)): return t.sortedCodes == u.sortedCodes && same(t.postings, u.postings)
        case (.sorted(let s), .sorted(let r)):
            return s.rows == r.rows && (0..<s.count).allSatisfy { s.value(at: $0) == r.value(at: $0) }
        default: return false
        }
    }

    /// The index a build from scratch makes of field `f` now.
    static func fresh(_ f: Int, _ db: Database) -> FieldIndex {
        let c = db["items"]
        return try! FieldIndex.build(c.entity.fields[f], c.columns[f], schema: db.schema,
                                     referenceKeys: Int(c.nextId), cancellation: .none)
    }

    static let queries = [
        "count items where amount > 5000", "find items where amount between 0 and 12000 show id",
        "find items where amount is null show id", "find items order by amount desc limit 3 show id, amount",
        "count items where price >= 0", "find items where due >= 2026-06-01 and due < 2026-06-10 show id",
        "count items where kind = \"b\"", "count items where kind in (\"a\", \"e\")", "count items where kind is null",
        "count items where flag = true", "count items where flag is null",
        "find items where label = \"bob\" show id", "find items where label starts with \"b\" show id",
        "find items where label starts with \"new 1\" show id", "count items where label is null",
        "find items where label in (\"émile\", \"zed\") show id",
    ]

    static func checkPlans(_ db: Database, _ log: [String]) throws {
        let ids = db["items"].ids
        var texts = Self.queries
        if let some = ids.last {
            texts += ["count items where parent = \(some)", "count items where far = \(some)",
                      "find items where parent in (\(ids[0]), \(some)) show id", "count items where far is null"]
        }
        for text in texts {
            let statement = try Parser.parseAll(SourceText(name: "q", text: text))[0]
            let bound = try Binder(schema: db.schema, today: today).bind(statement)
            func run(_ passes: Set<Planner.Pass>) throws -> [[String]] {
                switch bound {
                case .find(let q): return try FindExecutor(db: db).run(Planner(db, passes: passes).plan(q)).plainRows
                case .aggregate(let q): return try AggregateExecutor(db: db).run(Planner(db, passes: passes).plan(q)).plainRows
                default: return []
                }
            }
            #expect(try run(Set(Planner.Pass.allCases)) == run([]), "\(text) after: \(log.suffix(4))")
        }
    }

    /// The block moves every change rests on.
    @Test func rowArrayEditsInsertAndRemoveInPlace() {
        var a: [Int32] = [10, 20, 30, 40]
        RowArrayEdits.insert([5, 25, 26, 50], at: [0, 2, 2, 4], into: &a)
        #expect(a == [5, 10, 20, 25, 26, 30, 40, 50])
        RowArrayEdits.remove(at: [0, 3, 7], from: &a)
        #expect(a == [10, 20, 26, 30, 40])
        RowArrayEdits.remove(at: [0, 1, 2, 3, 4], from: &a)
        #expect(a.isEmpty)
        var rng = DiffRandom(seed: 9)
        for _ in 0..<200 {
            var model = (0..<rng.int(30)).map { _ in Int32(rng.int(100)) }.sorted()
            var edited = model
            let items = (0..<rng.int(6)).map { _ in Int32(rng.int(100)) }.sorted()
            let at = items.map { v in edited.firstIndex { $0 > v } ?? edited.count }
            RowArrayEdits.insert(items, at: at, into: &edited)
            model = (model + items).sorted()
            #expect(edited == model)
            let gone = Set((0..<rng.int(4)).map { _ in rng.int(max(1, model.count)) }).filter { $0 < model.count }.sorted()
            RowArrayEdits.remove(at: gone, from: &edited)
            #expect(edited == model.enumerated().filter { !gone.contains($0.offset) }.map(\.element))
        }
    }
}
