/// Texts (or nulls) in a row, as one UTF-8 buffer and where each ends: a million names without a
/// `String` object each. Kept byte for byte as given.
public struct TextRun: Hashable, Sendable {
    /// Every text's UTF-8, back to back.
    public private(set) var bytes: [UInt8] = []
    /// Where each text ends in `bytes`; a null is `~end` (negative), taking no bytes.
    public private(set) var ends: [Int] = []

    public init() {}

    public init(reserving n: Int) {
        ends.reserveCapacity(n)
    }

    public init<Texts: Sequence<String?>>(_ texts: Texts) {
        for t in texts { append(t) }
    }

    public var count: Int { ends.count }

    /// Where text `i` ends (`ends[i]` decoded).
    @inline(__always)
    private func end(_ i: Int) -> Int {
        let e = ends[i]
        return e < 0 ? ~e : e
    }

    public func isNull(_ i: Int) -> Bool { ends[i] < 0 }

    /// The bytes of text `i` in `bytes`.
    @inline(__always)
    public func span(_ i: Int) -> Range<Int> {
        (i == 0 ? 0 : end(i - 1)) ..< end(i)
    }

    public subscript(i: Int) -> String? {
        if ends[i] < 0 { return nil }
        let r = span(i)
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    /// Calls `body` with every text's bytes in place (nil for a null), in order.
    public func forEach(_ body: (Int, UnsafeBufferPointer<UInt8>?) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { b in
            var start = 0
            for i in ends.indices {
                let e = ends[i]
                if e < 0 {
                    try body(i, nil)
                } else {
                    try body(i, UnsafeBufferPointer(rebasing: b[start..<e]))
                    start = e
                }
            }
        }
    }

    public mutating func append(_ text: String?) {
        guard var t = text else {
            ends.append(~bytes.count)
            return
        }
        t.withUTF8 { bytes.append(contentsOf: $0) }
        ends.append(bytes.count)
    }

    /// Appends a text given as UTF-8 (checked by the caller).
    public mutating func append(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: utf8)
        ends.append(bytes.count)
    }

    /// Appends every text of `other` after these.
    public mutating func append(contentsOf other: TextRun) {
        let shift = bytes.count
        bytes.append(contentsOf: other.bytes)
        for e in other.ends { ends.append(e < 0 ? ~(~e + shift) : e + shift) }
    }

    /// Calls `body` with the texts' bytes and ends in place (`cell(_:in:)` reads one).
    public func withSpans<R>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Int>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in try ends.withUnsafeBufferPointer { e in try body(b, e) } }
    }

    /// Text `i` in the buffers `withSpans` gives; nil for a null.
    @inline(__always)
    public static func cell(_ i: Int, in spans: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Int>)) -> UnsafeBufferPointer<UInt8>? {
        let e = spans.1[i]
        if e < 0 { return nil }
        let s = i == 0 ? 0 : spans.1[i - 1] < 0 ? ~spans.1[i - 1] : spans.1[i - 1]
        return UnsafeBufferPointer(rebasing: spans.0[s..<e])
    }

    /// Empties the run, keeping its room (a buffer reused for every record).
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// The texts at `rows` (any order), in that order.
    public func picking(_ rows: [Int32]) -> TextRun {
        var out = TextRun(reserving: rows.count)
        bytes.withUnsafeBufferPointer { b in
            for r in rows {
                let i = Int(r)
                if ends[i] < 0 { out.ends.append(~out.bytes.count) } else { out.append(utf8: UnsafeBufferPointer(rebasing: b[span(i)])) }
            }
        }
        return out
    }

    /// Appends text `i` of `other` (a null stays null).
    mutating func append(copying i: Int, of other: TextRun) {
        if other.isNull(i) {
            append(nil)
        } else {
            other.withUTF8(i) { append(utf8: $0) }
        }
    }
}
