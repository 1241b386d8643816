/// A batch of inserts into one entity (`.insertBatch`, or a run of `.insert`s) written as one
/// columnar journal change (tag 5): what an import commits. Per-record inserts spend a tag,
/// entity, id, count and a tag per value on every record (185 MB for a million deals); the batch stores each field's values together, integers at the
/// narrowest width that holds their range (as snapshot columns are), texts as a dictionary and
/// codes. It reads back as one `.insertBatch` holding exactly the values written.
///
///     u8 5, u16 entity, u32 n records, u16 m values a record,
///     ids: integers; then per field: u8 1 integers | u8 2 u32 d, d x str, codes: integers
///                                  | u8 3 n x (str, or u32 all ones for null)
///     integers: u8 width (1, 2, 4, 8), i64 base, n x width bytes (IntegerLayout; all ones = null)
enum JournalBatch {
    static let tag: UInt8 = 5
    /// Shorter runs are written record by record: a batch saves nothing on a handful.
    static let minimumRun = 16

    static func encode(_ batch: InsertBatch, entity: UInt16, into p: inout ByteWriter) {
        let n = batch.count
        p.u8(tag)
        p.u16(entity)
        p.u32(UInt32(n))
        p.u16(UInt16(batch.columns.count))
        integers(batch.ids, &p)
        for column in batch.columns {
            switch column {
            case .integers(let values):
                p.u8(1)
                integers(values, &p)
            case .texts(let texts):
                // By bytes: the journal keeps each text exactly as given. A field of mostly
                // distinct texts (names) is written as they come instead: hashing a million of
                // them costs more than the bytes saved.
                if mostlyDistinct(texts) || !dictionary(texts, &p) { strings(texts, &p) }
            }
        }
    }

    /// Writes `texts` as a dictionary and codes, unless it would hold more than an eighth of them.
    private static func dictionary(_ texts: TextRun, _ p: inout ByteWriter) -> Bool {
        let n = texts.count
        var codes = TextLookup()
        var entries = TextRun()
        var column = [Int64](repeating: nullInt, count: n)
        let most = max(64, n / 8)
        var tooMany = false
        texts.forEach { r, bytes in
            guard let bytes, !tooMany else { return }
            let (code, added) = codes.intern(bytes, next: Int32(entries.count), in: entries)
            if added {
                if entries.count >= most { tooMany = true; return }
                entries.append(utf8: bytes)
            }
            column[r] = Int64(code)
        }
        if tooMany { return false }
        p.u8(2)
        p.u32(UInt32(entries.count))
        entries.forEach { _, bytes in
            p.u32(UInt32(bytes?.count ?? 0))
            if let bytes { p.bytes.append(contentsOf: bytes) }
        }
        integers(column, &p)
        return true
    }

    /// Whether the first texts are mostly distinct (names), judged on a sample so that a million
    /// of them are not hashed only to find that a dictionary would not pay.
    static func mostlyDistinct(_ texts: TextRun) -> Bool {
        var lookup = TextLookup()
        var sample = TextRun()
        var count = 0
        texts.forEach { r, bytes in
            guard r < 1024, let bytes else { return }
            count += 1
            if lookup.intern(bytes, next: Int32(sample.count), in: sample).added { sample.append(utf8: bytes) }
        }
        return count >= 64 && sample.count * 2 > count
    }

    private static func strings(_ texts: TextRun, _ p: inout ByteWriter) {
        p.u8(3)
        p.bytes.reserveCapacity(p.bytes.count + texts.bytes.count + 4 * texts.count)
        texts.forEach { _, bytes in
            guard let bytes else { p.u32(.max); return }
            p.u32(UInt32(bytes.count))
            p.bytes.append(contentsOf: bytes)
        }
    }

    private static func integers(_ values: [Int64], _ p: inout ByteWriter) {
        let layout = values.withUnsafeBufferPointer { IntegerLayout.choose($0, null: nullInt) }
        p.u8(UInt8(layout.width))
        p.i64(layout.base)
        let start = p.bytes.count
        p.zeros(layout.byteCount(values.count))
        p.bytes.withUnsafeMutableBytes { out in
            values.withUnsafeBufferPointer { layout.pack($0, null: nullInt, into: UnsafeMutableRawBufferPointer(rebasing: out[start...])) }
        }
    }

    private static func integers(_ n: Int, _ r: inout ByteReader) throws(ByteReader.Overrun) -> [Int64]? {
        let width = Int(try r.u8())
        guard [1, 2, 4, 8].contains(width) else { return nil }
        let layout = IntegerLayout(width: width, base: try r.i64())
        // Copied out: the slice sits at any offset, and unpacking reads it as aligned integers.
        let bytes = Array(try r.raw(layout.byteCount(n)))
        var out = [Int64](repeating: nullInt, count: n)
        bytes.withUnsafeBytes { b in
            out.withUnsafeMutableBufferPointer { _ = layout.unpack(b, null: nullInt, into: $0) }
        }
        return out
    }

    /// The inserts of a batch (after its tag and entity); nil when it is malformed.
    static func decode(_ r: inout ByteReader, entity: EntityDef) throws(ByteReader.Overrun) -> InsertBatch? {
        // Every record takes at least a byte in the ids and in each field.
        let n = try r.count(minimumSize: 1)
        let m = Int(try r.u16())
        guard let ids = try integers(n, &r) else { return nil }
        var columns: [BatchColumn] = []
        columns.reserveCapacity(m)
        for _ in 0..<m {
            switch try r.u8() {
            case 1:
                guard let values = try integers(n, &r) else { return nil }
                columns.append(.integers(values))
            case 2:
                let d = try r.count(minimumSize: 4)
                var dictionary = TextRun(reserving: d)
                for _ in 0..<d { try text(&r, into: &dictionary) }
                guard let codes = try integers(n, &r) else { return nil }
                var texts = TextRun(reserving: n)
                for c in codes {
                    if c == nullInt {
                        texts.append(nil)
                    } else {
                        guard c >= 0, c < d else { return nil }
                        texts.append(copying: Int(c), of: dictionary)
                    }
                }
                columns.append(.texts(texts))
            case 3:
                var texts = TextRun(reserving: n)
                for _ in 0..<n { try text(&r, into: &texts) }
                columns.append(.texts(texts))
            default:
                return nil
            }
        }
        // A journal written before opportunities had a pipeline gives one value fewer.
        for _ in 0..<PipelineMigration.padding(for: entity, values: m) {
            columns.append(.integers([Int64](repeating: nullInt, count: n)))
        }
        return InsertBatch(ids: ids, columns: columns)
    }

    /// One text (u32 length, or all ones for null, then its bytes), as written: invalid UTF-8 is
    /// repaired as `ByteReader.string` repairs it.
    private static func text(_ r: inout ByteReader, into texts: inout TextRun) throws(ByteReader.Overrun) {
        let length = try r.u32()
        if length == .max {
            texts.append(nil)
            return
        }
        let bytes = try r.raw(Int(length))
        let valid = bytes.withUnsafeBufferPointer { b in
            if CSVCellDecoder.firstInvalidUTF8(b) == nil { texts.append(utf8: b); return true }
            return false
        }
        if !valid { texts.append(String(decoding: bytes, as: UTF8.self)) }
    }
}
