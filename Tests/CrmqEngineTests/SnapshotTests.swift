import Foundation
import Testing
@testable import CrmqEngine

/// The snapshot file: round trips, the checksum, the packing of integers, atomic saves.
@Suite struct SnapshotTests {
    @Test func crc32cMatchesTheStandardCheckValue() {
        // The check value of CRC-32C (RFC 3720, appendix B.4).
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([]) == 0)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        // Adding in pieces gives the same as at once, whatever the split.
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            var c = CRC32C()
            c.add(Array(bytes[..<split]))
            c.add(Array(bytes[split...]))
            #expect(c.value == CRC32C.checksum(bytes))
        }
    }

    /// The three-lane path (inputs of 24 KiB and more) against the bit-by-bit definition.
    @Test func crc32cOfLongInputsMatchesTheDefinition() {
        func bitwise(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                crc ^= UInt32(b)
                for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            return ~crc
        }
        var rng = DiffRandom(seed: 9)
        for length in [24_575, 24_576, 24_577, 49_152 + 13, 100_003] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(CRC32C.checksum(bytes) == bitwise(bytes), "length \(length)")
        }
    }

    @Test(arguments: [
        ([1, 2, nullInt, 200] as [Int64], 1),
        ([-5, 60_000, nullInt] as [Int64], 2),
        ([0, 4_000_000_000] as [Int64], 4),
        ([Int64.max, Int64.min + 1, nullInt] as [Int64], 8),
        ([nullInt, nullInt] as [Int64], 1),
        ([] as [Int64], 1),
        ([7, 7, 7] as [Int64], 1),
        ([0, 254] as [Int64], 1),
        ([0, 255] as [Int64], 2),
    ])
    func integersPackIntoTheNarrowestWidth(_ values: [Int64], _ width: Int) {
        values.withUnsafeBufferPointer { v in
            let layout = IntegerLayout.choose(v, null: nullInt)
            #expect(layout.width == width)
            var bytes = [UInt8](repeating: 0, count: layout.byteCount(v.count))
            bytes.withUnsafeMutableBytes { layout.pack(v, null: nullInt, into: $0) }
            var back = [Int64](repeating: 0, count: v.count)
            let range = bytes.withUnsafeBytes { b in back.withUnsafeMutableBufferPointer { layout.unpack(b, null: nullInt, into: $0) } }
            #expect(back == values)
            let present = values.filter { $0 != nullInt }
            #expect(range?.min == present.min() && range?.max == present.max())
        }
    }

    @Test func theTinyDatabaseRoundTrips() throws {
        let db = TinyCRM.build()
        let bytes = SnapshotWriter.bytes(of: db, snapshotId: 42)
        let back = try SnapshotReader.read(bytes: bytes, name: "tiny.crmq")
        #expect(back.snapshotId == 42)
        #expect(back.fileLength == bytes.count)
        SnapshotTests.expectSameData(db, back.database)
        // Writing what was read gives the same bytes: the format has one spelling of each database.
        #expect(SnapshotWriter.bytes(of: back.database, snapshotId: 42) == bytes)
    }

    @Test func theDemoDatabaseRoundTripsAndAnswersTheSame() throws {
        let db = GoldenRun.demo
        let back = try SnapshotReader.read(bytes: SnapshotWriter.bytes(of: db), name: "demo.crmq").database
        SnapshotTests.expectSameData(db, back)
        let today = Day.parse("2026-06-15")!
        let before = Session(database: db, settings: Session.Settings(today: today))
        let after = Session(database: back, settings: Session.Settings(today: today))
        for q in ["count opportunities by stage", "sum value of opportunities by account.country",
                  "find contacts where email ends with \".no\" order by last_name limit 5",
                  "count activities where due_at within last 30 days by owner.name, type"] {
            #expect(try before.query(q).plainRows == after.query(q).plainRows, "\(q)")
        }
    }

    @Test func unusedDictionaryEntriesAreLeftOut() throws {
        var db = TinyCRM.build()
        let title = db["contacts"].entity.fieldIndex("title")!
        db.modify("contacts") { $0.set(title, rows: [0, 1, 2, 3, 4], to: .text("Buyer")) }
        let back = try SnapshotReader.read(bytes: SnapshotWriter.bytes(of: db), name: "t.crmq").database
        #expect(back["contacts"].columns[title].textColumn.dictionary == ["Buyer"])
        #expect((0..<5).allSatisfy { back["contacts"].columns[title].textColumn[$0] == "Buyer" })
    }

    @Test func deletedIdsAreNotHandedOutAgainAfterLoading() throws {
        var db = TinyCRM.build()
        db.apply([.delete(entity: "leads", ids: [3])])
        #expect(db["leads"].nextId == 4)
        let back = try SnapshotReader.read(bytes: SnapshotWriter.bytes(of: db), name: "t.crmq").database
        #expect(back["leads"].nextId == 4)
        #expect(back["leads"].row(ofId: 3) == nil)
    }

    @Test func savingReplacesTheFileWithMode0600() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/crm.crmq"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        _ = try SnapshotWriter.write(TinyCRM.build(), to: path, snapshotId: 7)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try SnapshotReader.read(path: path).snapshotId == 7)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["crm.crmq"])
    }

    static func expectSameData(_ a: Database, _ b: Database, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.schema.entityNames == b.schema.entityNames, sourceLocation: sourceLocation)
        #expect(a.schema.enums == b.schema.enums, sourceLocation: sourceLocation)
        #expect(a.schema.pipelines == b.schema.pipelines, sourceLocation: sourceLocation)
        for e in a.schema.entities {
            let x = a[e.name], y = b[e.name]
            #expect(x.entity == y.entity, sourceLocation: sourceLocation)
            #expect(x.count == y.count, "\(e.name)", sourceLocation: sourceLocation)
            #expect(x.nextId == y.nextId, "\(e.name)", sourceLocation: sourceLocation)
            #expect(x.indexedFields == y.indexedFields, sourceLocation: sourceLocation)
            for f in e.fields.indices {
                switch (x.columns[f], y.columns[f]) {
                case (.integers(let p), .integers(let q)):
                    #expect(p == q, "\(e.name).\(e.fields[f].name)", sourceLocation: sourceLocation)
                case (.text(let p), .text(let q)):
                    #expect((0..<p.count).map { p[$0] } == (0..<q.count).map { q[$0] },
                            "\(e.name).\(e.fields[f].name)", sourceLocation: sourceLocation)
                default:
                    Issue.record("\(e.name).\(e.fields[f].name) changed kind", sourceLocation: sourceLocation)
                }
            }
            for id in 0..<Int64(x.nextId) {
                #expect(x.row(ofId: id) == y.row(ofId: id), sourceLocation: sourceLocation)
            }
        }
    }
}

/// A fresh directory under the system's temporary folder, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("crmq-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
