/// The layout of a snapshot file, as docs/snapshot-format.md describes it: a 64-byte header, the
/// sections back to back, the section table, a 16-byte end marker. All integers little-endian.
/// Every byte is covered by a checksum or compared with a known value, so any damage is found.
enum SnapshotFormat {
    /// PNG-style: a high byte (catches 7-bit transfers), the name, CR LF (catches line-ending
    /// conversion), and ^Z (stops `type` on Windows).
    static let magic: [UInt8] = [0x89, 0x43, 0x52, 0x4D, 0x51, 0x0D, 0x0A, 0x1A]  // \x89 C R M Q \r \n \x1A
    static let endMagic: [UInt8] = Array("CRMQ-END".utf8)
    /// The newest format this crmq reads. A file is written in the oldest format that holds it:
    /// 1 when it has no segments and default settings (as SQLite picks its schema format by the
    /// features a database uses), so an older crmq still opens it; 2 with segments or settings; 3 when
    /// a stage has exit criteria (they follow each stage in the schema section); 4 when grants
    /// were changed (`grant`, `revoke`: the grants section) or it holds workflow rules (the rules section).
    static let version: UInt32 = 4

    static func version(for db: Database) -> UInt32 {
        if !db.catalog.grantChanges.isEmpty || !db.catalog.rules.isEmpty { return 4 }
        if db.schema.pipelines.contains(where: { $0.stages.contains { !$0.criteria.isEmpty } }) { return 3 }
        return db.catalog.isDefault ? 1 : 2
    }
    static let headerSize = 64
    static let tableEntrySize = 64
    static let endMarkerSize = 16

    /// What a section holds.
    enum Kind: UInt16, CaseIterable {
        /// Entities, fields (custom ones too), enums, pipelines.
        case schema = 1
        /// Per collection: record count, next id, indexed fields.
        case collections = 2
        /// An integer field's values (ids, numbers, dates, enum codes, references).
        case integers = 3
        /// A text field's dictionary codes, one per record (-1 for null).
        case textCodes = 4
        /// Where each dictionary entry of a text field starts in its byte heap (entries + 1 offsets).
        case dictionaryOffsets = 5
        /// The UTF-8 bytes of a text field's dictionary entries, back to back.
        case dictionaryBytes = 6
        /// Segments (`define segment`): empty in format 1.
        case segments = 7
        /// Settings kept with the data (the fiscal year's first month): from format 2 on.
        case settings = 8
        /// The `grant` and `revoke` statements run, in order (Permissions/Grants.swift): from format 4 on.
        case grants = 10
        /// Workflow rules (`define rule`): from format 4 on (RuleCoding.swift).
        case rules = 9

        var name: String {
            switch self {
            case .schema: "schema"
            case .collections: "collections"
            case .integers: "values"
            case .textCodes: "text codes"
            case .dictionaryOffsets: "dictionary offsets"
            case .dictionaryBytes: "dictionary text"
            case .segments: "segments"
            case .settings: "settings"
            case .grants: "grants"
            case .rules: "rules"
            }
        }
    }

    /// No entity or field: the schema, collections, segments and settings sections.
    static let none: UInt16 = 0xFFFF
}

/// The fixed-size header at byte 0.
struct SnapshotHeader: Equatable {
    var version: UInt32
    var sectionCount: UInt32
    var fileLength: UInt64
    /// Random, new for every save: the journal names the snapshot it continues.
    var snapshotId: UInt64
    /// The snapshot this one replaced in a checkpoint (0 for none): a journal naming it holds only
    /// changes this snapshot already has, left by a crash before the journal was started afresh.
    var previousId: UInt64
    var savedAt: Int64
    var tableOffset: UInt64
    var tableChecksum: UInt32

    func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: SnapshotFormat.headerSize)
        w.raw(SnapshotFormat.magic)
        w.u32(version)
        w.u32(sectionCount)
        w.u64(fileLength)
        w.u64(snapshotId)
        w.u64(previousId)
        w.i64(savedAt)
        w.u64(tableOffset)
        w.u32(tableChecksum)
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// The fields of a whole header; the caller checks its magic and checksum.
    init(decoding bytes: [UInt8]) {
        var r = ByteReader(bytes, origin: 0)
        _ = try? r.raw(8)
        version = (try? r.u32()) ?? 0
        sectionCount = (try? r.u32()) ?? 0
        fileLength = (try? r.u64()) ?? 0
        snapshotId = (try? r.u64()) ?? 0
        previousId = (try? r.u64()) ?? 0
        savedAt = (try? r.i64()) ?? 0
        tableOffset = (try? r.u64()) ?? 0
        tableChecksum = (try? r.u32()) ?? 0
    }

    init(version: UInt32, sectionCount: UInt32, fileLength: UInt64, snapshotId: UInt64, previousId: UInt64,
         savedAt: Int64, tableOffset: UInt64, tableChecksum: UInt32) {
        self.version = version
        self.sectionCount = sectionCount
        self.fileLength = fileLength
        self.snapshotId = snapshotId
        self.previousId = previousId
        self.savedAt = savedAt
        self.tableOffset = tableOffset
        self.tableChecksum = tableChecksum
    }
}

/// One entry of the section table.
struct SectionEntry: Equatable {
    var kind: UInt16
    var entity: UInt16
    var field: UInt16
    /// Bytes per stored integer (1, 2, 4 or 8) for integer arrays; 0 for other sections.
    var width: UInt8
    /// Values (integers, codes, offsets) or bytes the section holds.
    var count: UInt64
    /// Added to every narrowed value (frame of reference); 0 at width 8.
    var base: Int64
    var offset: UInt64
    var length: UInt64
    var checksum: UInt32

    func encode(into w: inout ByteWriter) {
        w.u16(kind)
        w.u16(entity)
        w.u16(field)
        w.u8(width)
        w.u8(0)
        w.u64(count)
        w.i64(base)
        w.u64(offset)
        w.u64(length)
        w.u32(checksum)
        w.zeros(20)
    }

    /// Reads one entry; the table's checksum has been checked. Reserved bytes must be zero.
    static func decode(_ r: inout ByteReader) throws(ByteReader.Overrun) -> (SectionEntry, reservedClear: Bool) {
        let kind = try r.u16(), entity = try r.u16(), field = try r.u16(), width = try r.u8()
        let pad = try r.u8()
        let entry = SectionEntry(kind: kind, entity: entity, field: field, width: width, count: try r.u64(),
                                 base: try r.i64(), offset: try r.u64(), length: try r.u64(), checksum: try r.u32())
        let reserved = try r.raw(20)
        return (entry, pad == 0 && reserved.allSatisfy { $0 == 0 })
    }
}
