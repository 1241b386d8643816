/// The grant and revoke statements in a snapshot (the grants section, kind 10, format 4) and in the
/// journal (a catalog change of tag 7). Laid out in docs/snapshot-format.md.
enum GrantCoding {
    static func encode(_ changes: [GrantChange]) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(changes.count))
        for c in changes { encode(c, into: &w) }
        return w.bytes
    }

    /// Reads the section into `catalog`, checking each change as running the statement would.
    static func decode(_ reader: ByteReader, into catalog: inout Catalog, schema: Schema,
                       fail: (Int, String) -> DataFileError) throws(DataFileError) {
        var r = reader
        let n: Int
        do throws(ByteReader.Overrun) { n = try r.count(minimumSize: 12) } catch { throw fail(error.offset, "the grants section ends early") }
        for _ in 0..<n {
            let at = r.fileOffset
            let decoded: GrantChange?
            do throws(ByteReader.Overrun) { decoded = try decodeChange(&r) } catch {
                throw fail(error.offset, "the grants section ends before its last grant")
            }
            guard let c = decoded else { throw fail(at, "a grant has a bad flag or action") }
            if let problem = catalog.problem(.grant(c), schema: schema) { throw fail(at, problem) }
            catalog.apply(.grant(c))
        }
        guard r.atEnd else { throw fail(r.fileOffset, "the grants section has bytes after its last grant") }
    }

    /// u8 1 grant | 0 revoke, str role, u8 n, n x u8 action (0 read, 1 create, 2 update, 3 delete),
    /// str entity, u8 0 | u8 1 str field, u8 0 | u8 1 str condition.
    static func encode(_ c: GrantChange, into w: inout ByteWriter) {
        w.u8(c.granting ? 1 : 0)
        w.string(c.role)
        w.u8(UInt8(c.actions.count))
        for a in c.actions { w.u8(UInt8(GrantAction.allCases.firstIndex(of: a)!)) }
        w.string(c.entity)
        optional(c.field, &w)
        optional(c.condition, &w)
    }

    /// Nil for a bad flag or action byte.
    static func decodeChange(_ r: inout ByteReader) throws(ByteReader.Overrun) -> GrantChange? {
        let flag = try r.u8()
        guard flag <= 1 else { return nil }
        let role = try r.string()
        var actions: [GrantAction] = []
        for _ in 0..<Int(try r.u8()) {
            let a = Int(try r.u8())
            guard a < GrantAction.allCases.count else { return nil }
            actions.append(GrantAction.allCases[a])
        }
        let entity = try r.string()
        guard let field = try optional(&r), let condition = try optional(&r) else { return nil }
        return GrantChange(granting: flag == 1, role: role, actions: actions, entity: entity, field: field, condition: condition)
    }

    private static func optional(_ s: String?, _ w: inout ByteWriter) {
        if let s {
            w.u8(1)
            w.string(s)
        } else {
            w.u8(0)
        }
    }

    /// `.some(nil)` for absent, nil for a bad flag.
    private static func optional(_ r: inout ByteReader) throws(ByteReader.Overrun) -> String?? {
        switch try r.u8() {
        case 0: return .some(nil)
        case 1: return .some(try r.string())
        default: return nil
        }
    }
}
