import Dispatch

/// Turns a database into snapshot bytes: every column packed (see `IntegerLayout`) and
/// checksummed on all cores, then laid out as docs/snapshot-format.md describes.
public enum SnapshotWriter {
    /// What a save wrote.
    public struct Summary: Sendable {
        public var path: String
        public var bytes: Int
        public var sections: Int
        public var snapshotId: UInt64
    }

    /// The snapshot of `db` as one byte array (tests and the corruption checks read it back in memory).
    public static func bytes(of db: Database, snapshotId: UInt64 = 1, previousId: UInt64 = 0,
                             savedAt: Int64 = 0) -> [UInt8] {
        let image = SnapshotImage(db, snapshotId: snapshotId, previousId: previousId, savedAt: savedAt,
                                  cancellation: .none)!
        var out: [UInt8] = []
        out.reserveCapacity(image.length)
        for part in image.parts { out.append(contentsOf: part) }
        return out
    }

    /// Writes `db` to `path`, replacing any file there atomically: a temporary file beside it
    /// (mode 0600, as it holds personal data), written and synced, renamed over `path`, then the
    /// directory synced. A crash at any moment leaves the old file or the new one, never a mix.
    /// A cancelled write (Ctrl-C, `.timeout`) stops before the rename, removes the temporary
    /// file and throws `.cancelled`: the old file stays as it was.
    public static func write(_ db: Database, to path: String, snapshotId: UInt64, previousId: UInt64 = 0,
                             cancellation: Cancellation = .none) throws(DataFileError) -> Summary {
        guard let image = SnapshotImage(db, snapshotId: snapshotId, previousId: previousId, savedAt: SystemFile.now,
                                        cancellation: cancellation) else { throw cancelled(path) }
        try AtomicFile.replace(path, with: image.parts, cancellation: cancellation)
        return Summary(path: path, bytes: image.length, sections: image.sectionCount, snapshotId: snapshotId)
    }

    static func cancelled(_ path: String) -> DataFileError {
        DataFileError(.cancelled, path, "the save of \(DataFileError.quoted(path)) was cancelled; the file is as it was")
    }
}

/// A snapshot laid out in memory: the header, each section's bytes, the table, the end marker.
struct SnapshotImage {
    private(set) var parts: [[UInt8]] = []
    private(set) var length = 0
    private(set) var sectionCount = 0

    /// Nil when `cancellation` stopped the packing (each core checks before each field).
    init?(_ db: Database, snapshotId: UInt64, previousId: UInt64, savedAt: Int64, cancellation: Cancellation) {
        let version = SnapshotFormat.version(for: db)
        var sections = [
            Section(kind: .schema, bytes: SchemaCoding.encode(db.schema, criteria: version >= 3)),
            Section(kind: .collections, bytes: CollectionInfo.encode(db)),
            Section(kind: .segments, bytes: version == 1 ? [] : CatalogCoding.encodeSegments(db.catalog)),
        ]
        if version >= 2 { sections.append(Section(kind: .settings, bytes: CatalogCoding.encodeSettings(db.catalog))) }
        if version >= 4 { sections.append(Section(kind: .grants, bytes: GrantCoding.encode(db.catalog.grantChanges))) }
        if version >= 4 { sections.append(Section(kind: .rules, bytes: RuleCoding.encodeSection(db.catalog))) }
        let jobs = db.schema.entities.enumerated().flatMap { e, entity in
            entity.fields.indices.map { (entity: e, name: entity.name, field: $0) }
        }
        // Each field's sections are packed and checksummed on their own core, largest first.
        let order = jobs.indices.sorted { db[jobs[$0].name].count > db[jobs[$1].name].count }
        let slots = UnsafeMutableBufferPointer<[Section]>.allocate(capacity: jobs.count)
        slots.initialize(repeating: [])
        defer { slots.deinitialize().deallocate() }
        nonisolated(unsafe) let results = slots
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            if cancellation.isCancelled { return }
            let job = jobs[order[i]]
            results[order[i]] = SnapshotImage.sections(of: db[job.name].columns[job.field],
                                                       entity: job.entity, field: job.field)
        }
        if cancellation.isCancelled { return nil }
        for s in slots { sections.append(contentsOf: s) }

        var table = ByteWriter(capacity: sections.count * SnapshotFormat.tableEntrySize)
        var offset = SnapshotFormat.headerSize
        for s in sections {
            var entry = s.entry
            entry.offset = UInt64(offset)
            entry.length = UInt64(s.bytes.count)
            entry.checksum = CRC32C.checksum(s.bytes)
            entry.encode(into: &table)
            offset += s.bytes.count
        }
        let tableOffset = offset
        let fileLength = tableOffset + table.bytes.count + SnapshotFormat.endMarkerSize
        let header = SnapshotHeader(version: version, sectionCount: UInt32(sections.count),
                                    fileLength: UInt64(fileLength), snapshotId: snapshotId, previousId: previousId,
                                    savedAt: savedAt, tableOffset: UInt64(tableOffset),
                                    tableChecksum: CRC32C.checksum(table.bytes))
        var end = ByteWriter(capacity: SnapshotFormat.endMarkerSize)
        end.raw(SnapshotFormat.endMagic)
        end.u64(snapshotId)
        parts = [header.encoded()] + sections.map(\.bytes) + [table.bytes, end.bytes]
        length = fileLength
        sectionCount = sections.count
    }

    /// A section's contents and its table entry (offset, length and checksum filled in later).
    struct Section {
        var entry: SectionEntry
        var bytes: [UInt8]

        init(kind: SnapshotFormat.Kind, entity: Int? = nil, field: Int? = nil, width: Int = 0,
             count: Int? = nil, base: Int64 = 0, bytes: [UInt8]) {
            entry = SectionEntry(kind: kind.rawValue, entity: entity.map { UInt16($0) } ?? SnapshotFormat.none,
                                 field: field.map { UInt16($0) } ?? SnapshotFormat.none, width: UInt8(width),
                                 count: UInt64(count ?? bytes.count), base: base, offset: 0, length: 0, checksum: 0)
            self.bytes = bytes
        }
    }

    static func sections(of column: Column, entity: Int, field: Int) -> [Section] {
        switch column {
        case .integers(let values):
            let (layout, bytes) = packed(values.int64Array(), null: nullInt)
            return [Section(kind: .integers, entity: entity, field: field, width: layout.width,
                            count: values.count, base: layout.base, bytes: bytes)]
        case .text(let t):
            // Entries no record uses any more (after updates and deletes) are left out.
            let (codes, dictionary) = t.compacted()
            let (codeLayout, codeBytes) = packed(codes, null: -1)
            let offsets = [0] + dictionary.ends
            let heap = dictionary.bytes
            let (offsetLayout, offsetBytes) = packed(offsets, null: nullInt)
            return [
                Section(kind: .textCodes, entity: entity, field: field, width: codeLayout.width, count: codes.count,
                        base: codeLayout.base, bytes: codeBytes),
                Section(kind: .dictionaryOffsets, entity: entity, field: field, width: offsetLayout.width,
                        count: offsets.count, base: offsetLayout.base, bytes: offsetBytes),
                Section(kind: .dictionaryBytes, entity: entity, field: field, count: heap.count, bytes: heap),
            ]
        }
    }

    private static func packed<T: FixedWidthInteger & SignedInteger>(_ values: [T], null: T) -> (IntegerLayout, [UInt8]) {
        values.withUnsafeBufferPointer { v in
            let layout = IntegerLayout.choose(v, null: null)
            let bytes = [UInt8](unsafeUninitializedCapacity: layout.byteCount(v.count)) { out, initialized in
                layout.pack(v, null: null, into: UnsafeMutableRawBufferPointer(out))
                initialized = layout.byteCount(v.count)
            }
            return (layout, bytes)
        }
    }
}

/// Replacing a file so that a crash leaves either the old one or the new one.
enum AtomicFile {
    /// Writes `parts` one after another to a temporary file beside `path`, syncs it, renames it over
    /// `path` and syncs the directory. The temporary file is `.NAME.PID.tmp`, so a crash's leftover
    /// can be told from a file another process is writing, and is cleared by the next save.
    static func replace(_ path: String, with parts: [[UInt8]], cancellation: Cancellation = .none) throws(DataFileError) {
        let dir = SystemFile.directory(of: path)
        let name = SystemFile.fileName(of: path)
        clearLeftovers(dir: dir, name: name)
        let temp = (dir == "." && !path.hasPrefix("./") ? "" : dir + "/") + ".\(name).\(SystemFile.processId).tmp"
        let file: FileDescriptor
        do {
            SystemFile.remove(temp)  // a leftover of a killed process that had our pid
            file = try SystemFile.openForUpdate(temp)
        } catch {
            throw DataFileError(error.kind, path, "cannot write \(DataFileError.quoted(path)): \(SystemFile.describe(errno: error.errnoValue))")
        }
        do throws(DataFileError) {
            var offset = 0
            for part in parts {
                // Checked between sections (each at most one column, written in milliseconds).
                if cancellation.isCancelled { break }
                try SystemFile.write(file, part, at: offset)
                offset += part.count
            }
            // The rename is the moment the new file replaces the old: not after a cancellation.
            if cancellation.isCancelled {
                SystemFile.remove(temp)
                throw SnapshotWriter.cancelled(path)
            }
            try SystemFile.sync(file)
            try SystemFile.move(temp, over: path)
        } catch {
            SystemFile.remove(temp)
            if error.kind == .cancelled { throw error }
            throw DataFileError(error.kind, path, "cannot write \(DataFileError.quoted(path)): \(SystemFile.describe(errno: error.errnoValue))")
        }
        try SystemFile.syncDirectory(of: path)
    }

    /// Removes `.NAME.PID.tmp` files whose process is gone: what a crash during a save leaves.
    private static func clearLeftovers(dir: String, name: String) {
        let prefix = ".\(name)."
        for entry in SystemFile.list(dir) where entry.hasPrefix(prefix) && entry.hasSuffix(".tmp") {
            let pid = entry.dropFirst(prefix.count).dropLast(4)
            if let pid = Int32(pid), pid != SystemFile.processId, !SystemFile.processIsAlive(pid) {
                SystemFile.remove(dir + "/" + entry)
            }
        }
    }
}

extension DataFileError {
    /// The errno behind an I/O error (0 for other kinds).
    var errnoValue: Int32 {
        if case .io(let e) = kind { return e }
        return 0
    }
}
