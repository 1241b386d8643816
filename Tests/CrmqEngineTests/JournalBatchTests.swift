import Foundation
import Testing
@testable import CrmqEngine

/// A run of inserts journaled as one columnar batch (tag 5): it reads back as the same inserts,
/// shorter runs and version-4 journals read as before, and damage in a batch is refused.
@Suite struct JournalBatchTests {
    /// `n` accounts after the tiny database's, with texts repeated, nulls, and every kind of field.
    static func inserts(_ db: Database, _ n: Int) -> [DataChange] {
        let def = db["accounts"].entity
        var out: [DataChange] = []
        for k in 0..<n {
            var values = [StoredValue](repeating: .null, count: def.fields.count - 1)
            for (i, f) in def.fields.dropFirst().enumerated() where (k + i) % 5 != 0 {
                if f.type.isText {
                    values[i] = .text(k % 3 == 0 ? "Nordlys \(k)" : "Café \(k % 4)")
                } else if let r = f.type.storedRange(in: db.schema) {
                    values[i] = .integer(r.lowerBound + Int64(k) % (r.upperBound - r.lowerBound + 1))
                } else if case .reference(let target) = f.type {
                    values[i] = .integer(1 + Int64(k) % (db[target].nextId - 1))
                } else {
                    values[i] = .integer(Int64(k) * 1_000_003 - 7)
                }
            }
            out.append(.insert(entity: "accounts", id: db["accounts"].nextId + Int64(k), values: values))
        }
        return out
    }

    /// The record's changes, a batch read back as the inserts it stands for.
    static func decode(_ record: [UInt8], _ schema: Schema) throws -> [DataChange]? {
        var s = schema
        let payload = Array(record[JournalFormat.recordHeadSize...])
        return try JournalFormat.changes(payload, origin: 0, schema: &s)?.1.flatMap { change -> [DataChange] in
            if case .insertBatch(let e, let batch) = change { return batch.rows(entity: e) }
            return [change]
        }
    }

    @Test func aRunOfInsertsIsOneBatchAndReadsBackTheSame() throws {
        let db = TinyCRM.build()
        let changes = [DataChange.delete(entity: "leads", ids: [3])] + Self.inserts(db, 1000)
            + [.assign(entity: "leads", field: 1, value: .text("x"), ids: [1])]
        #expect(db.problem(applying: changes) == nil)
        let record = JournalFormat.record(changes, sequence: 1, committedAt: 7, schema: db.schema)
        // Three changes written: the delete, one batch, the assignment.
        let payload = Array(record[JournalFormat.recordHeadSize...])
        #expect(payload[8] == 3 && payload[9] == 0)
        #expect(payload.count < 1000 * 64)
        #expect(try Self.decode(record, db.schema) == changes)
    }

    @Test func aShortRunIsWrittenRecordByRecord() throws {
        let db = TinyCRM.build()
        let changes = Self.inserts(db, JournalBatch.minimumRun - 1)
        let record = JournalFormat.record(changes, sequence: 1, committedAt: 7, schema: db.schema)
        let payload = Array(record[JournalFormat.recordHeadSize...])
        #expect(Int(payload[8]) == changes.count)
        #expect(payload[12] == 1)
        #expect(try Self.decode(record, db.schema) == changes)
    }

    /// A version-4 journal (inserts one by one, the only form then) still opens and replays.
    @Test func aVersionFourJournalStillReads() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/crm.crmq"
        let db = TinyCRM.build()
        _ = try DataFile.writeNew(db, to: path)
        let changes = Self.inserts(db, 40)
        var p = ByteWriter()
        p.i64(1_780_000_000)
        p.u32(UInt32(changes.count))
        let accounts = UInt16(db.schema.entities.firstIndex { $0.name == "accounts" }!)
        for case .insert(_, let id, let values) in changes {
            p.u8(1)
            p.u16(accounts)
            p.i64(id)
            p.u16(UInt16(values.count))
            for v in values {
                switch v {
                case .integer(nullInt), .text(nil): p.u8(0)
                case .integer(let n): p.u8(1); p.i64(n)
                case .text(let s?): p.u8(2); p.string(s)
                }
            }
        }
        let snapshotId = try SnapshotReader.read(path: path).snapshotId
        var header = JournalFormat.header(snapshotId: snapshotId)
        header[8] = 4
        let sum = CRC32C.checksum(Array(header[..<28]))
        for i in 0..<4 { header[28 + i] = UInt8(truncatingIfNeeded: sum >> (8 * UInt32(i))) }
        var w = ByteWriter()
        w.u32(UInt32(p.bytes.count))
        w.u64(1)
        w.u32(CRC32C.checksum(p.bytes))
        w.u32(CRC32C.checksum(w.bytes))
        try Data(header + w.bytes + p.bytes).write(to: URL(fileURLWithPath: path + "-journal"))
        let again = try DataFileTests.open(path)
        var expected = db
        expected.apply(changes)
        SnapshotTests.expectSameData(expected, again.database)
    }

    @Test func aDamagedBatchIsRefusedNotTrusted() throws {
        let db = TinyCRM.build()
        let changes = Self.inserts(db, 64)
        let record = JournalFormat.record(changes, sequence: 1, committedAt: 7, schema: db.schema)
        let payload = Array(record[JournalFormat.recordHeadSize...])
        // Every cut is refused; every byte changed either is refused or decodes to inserts that
        // the replay check then judges (never a trap).
        for cut in stride(from: 13, to: payload.count, by: 7) {
            var s = db.schema
            #expect((try? JournalFormat.changes(Array(payload[..<cut]), origin: 0, schema: &s)) ?? nil == nil)
        }
        for at in 12..<min(payload.count, 400) {
            var bad = payload
            bad[at] ^= 0xA5
            var s = db.schema
            if let (_, decoded) = (try? JournalFormat.changes(bad, origin: 0, schema: &s)) ?? nil {
                _ = db.problem(applying: decoded)
            }
        }
    }

    /// A million-row import's path in small: inserts checked and applied as a run give the data
    /// the one-by-one path gives.
    @Test func aRunAppliesAsOneByOne() throws {
        let db = TinyCRM.build()
        let changes = Self.inserts(db, 100)
        var batch = db
        batch.apply(changes)
        var single = db
        for c in changes { single.apply([c]) }
        SnapshotTests.expectSameData(batch, single)
        var bad = changes
        if case .insert(let e, let id, var values) = bad[50] {
            let f = db["accounts"].entity.fields.dropFirst().firstIndex { !$0.type.isText }! - 1
            values[f] = .text("oops")
            bad[50] = .insert(entity: e, id: id, values: values)
        }
        #expect(db.problem(applying: bad)?.hasPrefix("change 51: text given for") == true)
        var early = changes
        early.swapAt(10, 11)
        #expect(db.problem(applying: early)?.hasPrefix("change 12 creates account") == true)
    }

    /// The same records as one `.insertBatch`: checked and applied column by column, the data
    /// is the one-by-one path's, and each kind of misfit is refused.
    @Test func aBatchChecksAndAppliesAsOneByOne() throws {
        let db = TinyCRM.build()
        let def = db["accounts"].entity
        let changes = Self.inserts(db, 100)
        let batch = try #require(InsertBatch(changes, textFields: def.fields.dropFirst().map(\.type.isText)))
        #expect(batch.rows(entity: "accounts") == changes)
        #expect(db.problem(applying: [.insertBatch(entity: "accounts", batch: batch)]) == nil)
        var applied = db
        applied.apply([.insertBatch(entity: "accounts", batch: batch)])
        var single = db
        for c in changes { single.apply([c]) }
        SnapshotTests.expectSameData(applied, single)
        #expect(batch.picking([2, 0]).rows(entity: "accounts") == [changes[2], changes[0]])

        func refused(_ edit: (inout InsertBatch) -> Void) -> String? {
            var b = batch
            edit(&b)
            return db.problem(applying: [.insertBatch(entity: "accounts", batch: b)])
        }
        let number = def.fields.dropFirst().firstIndex { !$0.type.isText }! - 1
        let text = def.fields.dropFirst().firstIndex { $0.type.isText }! - 1
        #expect(refused { $0.ids.swapAt(10, 11) }?.hasPrefix("change 1 creates account") == true)
        #expect(refused { $0.columns[number] = .texts(TextRun((0..<100).map { _ in "oops" })) }?.contains("text given for") == true)
        #expect(refused { $0.columns[text] = .integers([Int64](repeating: 5, count: 100)) }?.contains("a number given for") == true)
        #expect(refused { $0.columns.removeLast() }?.contains("values for the") == true)
        #expect(refused { $0.columns[number] = .integers([1]) }?.contains("in a column for 100 records") == true)
        if let owner = def.fieldIndex("owner") {
            #expect(refused { $0.columns[owner - 1] = .integers([Int64](repeating: 9_999, count: 100)) }?.contains("never created") == true)
        }
    }
}

/// A batch's text field of mostly distinct texts (names) is written as texts, judged on a sample;
/// it reads back the same either way.
@Suite struct JournalBatchDistinctTextTests {
    @Test func mostlyDistinctIsJudgedOnASample() {
        #expect(JournalBatch.mostlyDistinct(TextRun((0..<2000).map { "Deal \($0)" })))
        #expect(!JournalBatch.mostlyDistinct(TextRun((0..<2000).map { "Stage \($0 % 7)" })))
        #expect(!JournalBatch.mostlyDistinct(TextRun((0..<63).map { "Deal \($0)" })))
        #expect(!JournalBatch.mostlyDistinct(TextRun([String?](repeating: nil, count: 2000))))
    }

    @Test func distinctNamesReadBackTheSame() throws {
        let db = TinyCRM.build()
        let def = db["accounts"].entity
        let name = def.fieldIndex("name")! - 1
        let changes: [DataChange] = (0..<500).map { k in
            var values = [StoredValue](repeating: .null, count: def.fields.count - 1)
            if k % 7 != 0 { values[name] = .text(k % 11 == 0 ? "Ærø \(k % 3)" : "Nordlys \(k)") }
            return .insert(entity: "accounts", id: db["accounts"].nextId + Int64(k), values: values)
        }
        let record = JournalFormat.record(changes, sequence: 1, committedAt: 7, schema: db.schema)
        #expect(try JournalBatchTests.decode(record, db.schema) == changes)
    }
}
