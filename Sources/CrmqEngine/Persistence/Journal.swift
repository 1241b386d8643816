/// The journal beside a snapshot (`FILE-journal`): every committed change since the snapshot was
/// saved, one record per commit, appended and synced before the commit is reported. Opening a file
/// replays it; `save` folds it into a new snapshot and starts it afresh. Laid out in
/// docs/snapshot-format.md:
///
///     header   32 bytes: magic "CRMQJRNL", version, the snapshot id it continues, checksum
///     record   20-byte head (payload length, sequence number, payload checksum, head checksum),
///              then the payload: when it was committed and its changes
enum JournalFormat {
    static let magic: [UInt8] = Array("CRMQJRNL".utf8)
    /// 2 adds catalog changes (tag 4), 3 pipeline changes among them, 4 field changes, 5 rule
    /// changes (catalog tag 6) and batches of inserts (tag 5, JournalBatch); older journals read as
    /// they always did.
    static let version: UInt32 = 5
    static let headerSize = 32
    static let recordHeadSize = 20

    static func header(snapshotId: UInt64) -> [UInt8] {
        var w = ByteWriter(capacity: headerSize)
        w.raw(magic)
        w.u32(version)
        w.u32(0)
        w.u64(snapshotId)
        w.u32(0)
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// One record: head and payload.
    static func record(_ changes: [DataChange], sequence: UInt64, committedAt: Int64, schema: Schema) -> [UInt8] {
        var p = ByteWriter()
        p.i64(committedAt)
        p.u32(0)  // the count of changes written, patched below (a batch is one)
        var written: UInt32 = 0
        var entityIndex = Dictionary(uniqueKeysWithValues: schema.entities.enumerated().map { ($1.name, UInt16($0)) })
        var k = 0
        while k < changes.count {
            let change = changes[k]
            k += 1
            written += 1
            if case .insert(let e, _, _) = change, let def = schema.entity(named: e), def.name == e {
                var end = k
                while end < changes.count, case .insert(let next, _, _) = changes[end], next == e { end += 1 }
                let run = changes[(k - 1)..<end]
                // Checked on the values, so that a batch written with a schema that a field change
                // in the same record made stale still holds exactly the values given.
                if run.count >= JournalBatch.minimumRun,
                   let batch = InsertBatch(run, textFields: def.fields.dropFirst().map { $0.type.isText }) {
                    JournalBatch.encode(batch, entity: entityIndex[e]!, into: &p)
                    k = end
                    continue
                }
            }
            // An entity added in this record is numbered after the others, as reading it numbers it.
            if case .catalog(.schema(.addEntity(let e, _))) = change, entityIndex[e.name] == nil {
                entityIndex[e.name] = UInt16(entityIndex.count)
            }
            switch change {
            case .insertBatch(let e, let batch):
                JournalBatch.encode(batch, entity: entityIndex[e]!, into: &p)
            case .insert(let e, let id, let values):
                p.u8(1)
                p.u16(entityIndex[e]!)
                p.i64(id)
                p.u16(UInt16(values.count))
                for v in values { value(v, &p) }
            case .assign(let e, let field, let v, let ids):
                p.u8(2)
                p.u16(entityIndex[e]!)
                p.u16(UInt16(field))
                value(v, &p)
                p.u32(UInt32(ids.count))
                for id in ids { p.i64(id) }
            case .delete(let e, let ids):
                p.u8(3)
                p.u16(entityIndex[e]!)
                p.u32(UInt32(ids.count))
                for id in ids { p.i64(id) }
            case .catalog(let c):
                p.u8(4)
                CatalogCoding.encode(c, into: &p)
            }
        }
        p.patchU32(written, at: 8)
        var w = ByteWriter(capacity: recordHeadSize + p.bytes.count)
        w.u32(UInt32(p.bytes.count))
        w.u64(sequence)
        w.u32(CRC32C.checksum(p.bytes))
        w.u32(CRC32C.checksum(w.bytes))
        w.raw(p.bytes)
        return w.bytes
    }

    private static func value(_ v: StoredValue, _ p: inout ByteWriter) {
        switch v {
        case .integer(nullInt), .text(nil):
            p.u8(0)
        case .integer(let n):
            p.u8(1)
            p.i64(n)
        case .text(let s?):
            p.u8(2)
            p.string(s)
        }
    }

    /// Decodes a payload whose checksum matched. Only the structure is checked here (entities and
    /// fields exist, counts fit); `Database.problem(applying:)` checks the rest against the data.
    static func changes(_ payload: [UInt8], origin: Int, schema: inout Schema) throws(ByteReader.Overrun) -> (Int64, [DataChange])? {
        var r = ByteReader(payload, origin: origin)
        let committedAt = try r.i64()
        // The smallest change is a catalog change: tag, kind and a month.
        let count = try r.count(minimumSize: 3)
        var out: [DataChange] = []
        for _ in 0..<count {
            let tag = try r.u8()
            if tag == 4 {
                guard let c = try CatalogCoding.decodeChange(&r) else { return nil }
                // An entity added earlier in the journal is named by its place in the schema after it.
                if case .schema(.addEntity(let e, _)) = c, schema.entity(named: e.name) == nil { schema.entities.append(e) }
                out.append(.catalog(c))
                continue
            }
            let e = Int(try r.u16())
            guard e < schema.entities.count else { return nil }
            let entity = schema.entities[e]
            switch tag {
            case 1:
                let id = try r.i64()
                let n = Int(try r.u16())
                var values: [StoredValue] = []
                for _ in 0..<n {
                    guard let v = try value(&r) else { return nil }
                    values.append(v)
                }
                // A journal written before opportunities had a pipeline gives one value fewer.
                for _ in 0..<PipelineMigration.padding(for: entity, values: n) { values.append(.null) }
                out.append(.insert(entity: entity.name, id: id, values: values))
            case 2:
                let field = Int(try r.u16())
                guard let v = try value(&r) else { return nil }
                out.append(.assign(entity: entity.name, field: field, value: v, ids: try ids(&r)))
            case 3:
                out.append(.delete(entity: entity.name, ids: try ids(&r)))
            case JournalBatch.tag:
                guard let batch = try JournalBatch.decode(&r, entity: entity) else { return nil }
                out.append(.insertBatch(entity: entity.name, batch: batch))
            default:
                return nil
            }
        }
        return r.atEnd ? (committedAt, out) : nil
    }

    private static func ids(_ r: inout ByteReader) throws(ByteReader.Overrun) -> [Int64] {
        let n = try r.count(minimumSize: 8)
        var ids: [Int64] = []
        ids.reserveCapacity(n)
        for _ in 0..<n { ids.append(try r.i64()) }
        return ids
    }

    private static func value(_ r: inout ByteReader) throws(ByteReader.Overrun) -> StoredValue? {
        switch try r.u8() {
        case 0: return .null
        case 1:
            let n = try r.i64()
            return n == nullInt ? nil : .integer(n)
        case 2: return .text(try r.string())
        default: return nil
        }
    }
}

/// What a journal holds, read and checked.
struct JournalContents: Sendable {
    enum State: Sendable, Equatable {
        /// No journal file, or one cut short before its header was complete (a crash while it was
        /// being started): nothing was ever committed to it.
        case absent
        /// Continues the snapshot: its records are to be replayed.
        case current
        /// Continues the snapshot that this one replaced: a crash came between writing the new
        /// snapshot and starting the journal afresh, so its changes are in the snapshot already.
        case folded
    }

    struct Record: Sendable {
        var sequence: UInt64
        var offset: Int
        var committedAt: Int64
        var changes: [DataChange]
    }

    var state: State
    var snapshotId: UInt64
    var records: [Record]
    /// Bytes up to the end of the last whole record: where the next one is appended.
    var validLength: Int
    /// A last record that was cut off (a crash while it was being written), dropped: its offset and
    /// length. It was never reported as committed.
    var tornTail: (offset: Int, length: Int)?
    var fileLength: Int

    /// A sentence for the warning printed when a torn record is dropped.
    func tornWarning(_ path: String) -> String? {
        tornTail.map {
            "warning: \(DataFileError.quoted(path)): the last change record (\($0.length) bytes at byte \($0.offset)) is incomplete, cut off by a crash while it was being written; it was never reported as committed, and has been dropped"
        }
    }
}

/// Reads and checks a journal against the snapshot it should continue.
enum JournalReader {
    static func read(_ source: some ByteSource, snapshotId: UInt64, previousId: UInt64,
                     schema: Schema) throws(DataFileError) -> JournalContents {
        let name = source.name
        let size = source.length
        var contents = JournalContents(state: .absent, snapshotId: 0, records: [], validLength: 0, tornTail: nil,
                                       fileLength: size)
        // Records follow only a complete, synced header, so a shorter file holds nothing committed.
        if size < JournalFormat.headerSize { return contents }
        let head = try source.bytes(at: 0, count: JournalFormat.headerSize)
        guard Array(head[..<8]) == JournalFormat.magic else {
            throw DataFileError(.notADataFile, name, at: 0,
                                "\(DataFileError.quoted(name)) is not a crmq journal: it does not start with the journal magic bytes (byte 0)",
                                hint: "move it aside to open the snapshot without it")
        }
        var r = ByteReader(head, origin: 0)
        _ = try? r.raw(8)
        let version = (try? r.u32()) ?? 0
        _ = try? r.u32()
        let journalId = (try? r.u64()) ?? 0
        let stored = UInt32(head[28]) | UInt32(head[29]) << 8 | UInt32(head[30]) << 16 | UInt32(head[31]) << 24
        guard CRC32C.checksum(Array(head[..<28])) == stored else {
            // A header torn while the journal was being started afresh has no records after it.
            if size == JournalFormat.headerSize { return contents }
            throw DataFileError.damaged(.checksum, name, at: 0, "the journal header (bytes 0 to 31) does not match its checksum")
        }
        guard version <= JournalFormat.version else {
            throw DataFileError(.newerVersion(Int(version)), name, at: 8,
                                "\(DataFileError.quoted(name)) uses journal version \(version) (byte 8); this crmq reads version \(JournalFormat.version)",
                                hint: "open it with a newer crmq")
        }
        contents.snapshotId = journalId
        contents.validLength = JournalFormat.headerSize
        if journalId == previousId && previousId != 0 {
            contents.state = .folded
            return contents
        }
        guard journalId == snapshotId else {
            throw DataFileError(.malformed, name, at: 16,
                                "\(DataFileError.quoted(name)) continues a different snapshot (id \(hex(journalId)), byte 16) than the file beside it (id \(hex(snapshotId)))",
                                hint: "the snapshot was replaced by another file; move the journal aside to open the snapshot without its changes")
        }
        contents.state = .current
        var schema = schema
        var offset = JournalFormat.headerSize
        var expectedSequence: UInt64 = 1
        while offset < size {
            // The first record that is not whole ends the journal if it was the last write, torn
            // by a crash; if a whole record follows it, it is damage, and refusing to open is the
            // only way not to lose that later, committed record silently.
            func badRecord(_ what: String) throws(DataFileError) {
                let rest = try source.bytes(at: offset, count: size - offset)
                if let later = JournalReader.nextRecordHead(in: rest, after: expectedSequence) {
                    throw DataFileError.damaged(.checksum, name, at: offset,
                                                "change record \(expectedSequence) \(what), and record \(later.sequence) follows it at byte \(offset + later.position)")
                }
                contents.tornTail = (offset, size - offset)
            }
            guard size - offset >= JournalFormat.recordHeadSize else {
                try badRecord("is shorter than a record head")
                break
            }
            let head = try source.bytes(at: offset, count: JournalFormat.recordHeadSize)
            guard let (length, sequence, payloadSum) = JournalReader.recordHead(head) else {
                try badRecord("has a damaged head")
                break
            }
            let end = offset + JournalFormat.recordHeadSize + length
            guard end <= size else {
                try badRecord("is cut short")
                break
            }
            let payload = try source.bytes(at: offset + JournalFormat.recordHeadSize, count: length)
            guard CRC32C.checksum(payload) == payloadSum else {
                try badRecord("does not match its checksum")
                break
            }
            guard sequence == expectedSequence else {
                throw DataFileError.malformed(name, at: offset + 4, "change record \(expectedSequence) is numbered \(sequence)")
            }
            let decoded = try? JournalFormat.changes(payload, origin: offset + JournalFormat.recordHeadSize, schema: &schema)
            guard let (committedAt, changes) = decoded ?? nil else {
                throw DataFileError.malformed(name, at: offset, "change record \(sequence) cannot be read")
            }
            contents.records.append(JournalContents.Record(sequence: sequence, offset: offset, committedAt: committedAt,
                                                           changes: changes))
            offset = end
            contents.validLength = end
            expectedSequence += 1
        }
        return contents
    }

    /// Length, sequence and payload checksum of a record head whose own checksum matches.
    static func recordHead(_ head: [UInt8]) -> (length: Int, sequence: UInt64, payloadSum: UInt32)? {
        var h = ByteReader(head, origin: 0)
        guard let length = try? h.u32(), let sequence = try? h.u64(), let payloadSum = try? h.u32(),
              let headSum = try? h.u32(), CRC32C.checksum(Array(head[..<16])) == headSum else { return nil }
        return (Int(length), sequence, payloadSum)
    }

    /// A whole record head after the first byte of `bytes`, numbered after `sequence`: the sign that
    /// bad bytes before it are damage, not the torn end of the last write.
    static func nextRecordHead(in bytes: [UInt8], after sequence: UInt64) -> (position: Int, sequence: UInt64)? {
        let n = bytes.count, headSize = JournalFormat.recordHeadSize
        guard n > headSize else { return nil }
        // Every position is tried, so this runs only on the rare bad record, without allocating.
        return bytes.withUnsafeBytes { b -> (position: Int, sequence: UInt64)? in
            for p in 1...(n - headSize) {
                let headSum = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: p + 16, as: UInt32.self))
                guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: b[p..<p + 16])) == headSum else { continue }
                let length = Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
                let later = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: p + 4, as: UInt64.self))
                if later > sequence, p + headSize + length <= n { return (p, later) }
            }
            return nil
        }
    }

    static func hex(_ id: UInt64) -> String {
        let digits = String(id, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
