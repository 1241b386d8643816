/// Little-endian encoding of the small, structured parts of a file: the header, the section table,
/// the schema, journal records. (Column data does not go through here: it is written and read in bulk.)
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { append(v.littleEndian) }
    mutating func u32(_ v: UInt32) { append(v.littleEndian) }
    mutating func u64(_ v: UInt64) { append(v.littleEndian) }
    mutating func i64(_ v: Int64) { append(v.littleEndian) }

    /// A length (u32) and the UTF-8 bytes.
    mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }

    mutating func zeros(_ n: Int) { bytes.append(contentsOf: repeatElement(0, count: n)) }

    /// Overwrites 4 bytes at `offset` (a length or checksum known only after what follows it).
    mutating func patchU32(_ v: UInt32, at offset: Int) {
        withUnsafeBytes(of: v.littleEndian) { for i in 0..<4 { bytes[offset + i] = $0[i] } }
    }

    private mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v) { bytes.append(contentsOf: $0) }
    }
}

/// Reads what `ByteWriter` wrote, checking every length against what is left, so damaged bytes
/// give an error naming the offset instead of a crash. `origin` is where the bytes sit in their
/// file, for messages.
struct ByteReader {
    /// Ran past the end: `offset` is the file offset of the read that did not fit.
    struct Overrun: Error {
        var offset: Int
    }

    let bytes: [UInt8]
    let origin: Int
    private(set) var position = 0

    init(_ bytes: [UInt8], origin: Int) {
        self.bytes = bytes
        self.origin = origin
    }

    var fileOffset: Int { origin + position }
    var remaining: Int { bytes.count - position }
    var atEnd: Bool { position == bytes.count }

    mutating func u8() throws(Overrun) -> UInt8 { try integer() }
    mutating func u16() throws(Overrun) -> UInt16 { try integer() }
    mutating func u32() throws(Overrun) -> UInt32 { try integer() }
    mutating func u64() throws(Overrun) -> UInt64 { try integer() }
    mutating func i64() throws(Overrun) -> Int64 { try integer() }

    mutating func string() throws(Overrun) -> String {
        try string(length: Int(try u32()))
    }

    /// `n` bytes of UTF-8 (the length read already).
    mutating func string(length n: Int) throws(Overrun) -> String {
        guard n <= remaining else { throw Overrun(offset: fileOffset) }
        defer { position += n }
        return String(decoding: bytes[position..<position + n], as: UTF8.self)
    }

    mutating func raw(_ n: Int) throws(Overrun) -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else { throw Overrun(offset: fileOffset) }
        defer { position += n }
        return bytes[position..<position + n]
    }

    /// A count of items that each take at least `minimumSize` bytes: refused when they could not
    /// fit in what is left, so a damaged count cannot make the reader allocate gigabytes.
    mutating func count(minimumSize: Int) throws(Overrun) -> Int {
        let at = fileOffset
        let n = Int(try u32())
        guard n <= remaining / max(1, minimumSize) else { throw Overrun(offset: at) }
        return n
    }

    private mutating func integer<T: FixedWidthInteger>() throws(Overrun) -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw Overrun(offset: fileOffset) }
        var v: T = 0
        withUnsafeMutableBytes(of: &v) { out in
            for i in 0..<size { out[i] = bytes[position + i] }
        }
        position += size
        return T(littleEndian: v)
    }
}
