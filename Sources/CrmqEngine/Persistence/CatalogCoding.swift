/// The catalog in a snapshot (the segments section, kind 7, and the settings section, kind 8) and
/// in the journal (a change of tag 4). Laid out in docs/snapshot-format.md.
enum CatalogCoding {
    /// The settings section's key for the fiscal year's first month (value "1" to "12").
    static let fiscalYearStartKey = "fiscal year start"

    // MARK: - Snapshot sections

    static func encodeSegments(_ catalog: Catalog) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(catalog.segments.count))
        for s in catalog.segments { encode(s, into: &w) }
        return w.bytes
    }

    static func encodeSettings(_ catalog: Catalog) -> [UInt8] {
        var w = ByteWriter()
        w.u32(1)
        w.string(fiscalYearStartKey)
        w.string(String(catalog.fiscalYearStartMonth))
        return w.bytes
    }

    /// Reads both sections into a catalog, checking each segment as defining it would be checked.
    static func decode(segments: ByteReader, settings: ByteReader?, schema: Schema,
                       fail: (Int, String) -> DataFileError) throws(DataFileError) -> Catalog {
        let result: Result<Catalog, DataFileError>
        do {
            result = try read(segments: segments, settings: settings, schema: schema, fail: fail)
        } catch {
            throw fail(error.offset, "the catalog ends before its last entry")
        }
        return try result.get()
    }

    private static func read(segments: ByteReader, settings: ByteReader?, schema: Schema,
                             fail: (Int, String) -> DataFileError) throws(ByteReader.Overrun) -> Result<Catalog, DataFileError> {
        var catalog = Catalog()
        if var r = settings {
            for _ in 0..<(try r.count(minimumSize: 8)) {
                let at = r.fileOffset
                let key = try r.string(), value = try r.string()
                guard key == fiscalYearStartKey else { return .failure(fail(at, "the setting \"\(key)\" is unknown to this crmq")) }
                guard let month = Int(value), (1...12).contains(month) else {
                    return .failure(fail(at, "the fiscal year start \"\(value)\" is not a month from 1 to 12"))
                }
                catalog.apply(.fiscalYearStart(month: month))
            }
            guard r.atEnd else { return .failure(fail(r.fileOffset, "the settings section has bytes after its last setting")) }
        }
        var r = segments
        for _ in 0..<(try r.count(minimumSize: 17)) {
            let at = r.fileOffset
            guard let s = try decodeSegment(&r) else { return .failure(fail(at, "a segment has a bad flag")) }
            if let problem = catalog.problem(.defineSegment(s), schema: schema) { return .failure(fail(at, problem)) }
            catalog.apply(.defineSegment(s))
        }
        guard r.atEnd else { return .failure(fail(r.fileOffset, "the segments section has bytes after its last segment")) }
        return .success(catalog)
    }

    // MARK: - One segment, in either place

    /// str name, str base, str entity, u8 0 | u8 1 str condition, u32 n, n x str segment used.
    static func encode(_ s: SegmentDefinition, into w: inout ByteWriter) {
        w.string(s.name)
        w.string(s.base)
        w.string(s.entity)
        if let c = s.condition {
            w.u8(1)
            w.string(c)
        } else {
            w.u8(0)
        }
        w.u32(UInt32(s.uses.count))
        for u in s.uses { w.string(u) }
    }

    /// Nil for a bad flag byte; names are checked by `Catalog.problem`.
    static func decodeSegment(_ r: inout ByteReader) throws(ByteReader.Overrun) -> SegmentDefinition? {
        let name = try r.string(), base = try r.string(), entity = try r.string()
        let condition: String?
        switch try r.u8() {
        case 0: condition = nil
        case 1: condition = try r.string()
        default: return nil
        }
        var uses: [String] = []
        for _ in 0..<(try r.count(minimumSize: 4)) { uses.append(try r.string()) }
        return SegmentDefinition(name: name, base: base, entity: entity, condition: condition, uses: uses)
    }

    // MARK: - Journal

    /// A catalog change after its tag: u8 1 define (a segment) | u8 2 drop (str name) |
    /// u8 3 fiscal year start (u8 month) | u8 4 pipeline change (journal version 3, PipelineCoding) |
    /// u8 5 field or entity change (journal version 4) | u8 7 grant or revoke (journal version 5,
    /// GrantCoding).
    static func encode(_ change: CatalogChange, into w: inout ByteWriter) {
        switch change {
        case .defineSegment(let s):
            w.u8(1)
            encode(s, into: &w)
        case .dropSegment(let name):
            w.u8(2)
            w.string(name)
        case .fiscalYearStart(let month):
            w.u8(3)
            w.u8(UInt8(clamping: month))
        case .pipeline(let change):
            w.u8(4)
            PipelineCoding.encode(change, into: &w)
        case .schema(let change):
            w.u8(5)
            encode(change, into: &w)
        case .grant(let change):
            w.u8(7)
            GrantCoding.encode(change, into: &w)
        case .rule(let change):
            // Journal version 5 (RuleCoding.swift).
            w.u8(6)
            RuleCoding.encode(change, into: &w)
        }
    }

    static func decodeChange(_ r: inout ByteReader) throws(ByteReader.Overrun) -> CatalogChange? {
        switch try r.u8() {
        case 1: return try decodeSegment(&r).map { .defineSegment($0) }
        case 2: return .dropSegment(name: try r.string())
        case 3: return .fiscalYearStart(month: Int(try r.u8()))
        case 4: return try PipelineCoding.decodeChange(&r).map { .pipeline($0) }
        case 5: return try decodeSchemaChange(&r).map { .schema($0) }
        case 7: return try GrantCoding.decodeChange(&r).map { .grant($0) }
        case 6: return try RuleCoding.decodeChange(&r).map { .rule($0) }
        default: return nil
        }
    }

    // MARK: - Schema changes

    /// u8 1 add field (str entity, str name, u8 type tag [str parameter], str summary, u8 indexed,
    /// u32 n, n x str enum value) | u8 2 rename field (str entity, str from, str to) | u8 3 drop
    /// field (str entity, str name).
    static func encode(_ change: SchemaChange, into w: inout ByteWriter) {
        switch change {
        case .addField(let e, let f, let values):
            w.u8(1)
            w.string(e)
            encodeField(f, into: &w)
            w.u32(UInt32(values?.count ?? 0))
            for v in values ?? [] { w.string(v) }
        case .renameField(let e, let from, let to):
            w.u8(2)
            w.string(e)
            w.string(from)
            w.string(to)
        case .dropField(let e, let name):
            w.u8(3)
            w.string(e)
            w.string(name)
        case .addEntity(let e, let enums):
            // str name, str singular, str title, u32 n, n x str default column, u32 n, n x field
            // (as in add field, without the entity), u32 n, n x (str enum, u32 m, m x str value).
            w.u8(4)
            w.string(e.name)
            w.string(e.singular)
            w.string(e.titleField)
            w.u32(UInt32(e.defaultColumns.count))
            for c in e.defaultColumns { w.string(c) }
            w.u32(UInt32(e.fields.count - 1))
            for f in e.fields.dropFirst() { encodeField(f, into: &w) }
            w.u32(UInt32(enums.count))
            for name in enums.keys.sorted() {
                w.string(name)
                w.u32(UInt32(enums[name]!.count))
                for v in enums[name]! { w.string(v) }
            }
        }
    }

    static func decodeSchemaChange(_ r: inout ByteReader) throws(ByteReader.Overrun) -> SchemaChange? {
        switch try r.u8() {
        case 1:
            let e = try r.string()
            guard let field = try decodeField(&r) else { return nil }
            var values: [String] = []
            for _ in 0..<(try r.count(minimumSize: 4)) { values.append(try r.string()) }
            let isEnum = if case .enumeration = field.type { true } else { false }
            return .addField(entity: e, field: field, enumValues: isEnum ? values : nil)
        case 2: return .renameField(entity: try r.string(), from: try r.string(), to: try r.string())
        case 3: return .dropField(entity: try r.string(), field: try r.string())
        case 4:
            let name = try r.string(), singular = try r.string(), title = try r.string()
            var columns: [String] = []
            for _ in 0..<(try r.count(minimumSize: 4)) { columns.append(try r.string()) }
            var fields: [FieldDef] = []
            for _ in 0..<(try r.count(minimumSize: 10)) {
                guard let f = try decodeField(&r) else { return nil }
                fields.append(f)
            }
            var enums: [String: [String]] = [:]
            for _ in 0..<(try r.count(minimumSize: 8)) {
                let key = try r.string()
                var values: [String] = []
                for _ in 0..<(try r.count(minimumSize: 4)) { values.append(try r.string()) }
                enums[key] = values
            }
            return .addEntity(EntityDef(name: name, singular: singular, fields: fields, defaultColumns: columns, titleField: title),
                              enums: enums)
        default: return nil
        }
    }

    /// str name, u8 type tag [str parameter], str summary, u8 indexed.
    private static func encodeField(_ f: FieldDef, into w: inout ByteWriter) {
        w.string(f.name)
        let (tag, parameter) = SchemaCoding.typeTag(f.type)
        w.u8(tag)
        if let parameter { w.string(parameter) }
        w.string(f.summary)
        w.u8(f.indexed ? 1 : 0)
    }

    private static func decodeField(_ r: inout ByteReader) throws(ByteReader.Overrun) -> FieldDef? {
        let name = try r.string()
        let tag = try r.u8()
        let parameter = tag == 7 || tag == 8 ? try r.string() : nil
        guard let type = SchemaCoding.fieldType(tag, parameter) else { return nil }
        let summary = try r.string()
        let indexed = try r.u8() == 1
        return FieldDef(name, type, summary, indexed: indexed)
    }
}
