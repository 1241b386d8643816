/// The distinct texts of a text column, in code order, as one UTF-8 byte buffer and where each
/// entry ends: a `[String]` costs 16 bytes an entry plus a heap object of about 48 bytes for every
/// text over 15 bytes (emails, names of deals, subjects of activities), three times the text itself.
/// Reading entry `i` as a `String` builds it from its bytes; `withUTF8` reads the bytes in place.
public struct TextDictionary: Sendable, RandomAccessCollection, ExpressibleByArrayLiteral, Equatable {
    /// Every entry's UTF-8, back to back.
    public private(set) var bytes: [UInt8] = []
    /// Where each entry ends in `bytes` (it starts where the one before ends).
    public private(set) var ends = IntColumn()

    public init() {}

    public init<Texts: Sequence<String>>(_ texts: Texts) {
        for t in texts { append(t) }
    }

    public init(arrayLiteral elements: String...) { self.init(elements) }

    /// A dictionary as a snapshot stores it: `offsets` (entries + 1, from 0, ascending, the last
    /// `bytes.count`), checked by the caller.
    init(bytes: [UInt8], offsets: [Int64]) {
        self.bytes = bytes
        self.ends = IntColumn(Array(offsets.dropFirst()))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    @inline(__always)
    func span(_ i: Int) -> Range<Int> {
        ends.withReader { end in (i == 0 ? 0 : Int(end(i - 1))) ..< Int(end(i)) }
    }

    public subscript(i: Int) -> String {
        let r = span(i)
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    /// Calls `body` with entry `i`'s UTF-8 bytes, in place.
    public func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = span(i)
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    /// The UTF-8 length of entry `i`.
    public func byteCount(_ i: Int) -> Int { span(i).count }

    public mutating func append(_ text: String) {
        var t = text
        t.withUTF8 { bytes.append(contentsOf: $0) }
        ends.append(Int64(bytes.count))
    }

    /// Appends an entry given as UTF-8 (well-formed: checked by the caller).
    mutating func append(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: utf8)
        ends.append(Int64(bytes.count))
    }

    public mutating func reserveCapacity(_ n: Int) { ends.reserveCapacity(n) }

    /// Room for `n` bytes of entries in all.
    mutating func reserveBytes(_ n: Int) { bytes.reserveCapacity(n) }

    /// Approximate bytes held.
    public var memory: Int { bytes.count + ends.memory }
}
