#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Appends text `i` of `other` (a null stays null).
    mutating func append(copying i: Int, of other: TextRun) {
        if other.isNull(i) {
            append(nil)
        } else {
            other.withUTF8(i) { append(utf8: $0) }
        }
    }
}

/// Text -> number for texts kept elsewhere (`UTF8Entries`), hashed and compared by their UTF-8
/// bytes: an open-addressing table of the numbers alone. A `[String: Int32]` would hold a `String`
/// object per text beside the stored bytes and hash through Swift's normalizing string hashing;
/// a million names spent most of an import's interning there. Hashed with `Hasher` (seeded per
/// process), so crafted texts cannot make every lookup probe the whole table.
struct TextLookup {
    /// A number per slot, -1 for an empty slot; the count is a power of two (or 0).
    private var slots: [Int32] = []
    /// Each slot's hash, so that most slots a probe passes are told apart without their bytes.
    private var hashes: [UInt32] = []
    private(set) var count = 0

    init() {}

    /// Room for `n` numbers in all without growing.
    mutating func reserve(_ n: Int) {
        let needed = max(16, (n * 4 + 2) / 3)
        guard needed > slots.count * 3 / 4 || slots.isEmpty else { return }
        var size = 16
        while size * 3 / 4 < needed { size <<= 1 }
        if size > slots.count { rehash(size) }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h = Hasher()
        h.combine(bytes: UnsafeRawBufferPointer(bytes))
        return UInt32(truncatingIfNeeded: h.finalize())
    }

    /// The number of the entry of `entries` spelled `bytes`, or `entries.count` when there is none.
    func code(of bytes: UnsafeBufferPointer<UInt8>, in entries: some UTF8Entries) -> Int {
        guard !slots.isEmpty else { return entries.count }
        let h = TextLookup.hash(bytes)
        let mask = slots.count - 1
        var i = Int(h) & mask
        while true {
            let c = slots[i]
            if c < 0 { return entries.count }
            if hashes[i] == h, entries.withUTF8(Int(c), { TextLookup.same($0, bytes) }) { return Int(c) }
            i = (i + 1) & mask
        }
    }

    /// The number of the entry spelled `bytes`; when there is none, `next` becomes its number
    /// (the caller adds the entry to `entries` as `next`) and `added` is true. One probe either way.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, next: Int32,
                         in entries: some UTF8Entries) -> (code: Int32, added: Bool) {
        if (count + 1) * 4 > slots.count * 3 { rehash(max(16, slots.count * 2)) }
        let h = TextLookup.hash(bytes)
        let mask = slots.count - 1
        var i = Int(h) & mask
        while true {
            let c = slots[i]
            if c < 0 {
                slots[i] = next
                hashes[i] = h
                count += 1
                return (next, true)
            }
            if hashes[i] == h, Int(c) < entries.count, entries.withUTF8(Int(c), { TextLookup.same($0, bytes) }) { return (c, false) }
            i = (i + 1) & mask
        }
    }

    /// Whether two texts have the same bytes.
    @inline(__always)
    static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// Grows to `size` slots, placing the numbers again by the hashes kept (no text is read).
    private mutating func rehash(_ size: Int) {
        var newSlots = [Int32](repeating: -1, count: size)
        var newHashes = [UInt32](repeating: 0, count: size)
        let mask = size - 1
        for i in slots.indices where slots[i] >= 0 {
            var j = Int(hashes[i]) & mask
            while newSlots[j] >= 0 { j = (j + 1) & mask }
            newSlots[j] = slots[i]
            newHashes[j] = hashes[i]
        }
        slots = newSlots
        hashes = newHashes
    }
}
