import Dispatch

/// The second half of reading a snapshot: with the header and table checked, reads each section,
/// checks its checksum and its contents, and assembles the database. Columns are read on all cores,
/// each with one large read into its array (or into a buffer that is widened into it).
struct SnapshotDecoder<Source: ByteSource> {
    let source: Source
    let header: SnapshotHeader
    let entries: [SectionEntry]
    typealias Kind = SnapshotFormat.Kind

    private var name: String { source.name }

    /// What the table, the schema and the collections sections say, checked: enough to read any
    /// collection, and to know which sections make up each field.
    struct Layout: Sendable {
        /// The schema as crmq uses it now (PipelineMigration.swift)...
        var schema: Schema
        /// ...and as the file has it, which its sections follow.
        var fileSchema: Schema
        var infos: [CollectionInfo]
        var catalog: Catalog
        /// Every field of every entity, entity by entity.
        var jobs: [FieldJob]
    }

    /// Reads the whole snapshot.
    func decode() throws(DataFileError) -> SnapshotReader.Contents {
        let layout = try layout()
        let db = try database(layout, loading: Set(layout.schema.entities.indices))
        let schema = layout.fileSchema
        let summaries = entries.map { e in
            let owner = e.entity == SnapshotFormat.none ? ""
                : "\(schema.entities[Int(e.entity)].name).\(schema.entities[Int(e.entity)].fields[Int(e.field)].name)"
            return SnapshotReader.SectionSummary(kind: Kind(rawValue: e.kind)!.name, owner: owner, offset: Int(e.offset),
                                                 length: Int(e.length), width: Int(e.width))
        }
        return SnapshotReader.Contents(database: db, snapshotId: header.snapshotId,
                                       previousId: header.previousId, savedAt: header.savedAt,
                                       fileLength: source.length, sections: summaries, version: Int(header.version))
    }

    /// A database with the collections of `entities` (positions in the schema) read; the others
    /// are empty placeholders the caller must fill before using them.
    func database(_ layout: Layout, loading entities: Set<Int>) throws(DataFileError) -> Database {
        let jobs = layout.jobs.filter { entities.contains($0.entity) }
        let decoded = try decodeColumns(jobs, schema: layout.fileSchema, infos: layout.infos)
        var db = Database(schema: layout.schema)
        db.catalog = layout.catalog
        for (e, entity) in layout.schema.entities.enumerated() where entities.contains(e) {
            let fieldColumns = PipelineMigration.columns(jobs.indices.filter { jobs[$0].entity == e }.map { decoded[$0] },
                                                         file: layout.fileSchema.entities[e], entity: entity,
                                                         rows: layout.infos[e].rows)
            db[entity.name] = Collection(entity: entity, columns: fieldColumns, nextId: layout.infos[e].nextId,
                                         indexedFields: Set(layout.infos[e].indexedFields))
        }
        return db
    }

    /// The columns `fields` (positions in the current schema) of entity `e`, each read and checked
    /// (its checksum and contents) now: a session reads a column when a statement first needs it.
    /// A field a migration added, which the file does not hold, is filled as `PipelineMigration` fills it.
    func columns(_ layout: Layout, entity e: Int, fields: Set<Int>) throws(DataFileError) -> [Int: Column] {
        let stored = layout.fileSchema.entities[e].fields.count
        let jobs = layout.jobs.filter { $0.entity == e && fields.contains($0.field) }
        let decoded = try decodeColumns(jobs, schema: layout.fileSchema, infos: layout.infos)
        var out: [Int: Column] = [:]
        for (job, column) in zip(jobs, decoded) { out[job.field] = column }
        let added = fields.filter { $0 >= stored }
        if !added.isEmpty {
            // Given no stored column, it returns the added fields' columns alone.
            let filled = PipelineMigration.columns([], file: layout.fileSchema.entities[e], entity: layout.schema.entities[e],
                                                   rows: layout.infos[e].rows)
            for f in added where f - stored < filled.count { out[f] = filled[f - stored] }
        }
        return out
    }

    func layout() throws(DataFileError) -> Layout {
        var single: [Kind: Int] = [:]
        var columns: [ColumnKey: Int] = [:]
        for (i, e) in entries.enumerated() {
            guard let kind = Kind(rawValue: e.kind) else {
                throw tableError(i, "section \(i) is of kind \(e.kind), which this crmq does not know")
            }
            switch kind {
            case .schema, .collections, .segments, .settings, .grants, .rules:
                guard e.entity == SnapshotFormat.none, e.field == SnapshotFormat.none, single[kind] == nil else {
                    throw tableError(i, "section \(i) is a second \(kind.name) section, or names a field")
                }
                single[kind] = i
            case .integers, .textCodes, .dictionaryOffsets, .dictionaryBytes:
                let key = ColumnKey(entity: Int(e.entity), field: Int(e.field), kind: kind)
                guard columns[key] == nil else { throw tableError(i, "section \(i) repeats the \(kind.name) of a field") }
                columns[key] = i
            }
        }
        guard let schemaAt = single[.schema], let collectionsAt = single[.collections] else {
            throw DataFileError.malformed(name, at: Int(header.tableOffset), "the schema or the collections section is missing")
        }
        var r = ByteReader(try checkedBytes(schemaAt), origin: Int(entries[schemaAt].offset))
        let schema = try SchemaCoding.decode(&r, criteria: header.version >= 3) { DataFileError.malformed(name, at: $0, $1) }
        r = ByteReader(try checkedBytes(collectionsAt), origin: Int(entries[collectionsAt].offset))
        let infos = try CollectionInfo.decode(&r, schema: schema) { DataFileError.malformed(name, at: $0, $1) }
        let catalog = try self.catalog(single, schema: schema)

        // Every field must have exactly its sections, with counts that fit the collection.
        var jobs: [FieldJob] = []
        var used: Set<ColumnKey> = []
        for (e, entity) in schema.entities.enumerated() {
            for (f, field) in entity.fields.enumerated() {
                let kinds: [Kind] = field.type.isText ? [.textCodes, .dictionaryOffsets, .dictionaryBytes] : [.integers]
                var sections: [Int] = []
                for kind in kinds {
                    let key = ColumnKey(entity: e, field: f, kind: kind)
                    guard let i = columns[key] else {
                        throw DataFileError.malformed(name, at: Int(header.tableOffset),
                                                      "the \(kind.name) of \(entity.name).\(field.name) are missing")
                    }
                    try checkShape(i, rows: infos[e].rows)
                    used.insert(key)
                    sections.append(i)
                }
                jobs.append(FieldJob(entity: e, field: f, sections: sections))
            }
        }
        if let stray = columns.first(where: { !used.contains($0.key) }) {
            throw tableError(stray.value, "section \(stray.value) belongs to a field the schema does not have")
        }
        let current = PipelineMigration.schema(from: schema)
        if let problem = PipelineMigration.problem(in: current) {
            throw DataFileError.malformed(name, at: Int(entries[schemaAt].offset), problem)
        }
        return Layout(schema: current, fileSchema: schema, infos: infos, catalog: catalog, jobs: jobs)
    }

    /// The segments and settings: none in format 1 (an empty segments section, no settings);
    /// both sections in format 2.
    private func catalog(_ single: [Kind: Int], schema: Schema) throws(DataFileError) -> Catalog {
        if header.version < 2 {
            if let segmentsAt = single[.segments], entries[segmentsAt].length != 0 {
                throw tableError(segmentsAt, "the segments section holds data, which format version 1 does not define")
            }
            if let settingsAt = single[.settings] {
                throw tableError(settingsAt, "section \(settingsAt) holds settings, which format version 1 does not define")
            }
            return Catalog()
        }
        guard let segmentsAt = single[.segments], let settingsAt = single[.settings] else {
            throw DataFileError.malformed(name, at: Int(header.tableOffset), "the segments or the settings section is missing")
        }
        let segments = ByteReader(try checkedBytes(segmentsAt), origin: Int(entries[segmentsAt].offset))
        let settings = ByteReader(try checkedBytes(settingsAt), origin: Int(entries[settingsAt].offset))
        var catalog = try CatalogCoding.decode(segments: segments, settings: settings, schema: schema) {
            DataFileError.malformed(name, at: $0, $1)
        }
        if let grantsAt = single[.grants] {
            guard header.version >= 4 else {
                throw tableError(grantsAt, "section \(grantsAt) holds grants, which format version \(header.version) does not define")
            }
            let r = ByteReader(try checkedBytes(grantsAt), origin: Int(entries[grantsAt].offset))
            try GrantCoding.decode(r, into: &catalog, schema: schema) { DataFileError.malformed(name, at: $0, $1) }
        }
        if let rulesAt = single[.rules] {
            guard header.version >= 4 else {
                throw tableError(rulesAt, "section \(rulesAt) holds rules, which format version \(header.version) does not define")
            }
            let rules = ByteReader(try checkedBytes(rulesAt), origin: Int(entries[rulesAt].offset))
            try RuleCoding.decodeSection(rules, into: &catalog, schema: schema) { DataFileError.malformed(name, at: $0, $1) }
        }
        // A file is written in format 1 when format 1 holds it: format 2 with nothing in it is not
        // crmq's (format 3 is chosen by exit criteria, in the schema).
        if catalog.isDefault && header.version == 2 {
            throw tableError(segmentsAt, "the file is in format version 2 but has no segments or settings that need it")
        }
        return catalog
    }

    struct ColumnKey: Hashable {
        var entity: Int
        var field: Int
        var kind: Kind
    }

    /// A field's sections: the integers, or the text codes, dictionary offsets and dictionary bytes.
    struct FieldJob: Sendable {
        var entity: Int
        var field: Int
        var sections: [Int]
    }

    /// Checks a column section's width and length against its count before anything is read.
    private func checkShape(_ i: Int, rows: Int) throws(DataFileError) {
        let e = entries[i]
        let kind = Kind(rawValue: e.kind)!
        if kind == .dictionaryBytes {
            guard e.width == 0, e.count == e.length else { throw tableError(i, "section \(i) has a bad length") }
            return
        }
        guard [1, 2, 4, 8].contains(e.width), e.count <= UInt64(Int32.max),
              e.length == e.count * UInt64(e.width) else {
            throw tableError(i, "section \(i) gives \(e.count) values of \(e.width) bytes in \(e.length) bytes")
        }
        if kind == .integers || kind == .textCodes, e.count != UInt64(rows) {
            throw tableError(i, "section \(i) holds \(e.count) values for \(rows) records")
        }
        if kind == .dictionaryOffsets, e.count == 0 { throw tableError(i, "section \(i) has no offsets") }
        if e.width == 8, e.base != 0 { throw tableError(i, "section \(i) has a base at width 8") }
    }

    private func decodeColumns(_ jobs: [FieldJob], schema: Schema, infos: [CollectionInfo]) throws(DataFileError) -> [Column] {
        let slots = UnsafeMutableBufferPointer<Result<Column, DataFileError>>.allocate(capacity: jobs.count)
        slots.initialize(repeating: .success(.integers([])))
        defer { slots.deinitialize().deallocate() }
        nonisolated(unsafe) let results = slots
        // One worker per core, the fields dealt out largest first to the least loaded worker, so
        // the cores finish together; each worker reuses one read buffer for all its sections.
        let weight = jobs.map { job in job.sections.reduce(0) { $0 + Int(entries[$1].length) } }
        let workers = max(1, min(SystemFile.processorCount, jobs.count))
        var assigned = [[Int]](repeating: [], count: workers)
        var load = [Int](repeating: 0, count: workers)
        for i in jobs.indices.sorted(by: { weight[$0] > weight[$1] }) {
            let w = load.indices.min { load[$0] < load[$1] }!
            assigned[w].append(i)
            load[w] += weight[i]
        }
        let shares = assigned
        // No bigger than the largest section, so a small file does not ask for megabytes.
        let largest = entries.map { Int($0.length) }.max() ?? 0
        let chunkSize = max(64, min(SnapshotDecoder.chunkSize, (largest + 7) / 8 * 8))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            defer { chunk.deallocate() }
            for i in shares[w] {
                let job = jobs[i]
                results[i] = Result { () throws(DataFileError) in
                    try decodeField(job, entity: schema.entities[job.entity], schema: schema,
                                    nextId: infos[job.entity].nextId, infos: infos, chunk: chunk)
                }
            }
        }
        // Report the damage nearest the start of the file, whichever core found it first.
        let failures = slots.compactMap { r -> DataFileError? in if case .failure(let e) = r { return e }; return nil }
        if let first = failures.min(by: { ($0.offset ?? 0) < ($1.offset ?? 0) }) { throw first }
        return slots.map { if case .success(let c) = $0 { return c }; preconditionFailure("failures were thrown") }
    }

    /// Narrowed sections are read in pieces of this size: a few reads per column, into a buffer
    /// that stays in the cache while it is checksummed and widened.
    static var chunkSize: Int { 4 << 20 }

    private func decodeField(_ job: FieldJob, entity: EntityDef, schema: Schema, nextId: Int64,
                             infos: [CollectionInfo], chunk: UnsafeMutableRawBufferPointer) throws(DataFileError) -> Column {
        let field = entity.fields[job.field]
        let label = "\(entity.name).\(field.name)"
        if !field.type.isText {
            let i = job.sections[0]
            let (values, range) = try intColumn(i, chunk: chunk)
            if job.field == 0 {
                try checkIds(values, range, nextId: nextId, section: i, label: label)
            } else if let allowed = field.type.storedRange(in: schema), let range,
                      !allowed.contains(range.min) || !allowed.contains(range.max) {
                let bad = allowed.contains(range.min) ? range.max : range.min
                throw sectionError(i, "\(label) holds \(bad), which a \(field.type.name) field cannot hold")
            } else if case .reference(let target) = field.type, let range,
                      let t = schema.entities.firstIndex(where: { $0.name == target }),
                      range.min < 1 || range.max >= infos[t].nextId {
                // A record may refer to one deleted since (it reads as null), never to an id not
                // yet handed out, which a later `create` would make it point at.
                let bad = range.min < 1 ? range.min : range.max
                throw sectionError(i, "\(label) refers to \(target) id \(bad), but \(target) ids run from 1 to \(infos[t].nextId - 1)")
            }
            return .integers(values)
        }
        let (codesAt, offsetsAt, bytesAt) = (job.sections[0], job.sections[1], job.sections[2])
        let (codes, codeRange) = try integers(codesAt, as: Int32.self, null: -1, chunk: chunk)
        let (offsets, _) = try integers(offsetsAt, as: Int64.self, null: nullInt, chunk: chunk)
        let heap = try checkedBytes(bytesAt)
        let entryCount = offsets.count - 1
        if let codeRange, codeRange.min < 0 || codeRange.max >= Int64(entryCount) {
            throw sectionError(codesAt, "\(label) uses dictionary entry \(codeRange.min < 0 ? codeRange.min : codeRange.max), but there are \(entryCount)")
        }
        guard offsets[0] == 0, offsets[entryCount] == Int64(heap.count) else {
            throw sectionError(offsetsAt, "the dictionary of \(label) does not span its \(heap.count) bytes")
        }
        for k in 0..<entryCount where offsets[k] > offsets[k + 1] {
            throw sectionError(offsetsAt, "dictionary entry \(k) of \(label) ends before it starts")
        }
        return .text(TextColumn(codes: codes, dictionary: TextDictionary(bytes: heap, offsets: offsets)))
    }

    /// Ids are present, in `1 ..< nextId`, and appear once each.
    private func checkIds(_ ids: IntColumn, _ range: (min: Int64, max: Int64)?, nextId: Int64,
                          section i: Int, label: String) throws(DataFileError) {
        if ids.isEmpty { return }
        let entity = label.split(separator: ".")[0]
        guard let range, range.min >= 1, range.max < nextId else {
            throw sectionError(i, "the ids of \(entity) are not all between 1 and \(nextId - 1)")
        }
        // Sized by the ids present, not by `nextId`: a file may claim 2^31 ids with a few records.
        var seen = IdSet(highest: range.max, records: ids.count)
        try ids.forEachValue { (_, id) throws(DataFileError) in
            guard id != nullInt else { throw sectionError(i, "the ids of \(entity) are not all between 1 and \(nextId - 1)") }
            if !seen.insert(id) { throw sectionError(i, "id \(id) of \(entity) appears twice") }
        }
    }

    /// An integer field's section as a column: a narrow section read straight into the column's
    /// words (the file's layout is the column's: value - base, all ones for null), a wide one
    /// read as `Int64` and narrowed. Checksummed, with its non-null range.
    private func intColumn(_ i: Int, chunk: UnsafeMutableRawBufferPointer) throws(DataFileError) -> (IntColumn, (min: Int64, max: Int64)?) {
        let e = entries[i]
        switch e.width {
        case 1: return try words(i, as: UInt8.self)
        case 2: return try words(i, as: UInt16.self)
        case 4: return try words(i, as: UInt32.self)
        default:
            let (values, range) = try integers(i, as: Int64.self, null: nullInt, chunk: chunk)
            return (IntColumn(values, range: range), range)
        }
    }

    private func words<W: FixedWidthInteger & UnsignedInteger>(_ i: Int, as: W.Type) throws(DataFileError)
        -> (IntColumn, (min: Int64, max: Int64)?) {
        let e = entries[i]
        // `checkShape` has made the length `count` words of this width.
        let count = Int(e.count)
        var failure: DataFileError?
        let words = [W](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(DataFileError) {
                try source.read(into: UnsafeMutableRawBufferPointer(buffer), at: Int(e.offset))
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        guard words.withUnsafeBytes({ CRC32C.checksum($0) }) == e.checksum else { throw checksumError(i) }
        // Little-endian as stored (IntegerPacking.swift refuses to build for a big-endian host).
        let column = IntColumn(words: words, base: e.base)
        return (column, column.range)
    }

    /// An integer array section, checksummed, with its non-null range: read straight into the array
    /// when stored at full width, else read into `chunk` a few megabytes at a time and widened.
    private func integers<T: FixedWidthInteger & SignedInteger>(_ i: Int, as: T.Type, null: T,
                                                                chunk: UnsafeMutableRawBufferPointer)
        throws(DataFileError) -> ([T], (min: Int64, max: Int64)?) {
        let e = entries[i]
        // `checkShape` has made the length `count` values of the section's width.
        let count = Int(e.count), offset = Int(e.offset)
        let layout = IntegerLayout(width: Int(e.width), base: e.base)
        var failure: DataFileError?
        if T.self == Int64.self && layout.width == 8 {
            // Stored exactly as the array holds it: read straight into the array.
            let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                do throws(DataFileError) {
                    try source.read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
                    initialized = count
                } catch {
                    failure = error
                    initialized = 0
                }
            }
            if let failure { throw failure }
            let sum = values.withUnsafeBytes { CRC32C.checksum($0) }
            guard sum == e.checksum else { throw checksumError(i) }
            return (values, values.withUnsafeBufferPointer { IntegerLayout.range($0, null: null) })
        }
        var checksum = CRC32C()
        var range: (min: Int64, max: Int64)?
        let perChunk = chunk.count / layout.width
        let values = [T](unsafeUninitializedCapacity: count) { out, initialized in
            initialized = 0
            var done = 0
            while done < count {
                let n = min(perChunk, count - done)
                let piece = UnsafeMutableRawBufferPointer(rebasing: chunk[0..<n * layout.width])
                do throws(DataFileError) {
                    try source.read(into: piece, at: offset + done * layout.width)
                } catch {
                    failure = error
                    return
                }
                checksum.add(UnsafeRawBufferPointer(piece))
                let r = layout.unpack(UnsafeRawBufferPointer(piece), null: null,
                                      into: UnsafeMutableBufferPointer(rebasing: out[done..<done + n]))
                if let r { range = range.map { (min($0.min, r.min), max($0.max, r.max)) } ?? r }
                done += n
                initialized = done
            }
        }
        if let failure { throw failure }
        guard checksum.value == e.checksum else { throw checksumError(i) }
        if let range, T.self == Int32.self, range.min < Int64(Int32.min) || range.max > Int64(Int32.max) {
            throw sectionError(i, "section \(i) holds values too large for its kind")
        }
        return (values, range)
    }

    /// A small section's bytes, checksummed.
    private func checkedBytes(_ i: Int) throws(DataFileError) -> [UInt8] {
        let e = entries[i]
        let bytes = try source.bytes(at: Int(e.offset), count: Int(e.length))
        guard CRC32C.checksum(bytes) == e.checksum else { throw checksumError(i) }
        return bytes
    }

    private func describe(_ i: Int) -> String {
        let e = entries[i]
        let kind = Kind(rawValue: e.kind)?.name ?? "kind \(e.kind)"
        return "section \(i) (\(kind), \(e.length) bytes at byte \(e.offset))"
    }

    private func checksumError(_ i: Int) -> DataFileError {
        .damaged(.checksum, name, at: Int(entries[i].offset), "\(describe(i)) does not match its checksum")
    }

    private func sectionError(_ i: Int, _ what: String) -> DataFileError {
        .malformed(name, at: Int(entries[i].offset), what)
    }

    private func tableError(_ i: Int, _ what: String) -> DataFileError {
        .malformed(name, at: Int(header.tableOffset) + i * SnapshotFormat.tableEntrySize, what)
    }
}
