/// A run of inserts into one entity written as one columnar journal change (tag 5): what an import
/// commits. Per-record inserts spend a tag, entity, id, count and a tag per value on every record
/// (185 MB for a million deals); the batch stores each field's values together, integers at the
/// narrowest width that holds their range (as snapshot columns are), texts as a dictionary and
/// codes. It decodes back into the same `.insert` changes, so nothing else knows it exists.
///
///     u8 5, u16 entity, u32 n records, u16 m values a record,
///     ids: integers; then per field: u8 1 integers | u8 2 u32 d, d x str, codes: integers
///                                  | u8 3 n x (str, or u32 all ones for null)
///     integers: u8 width (1, 2, 4, 8), i64 base, n x width bytes (IntegerLayout; all ones = null)
enum JournalBatch {
    static let tag: UInt8 = 5
    /// Shorter runs are written record by record: a batch saves nothing on a handful.
    static let minimumRun = 16

    static func encode(_ columns: InsertColumns, entity: UInt16, into p: inout ByteWriter) {
        let n = columns.ids.count
        p.u8(tag)
        p.u16(entity)
        p.u32(UInt32(n))
        p.u16(UInt16(columns.text.count))
        integers(columns.ids, &p)
        for f in columns.text.indices {
            guard columns.text[f] else {
                p.u8(1)
                integers(columns.integers[f], &p)
                continue
            }
            // By bytes: the journal keeps each text exactly as given. A field of mostly distinct
            // texts (names) is written as they come instead: hashing a million of them costs
            // more than the bytes saved.
            let texts = columns.texts[f]
            if JournalBatch.mostlyDistinct(texts) {
                JournalBatch.strings(texts, &p)
                continue
            }
            var codes: [UTF8Key: Int64] = [:]
            var dictionary: [String] = []
            var column = [Int64](repeating: nullInt, count: n)
            let most = max(64, n / 8)
            for (r, t) in texts.enumerated() {
                guard let s = t else { continue }
                if let c = codes[UTF8Key(s)] {
                    column[r] = c
                } else {
                    column[r] = Int64(dictionary.count)
                    codes[UTF8Key(s)] = column[r]
                    dictionary.append(s)
                    if dictionary.count > most { break }
                }
            }
            if dictionary.count > most {
                JournalBatch.strings(texts, &p)
                continue
            }
            p.u8(2)
            p.u32(UInt32(dictionary.count))
            for s in dictionary { p.string(s) }
            integers(column, &p)
        }
    }

    /// Whether the first texts are mostly distinct (names), judged on a sample so that a million
    /// of them are not hashed only to find that a dictionary would not pay.
    static func mostlyDistinct(_ texts: [String?]) -> Bool {
        let sample = texts.prefix(1024).compactMap { $0 }
        guard sample.count >= 64 else { return false }
        return Set(sample.map(UTF8Key.init)).count * 2 > sample.count
    }

    private static func strings(_ texts: [String?], _ p: inout ByteWriter) {
        p.u8(3)
        for t in texts {
            if let s = t { p.string(s) } else { p.u32(.max) }
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
    static func decode(_ r: inout ByteReader, entity: EntityDef) throws(ByteReader.Overrun) -> [DataChange]? {
        // Every record takes at least a byte in the ids and in each field.
        let n = try r.count(minimumSize: 1)
        let m = Int(try r.u16())
        guard let ids = try integers(n, &r) else { return nil }
        // Kept as integers and codes until the records are made: a column of values would take
        // three times the room.
        var columns: [(dictionary: [StoredValue]?, values: [Int64])] = []
        columns.reserveCapacity(m)
        for _ in 0..<m {
            switch try r.u8() {
            case 1:
                guard let values = try integers(n, &r) else { return nil }
                columns.append((nil, values))
            case 2:
                let d = try r.count(minimumSize: 4)
                var dictionary: [StoredValue] = []
                dictionary.reserveCapacity(d)
                for _ in 0..<d { dictionary.append(.text(try r.string())) }
                guard let codes = try integers(n, &r) else { return nil }
                for c in codes where c != nullInt && (c < 0 || c >= d) { return nil }
                columns.append((dictionary, codes))
            case 3:
                var texts: [StoredValue] = []
                texts.reserveCapacity(n)
                for _ in 0..<n {
                    let length = try r.u32()
                    texts.append(length == .max ? .null : .text(try r.string(length: Int(length))))
                }
                columns.append((texts, Array(0..<Int64(n))))
            default:
                return nil
            }
        }
        // A journal written before opportunities had a pipeline gives one value fewer.
        let padding = PipelineMigration.padding(for: entity, values: m)
        var out: [DataChange] = []
        out.reserveCapacity(n)
        for row in 0..<n {
            var values: [StoredValue] = []
            values.reserveCapacity(m + padding)
            for f in 0..<m {
                let v = columns[f].values[row]
                if v != nullInt, let dictionary = columns[f].dictionary { values.append(dictionary[Int(v)]) } else { values.append(.integer(v)) }
            }
            for _ in 0..<padding { values.append(.null) }
            out.append(.insert(entity: entity.name, id: ids[row], values: values))
        }
        return out
    }
}
