/// Workflow rules in a snapshot (the rules section, kind 9, from format 4 on) and in the journal
/// (a catalog change of tag 6, journal version 5). Laid out in docs/snapshot-format.md.
enum RuleCoding {
    /// u32 n, n x rule.
    static func encodeSection(_ catalog: Catalog) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(catalog.rules.count))
        for r in catalog.rules { encode(r, into: &w) }
        return w.bytes
    }

    /// Reads the rules section into `catalog`, checking each rule as defining it would be checked.
    static func decodeSection(_ reader: ByteReader, into catalog: inout Catalog, schema: Schema,
                              fail: (Int, String) -> DataFileError) throws(DataFileError) {
        let result: Result<Catalog, DataFileError>
        do {
            result = try read(reader, catalog, schema: schema, fail: fail)
        } catch {
            throw fail(error.offset, "the rules section ends before its last rule")
        }
        catalog = try result.get()
    }

    private static func read(_ reader: ByteReader, _ start: Catalog, schema: Schema,
                             fail: (Int, String) -> DataFileError) throws(ByteReader.Overrun) -> Result<Catalog, DataFileError> {
        var catalog = start
        var r = reader
        for _ in 0..<(try r.count(minimumSize: 19)) {
            let at = r.fileOffset
            guard let rule = try decode(&r) else { return .failure(fail(at, "a rule has a bad trigger or flag")) }
            if let problem = catalog.problem(.rule(.define(rule)), schema: schema) { return .failure(fail(at, problem)) }
            catalog.apply(.rule(.define(rule)))
        }
        guard r.atEnd else { return .failure(fail(r.fileOffset, "the rules section has bytes after its last rule")) }
        return .success(catalog)
    }

    /// str name, u8 trigger (1 create, 2 update, 3 delete, 4 every day), str entity, str text,
    /// u8 enabled, u32 n, n x i64 record acted on.
    static func encode(_ r: RuleDefinition, into w: inout ByteWriter) {
        w.string(r.name)
        w.u8(triggerTag(r.trigger))
        w.string(r.entity)
        w.string(r.text)
        w.u8(r.enabled ? 1 : 0)
        encodeIds(r.fired, into: &w)
    }

    static func decode(_ r: inout ByteReader) throws(ByteReader.Overrun) -> RuleDefinition? {
        let name = try r.string()
        let tag = try r.u8()
        let entity = try r.string(), text = try r.string()
        let enabled = try r.u8()
        let fired = try decodeIds(&r)
        guard let trigger = trigger(tag), enabled <= 1 else { return nil }
        return RuleDefinition(name: name, trigger: trigger, entity: entity, text: text, enabled: enabled == 1, fired: fired)
    }

    /// After the catalog tag 6: u8 1 define (a rule) | u8 2 drop (str name) | u8 3 enable (str name,
    /// u8 0 or 1) | u8 4 records acted on (str name, u32 n, n x i64).
    static func encode(_ change: RuleChange, into w: inout ByteWriter) {
        switch change {
        case .define(let r):
            w.u8(1)
            encode(r, into: &w)
        case .drop(let name):
            w.u8(2)
            w.string(name)
        case .enable(let name, let on):
            w.u8(3)
            w.string(name)
            w.u8(on ? 1 : 0)
        case .fired(let name, let ids):
            w.u8(4)
            w.string(name)
            encodeIds(ids, into: &w)
        }
    }

    static func decodeChange(_ r: inout ByteReader) throws(ByteReader.Overrun) -> RuleChange? {
        switch try r.u8() {
        case 1: return try decode(&r).map { .define($0) }
        case 2: return .drop(name: try r.string())
        case 3:
            let name = try r.string()
            let on = try r.u8()
            return on <= 1 ? .enable(name: name, on == 1) : nil
        case 4: return .fired(name: try r.string(), ids: try decodeIds(&r))
        default: return nil
        }
    }

    private static func encodeIds(_ ids: [Int64], into w: inout ByteWriter) {
        w.u32(UInt32(ids.count))
        for id in ids { w.i64(id) }
    }

    private static func decodeIds(_ r: inout ByteReader) throws(ByteReader.Overrun) -> [Int64] {
        var ids: [Int64] = []
        for _ in 0..<(try r.count(minimumSize: 8)) { ids.append(try r.i64()) }
        return ids
    }

    private static func triggerTag(_ t: RuleTrigger) -> UInt8 {
        switch t {
        case .create: 1
        case .update: 2
        case .delete: 3
        case .daily: 4
        }
    }

    private static func trigger(_ tag: UInt8) -> RuleTrigger? {
        switch tag {
        case 1: .create
        case 2: .update
        case 3: .delete
        case 4: .daily
        default: nil
        }
    }
}
