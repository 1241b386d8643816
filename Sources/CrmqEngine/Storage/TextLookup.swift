/// Texts stored by number, each readable as UTF-8 in place (a dictionary's entries, a run of texts).
protocol UTF8Entries {
    var count: Int { get }
    func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R
}

extension TextDictionary: UTF8Entries {}

extension TextRun: UTF8Entries {
    func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = span(i)
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }
}

/// Text -> number for texts kept elsewhere (`UTF8Entries`), hashed and compared by their UTF-8
/// bytes: an open-addressing table of the numbers alone. A `[String: Int32]` would hold a `String`
/// object per text beside the stored bytes and hash through Swift's normalizing string hashing;
/// a million names spent most of an import's interning there. Hashed with `Hasher` (seeded per
/// process), so crafted texts cannot make every lookup probe the whole table. Numbers are >= 0.
struct TextLookup {
    /// Per slot, the text's hash in the high half and its number in the low half (`empty` when
    /// there is none): one word, so a probe reads one cache line, and the hash tells most texts
    /// it passes apart without reading their bytes. The count is a power of two (or 0).
    private var slots: [UInt64] = []
    private(set) var count = 0

    /// No number is all ones in the low half (numbers are >= 0, below 2^31).
    private static let empty = UInt64.max

    init() {}

    /// How many slots there are (what `reserve` and growth make).
    var capacity: Int { slots.count }

    /// Room for `n` numbers in all without growing.
    mutating func reserve(_ n: Int) {
        var size = max(16, slots.count)
        while size / 4 * 3 < n { size <<= 1 }
        if size > slots.count { rehash(size) }
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h = Hasher()
        h.combine(bytes: UnsafeRawBufferPointer(bytes))
        return UInt32(truncatingIfNeeded: h.finalize())
    }

    @inline(__always)
    private static func slot(_ hash: UInt32, _ number: Int32) -> UInt64 {
        UInt64(hash) << 32 | UInt64(UInt32(bitPattern: number))
    }

    /// The number of the entry of `entries` spelled `bytes`, or `entries.count` when there is none.
    func code(of bytes: UnsafeBufferPointer<UInt8>, in entries: some UTF8Entries) -> Int {
        guard !slots.isEmpty else { return entries.count }
        let h = TextLookup.hash(bytes)
        let mask = slots.count - 1
        var i = Int(h) & mask
        while true {
            let s = slots[i]
            if s == TextLookup.empty { return entries.count }
            let c = Int(UInt32(truncatingIfNeeded: s))
            if UInt32(truncatingIfNeeded: s >> 32) == h, c < entries.count,
               entries.withUTF8(c, { TextLookup.same($0, bytes) }) { return c }
            i = (i + 1) & mask
        }
    }

    /// The number of the entry spelled `bytes`; when there is none, `next` (>= 0) becomes its
    /// number (the caller adds the entry to `entries` as `next`) and `added` is true. One probe
    /// either way.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, next: Int32,
                         in entries: some UTF8Entries) -> (code: Int32, added: Bool) {
        if (count + 1) * 4 > slots.count * 3 { rehash(max(16, slots.count * 2)) }
        let h = TextLookup.hash(bytes)
        let mask = slots.count - 1
        var i = Int(h) & mask
        while true {
            let s = slots[i]
            if s == TextLookup.empty {
                slots[i] = TextLookup.slot(h, next)
                count += 1
                return (next, true)
            }
            let c = Int(UInt32(truncatingIfNeeded: s))
            if UInt32(truncatingIfNeeded: s >> 32) == h, c < entries.count,
               entries.withUTF8(c, { TextLookup.same($0, bytes) }) { return (Int32(c), false) }
            i = (i + 1) & mask
        }
    }

    /// Whether `a` and `b` hold the same bytes, compared eight at a time: a found text is
    /// compared once with its entry, and `elementsEqual` went byte by byte through a call.
    @inline(__always)
    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = a.count
        guard n == b.count else { return false }
        guard n > 0, let p = a.baseAddress, let q = b.baseAddress else { return true }
        let x = UnsafeRawPointer(p), y = UnsafeRawPointer(q)
        var i = 0
        while i + 8 <= n {
            if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < n {
            if p[i] != q[i] { return false }
            i += 1
        }
        return true
    }

    /// Grows to `size` slots, placing the numbers again by the hashes kept (no text is read).
    private mutating func rehash(_ size: Int) {
        var grown = [UInt64](repeating: TextLookup.empty, count: size)
        let mask = size - 1
        for s in slots where s != TextLookup.empty {
            var j = Int(UInt32(truncatingIfNeeded: s >> 32)) & mask
            while grown[j] != TextLookup.empty { j = (j + 1) & mask }
            grown[j] = s
        }
        slots = grown
    }
}
