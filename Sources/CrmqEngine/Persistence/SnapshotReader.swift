/// Reads a snapshot back into a database, checking everything on the way: the magic, the version,
/// the length, every checksum, that the sections tile the file, and that what they hold fits the
/// schema (codes in range, ids unique, dates in the calendar). Any problem is a `DataFileError`
/// naming the file and the byte offset; nothing is half-loaded, since the database is only
/// assembled once every section has passed.
public enum SnapshotReader {
    /// A snapshot read and checked.
    public struct Contents: Sendable {
        public var database: Database
        public var snapshotId: UInt64
        /// The snapshot this one replaced when it was saved (0 for none).
        public var previousId: UInt64
        public var savedAt: Int64
        public var fileLength: Int
        public var sections: [SectionSummary]
        /// The format the file is written in (1 without segments and settings, else 2).
        public var version: Int = Int(SnapshotFormat.version)
    }

    /// One section as `crmq check` lists it.
    public struct SectionSummary: Sendable {
        public var kind: String
        /// `opportunities.value`, or empty for the schema, collections, segments and settings.
        public var owner: String
        public var offset: Int
        public var length: Int
        /// Bytes per value for integer arrays, 0 otherwise.
        public var width: Int
    }

    public static func read(path: String) throws(DataFileError) -> Contents {
        let file = try SystemFile.openForReading(path)
        return try read(FileBytes(file))
    }

    /// Reads a snapshot held in memory; `name` stands for the file in messages.
    public static func read(bytes: [UInt8], name: String) throws(DataFileError) -> Contents {
        try read(MemoryBytes(bytes: bytes, name: name))
    }

    static func read(_ source: some ByteSource) throws(DataFileError) -> Contents {
        let header = try readHeader(source)
        let entries = try readTable(source, header)
        return try SnapshotDecoder(source: source, header: header, entries: entries).decode()
    }

    // MARK: - Header, end marker, table

    static func readHeader(_ source: some ByteSource) throws(DataFileError) -> SnapshotHeader {
        let name = source.name
        let size = source.length
        let q = DataFileError.quoted(name)
        let head = try source.bytes(at: 0, count: min(size, SnapshotFormat.headerSize))
        let magicLength = min(head.count, SnapshotFormat.magic.count)
        guard head.count > 0, Array(head[..<magicLength]) == Array(SnapshotFormat.magic[..<magicLength]) else {
            if head.isEmpty {
                throw DataFileError(.truncated, name, at: 0, "\(q) is empty (0 bytes): it holds no snapshot",
                                    hint: "a crash before the first save leaves no file, never an empty one; was it made by another program?")
            }
            let looksLikeText = head.allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || ($0 >= 32 && $0 < 127) }
            throw DataFileError(.notADataFile, name, at: 0,
                                "\(q) is not a crmq data file: it does not start with the crmq magic bytes (byte 0)",
                                hint: looksLikeText ? "it looks like text; to run a script, use crmq -f \(name)" : nil)
        }
        guard head.count == SnapshotFormat.headerSize else {
            throw DataFileError(.truncated, name, at: size,
                                "\(q) is truncated: it has only \(size) bytes, less than the \(SnapshotFormat.headerSize)-byte header")
        }
        let header = SnapshotHeader(decoding: head)
        let stored = UInt32(head[60]) | UInt32(head[61]) << 8 | UInt32(head[62]) << 16 | UInt32(head[63]) << 24
        let headerIntact = CRC32C.checksum(Array(head[..<60])) == stored
        guard headerIntact else {
            if header.version > SnapshotFormat.version {
                throw DataFileError(.newerVersion(Int(header.version)), name, at: 8,
                                    "\(q) says it uses format version \(header.version) (byte 8), which this crmq does not know, and its header does not match its checksum",
                                    hint: "if a newer crmq wrote it, open it with that; otherwise the header is damaged")
            }
            throw DataFileError.damaged(.checksum, name, at: 0, "the header (bytes 0 to 63) does not match its checksum")
        }
        guard header.version <= SnapshotFormat.version else {
            throw DataFileError(.newerVersion(Int(header.version)), name, at: 8,
                                "\(q) uses format version \(header.version) (byte 8); this crmq reads version \(SnapshotFormat.version)",
                                hint: "open it with a newer crmq")
        }
        guard header.version >= 1 else {
            throw DataFileError.malformed(name, at: 8, "the header gives format version 0")
        }
        guard header.fileLength <= UInt64(Int.max), Int(header.fileLength) <= size else {
            throw DataFileError(.truncated, name, at: size,
                                "\(q) is truncated: it has \(size) bytes, but its header says \(header.fileLength) (it ends at byte \(size))",
                                hint: "the file was cut short in a copy or a download; an earlier copy of it may be needed")
        }
        guard Int(header.fileLength) == size else {
            throw DataFileError.malformed(name, at: Int(header.fileLength),
                                          "\(size - Int(header.fileLength)) unexpected bytes follow its end at byte \(header.fileLength)")
        }
        let minimum = SnapshotFormat.headerSize + SnapshotFormat.endMarkerSize
        guard size >= minimum else {
            throw DataFileError.malformed(name, at: 16, "it is \(size) bytes long, too short for a header and an end marker")
        }
        let endAt = size - SnapshotFormat.endMarkerSize
        let end = try source.bytes(at: endAt, count: SnapshotFormat.endMarkerSize)
        var expectedEnd = ByteWriter()
        expectedEnd.raw(SnapshotFormat.endMagic)
        expectedEnd.u64(header.snapshotId)
        guard end == expectedEnd.bytes else {
            throw DataFileError.damaged(.checksum, name, at: endAt, "the end marker (the last 16 bytes) is not intact")
        }
        return header
    }

    static func readTable(_ source: some ByteSource, _ header: SnapshotHeader) throws(DataFileError) -> [SectionEntry] {
        let name = source.name
        let tableEnd = source.length - SnapshotFormat.endMarkerSize
        let count = Int(header.sectionCount)
        let (tableBytes, overflow) = count.multipliedReportingOverflow(by: SnapshotFormat.tableEntrySize)
        guard !overflow, header.tableOffset >= UInt64(SnapshotFormat.headerSize), header.tableOffset <= UInt64(tableEnd),
              Int(header.tableOffset) + tableBytes == tableEnd else {
            throw DataFileError.damaged(.outOfBounds, name, at: 48,
                                        "the section table (\(count) entries at byte \(header.tableOffset)) points outside the file, which has \(source.length) bytes")
        }
        let offset = Int(header.tableOffset)
        let bytes = try source.bytes(at: offset, count: tableBytes)
        guard CRC32C.checksum(bytes) == header.tableChecksum else {
            throw DataFileError.damaged(.checksum, name, at: offset, "the section table (bytes \(offset) to \(tableEnd - 1)) does not match its checksum")
        }
        var r = ByteReader(bytes, origin: offset)
        var entries: [SectionEntry] = []
        for i in 0..<count {
            guard let (entry, clear) = try? SectionEntry.decode(&r), clear else {
                throw DataFileError.malformed(name, at: offset + i * SnapshotFormat.tableEntrySize,
                                              "section table entry \(i) has reserved bytes set")
            }
            entries.append(entry)
        }
        for (i, e) in entries.enumerated() {
            let (end, over) = e.offset.addingReportingOverflow(e.length)
            guard !over, e.offset >= UInt64(SnapshotFormat.headerSize), end <= header.tableOffset else {
                throw DataFileError.damaged(.outOfBounds, name, at: offset + i * SnapshotFormat.tableEntrySize,
                                            "section \(i) (\(e.length) bytes at byte \(e.offset)) points outside the file: the sections lie between bytes \(SnapshotFormat.headerSize) and \(header.tableOffset)")
            }
        }
        // The sections must fill the space between the header and the table exactly: no byte
        // escapes a checksum, none is counted twice.
        let byOffset = entries.indices.sorted { entries[$0].offset < entries[$1].offset }
        var expected = UInt64(SnapshotFormat.headerSize)
        for i in byOffset {
            let e = entries[i]
            guard e.offset == expected else {
                throw DataFileError.damaged(.outOfBounds, name, at: offset + i * SnapshotFormat.tableEntrySize,
                                            "section \(i) (\(e.length) bytes at byte \(e.offset)) \(e.offset < expected ? "overlaps the section before it" : "leaves a gap before it")")
            }
            expected = e.offset + e.length
        }
        guard expected == header.tableOffset else {
            throw DataFileError.damaged(.outOfBounds, name, at: Int(expected),
                                        "bytes \(expected) to \(header.tableOffset - 1) belong to no section")
        }
        return entries
    }
}

/// A snapshot opened for reading its columns as statements need them. Opening checks the header,
/// the table, and the schema, collections and catalog sections (each against its checksum); a
/// column's sections are read and checked against their own checksums the first time a statement
/// needs that column, so a damaged byte is refused before its data is used, and a statement reads
/// and keeps in memory only what it touches (`crmq check` reads every section).
///
/// A class because it holds the open file: the descriptor keeps the snapshot that was opened
/// readable even if a save elsewhere replaces the file.
final class SnapshotLoader: Sendable {
    private let decoder: SnapshotDecoder<AnyByteSource>
    private let layout: SnapshotDecoder<AnyByteSource>.Layout
    let snapshotId: UInt64
    let previousId: UInt64

    convenience init(path: String) throws(DataFileError) {
        try self.init(FileBytes(SystemFile.openForReading(path)))
    }

    init(_ source: some ByteSource) throws(DataFileError) {
        let source = AnyByteSource(source)
        let header = try SnapshotReader.readHeader(source)
        let entries = try SnapshotReader.readTable(source, header)
        let decoder = SnapshotDecoder(source: source, header: header, entries: entries)
        layout = try decoder.layout()
        self.decoder = decoder
        snapshotId = header.snapshotId
        previousId = header.previousId
    }

    var schema: Schema { layout.schema }

    /// How many records the snapshot holds for `entity`, without reading them.
    func records(of entity: String) -> Int {
        position(entity).map { layout.infos[$0].rows } ?? 0
    }

    /// A database with the named collections read and the others empty, for `load` to fill.
    func database(loading names: Set<String>) throws(DataFileError) -> Database {
        try decoder.database(layout, loading: positions(names))
    }

    /// The named collections, read and checked.
    func load(_ names: Set<String>) throws(DataFileError) -> [Collection] {
        let db = try decoder.database(layout, loading: positions(names))
        return names.sorted().map { db[$0] }
    }

    /// The columns `fields` (positions in `entity`'s fields) of a collection, read and checked.
    func columns(of entity: String, _ fields: Set<Int>) throws(DataFileError) -> [Int: Column] {
        guard let e = position(entity) else { return [:] }
        return try decoder.columns(layout, entity: e, fields: fields)
    }

    /// The collection `entity` with the columns given (its ids among them) and every other column
    /// an empty placeholder, until `columns(of:)` reads it.
    func collection(_ entity: String, with columns: [Int: Column]) -> Collection? {
        guard let e = position(entity) else { return nil }
        let def = layout.schema.entities[e]
        let all = def.fields.indices.map { columns[$0] ?? Column(for: def.fields[$0].type) }
        return Collection(entity: def, columns: all, nextId: layout.infos[e].nextId,
                          indexedFields: Set(layout.infos[e].indexedFields))
    }

    private func position(_ entity: String) -> Int? {
        layout.schema.entities.firstIndex { $0.name == entity }
    }

    private func positions(_ names: Set<String>) -> Set<Int> {
        Set(layout.schema.entities.indices.filter { names.contains(layout.schema.entities[$0].name) })
    }
}
