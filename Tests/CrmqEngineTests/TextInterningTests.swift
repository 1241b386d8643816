import Testing
@testable import CrmqEngine

/// What interning a text meant before it went by bytes, kept here as the reference: while every
/// entry is canonical and no other text has come, a text's code is the first entry spelled with
/// the same bytes; from the first text or entry that is not, the first entry equal as a Swift string.
private struct ReferenceColumn {
    var codes: [Int32]
    var dictionary: [String]
    var bytesOnly: Bool

    init(codes: [Int32] = [], dictionary: [String] = []) {
        self.codes = codes
        self.dictionary = dictionary
        bytesOnly = dictionary.allSatisfy(canonical)
    }

    func code(of text: String) -> Int32? {
        let i = bytesOnly && canonical(text)
            ? dictionary.firstIndex { Array($0.utf8) == Array(text.utf8) }
            : dictionary.firstIndex { $0 == text }
        return i.map { Int32($0) }
    }

    mutating func intern(_ text: String) -> Int32 {
        if !canonical(text) { bytesOnly = false }
        if let c = code(of: text) { return c }
        dictionary.append(text)
        return Int32(dictionary.count - 1)
    }

    mutating func append(_ text: String?) { codes.append(text.map { intern($0) } ?? -1) }
    mutating func set(_ row: Int, _ text: String?) { codes[row] = text.map { intern($0) } ?? -1 }
}

/// Canonical as `UTF8Key.isCanonical` means it, said by scalars rather than bytes.
private func canonical(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { s in
        s.value < 0x300 || (0x2010...0x2027).contains(s.value) || (0x2030...0x205E).contains(s.value)
            || (0x20A0...0x20BF).contains(s.value)
    }
}

/// Byte sequences that are not UTF-8: a run may hold them only if a caller failed to check, and
/// they must then intern as the `String` they decode to.
private let malformed: [[UInt8]] = [[0xC3], [0xC3, 0x41], [0xFF], [0xE2, 0x80], [0x80], [0x61, 0xC2], [0xE2, 0x80, 0x41]]

/// `TextColumn` interns by bytes (bulk runs and one text at a time) with the codes and dictionary
/// that interning by the rules above gives, from an empty column or one read from a snapshot.
@Suite struct TextInterningTests {
    static let plain = ["", "a", "b", "Café", "Ærø", "–", "€ 10", "Zoë‐Anne", "\u{E9}", "café"]
    static let other = ["e\u{301}", "x\u{300}", "™", "日本", "🚀", "Cafe\u{301}"]

    static func text(_ random: inout DiffRandom, noncanonical: Bool) -> String {
        if random.chance(0.3) { return "n\(random.int(40))" }
        if noncanonical && random.chance(0.1) { return random.pick(other) }
        return random.pick(plain)
    }

    static func run(_ random: inout DiffRandom, noncanonical: Bool) -> [String?] {
        (0..<random.int(in: 0...300)).map { _ in random.chance(0.15) ? nil : text(&random, noncanonical: noncanonical) }
    }

    /// Same codes, and the same entries byte for byte, and `code(of:)` agrees.
    private static func check(_ column: TextColumn, _ reference: ReferenceColumn, _ random: inout DiffRandom) {
        #expect(column.codes == reference.codes)
        #expect(column.dictionary.count == reference.dictionary.count)
        if column.dictionary.count == reference.dictionary.count {
            for i in column.dictionary.indices {
                #expect(column.dictionary.withUTF8(i) { Array($0) } == Array(reference.dictionary[i].utf8))
            }
        }
        for t in plain + other + (0..<5).map({ _ in "n\(random.int(60))" }) {
            #expect(column.code(of: t) == reference.code(of: t), "code(of: \(t.debugDescription))")
        }
        let (codes, dictionary) = column.compacted()
        for r in codes.indices {
            #expect((codes[r] < 0 ? nil : dictionary[Int(codes[r])]) == column[r])
        }
    }

    private static func start(_ random: inout DiffRandom) -> (TextColumn, ReferenceColumn) {
        switch random.int(3) {
        case 0: return (TextColumn(), ReferenceColumn())
        default:
            // A snapshot's column: any entries (a text twice, another spelling), no lookup yet.
            let noncanonical = random.chance(0.4)
            let entries = (0..<random.int(in: 1...12)).map { _ in text(&random, noncanonical: noncanonical) }
            let codes = (0..<random.int(in: 0...20)).map { _ in random.chance(0.2) ? -1 : Int32(random.int(entries.count)) }
            return (TextColumn(codes: codes, dictionary: entries), ReferenceColumn(codes: codes, dictionary: entries))
        }
    }

    @Test func internsAsTheReferenceDoes() {
        var random = DiffRandom(seed: 14)
        for _ in 0..<300 {
            var (column, reference) = Self.start(&random)
            let noncanonical = random.chance(0.5)
            for _ in 0..<random.int(in: 1...6) {
                switch random.int(5) {
                case 0, 1:
                    let texts = Self.run(&random, noncanonical: noncanonical)
                    column.append(interning: TextRun(texts))
                    for t in texts { reference.append(t) }
                case 2:
                    let t = random.chance(0.1) ? nil : Self.text(&random, noncanonical: noncanonical)
                    column.append(t)
                    reference.append(t)
                case 3:
                    guard !column.codes.isEmpty else { continue }
                    let row = random.int(column.count)
                    let t = Self.text(&random, noncanonical: noncanonical)
                    column.set(row, t)
                    reference.set(row, t)
                default:
                    let t = Self.text(&random, noncanonical: noncanonical)
                    #expect(column.intern(t) == reference.intern(t))
                }
            }
            Self.check(column, reference, &random)
        }
    }

    /// A run sized as mostly distinct (names) and then not: the sizing changes no code.
    @Test func mostlyDistinctRunsInternAlike() {
        var random = DiffRandom(seed: 3)
        for size in [0, 1, 5, 1023, 1024, 1025, 5000] {
            let texts: [String?] = (0..<size).map { i in
                i % 97 == 0 ? nil : (i < 1024 ? "name \(i)" : random.pick(Self.plain))
            }
            var column = TextColumn(), reference = ReferenceColumn()
            column.append(interning: TextRun(texts))
            for t in texts { reference.append(t) }
            Self.check(column, reference, &random)
        }
    }

    /// Bytes that are not UTF-8 intern as the `String` they decode to, as building that string
    /// first did; the column goes on by Swift's equality then.
    @Test func malformedBytesInternAsTheirString() {
        var random = DiffRandom(seed: 9)
        for _ in 0..<100 {
            var run = TextRun()
            var texts: [String?] = []
            for _ in 0..<random.int(in: 1...30) {
                if random.chance(0.2) {
                    let bytes = random.pick(malformed)
                    bytes.withUnsafeBufferPointer { run.append(utf8: $0) }
                    texts.append(String(decoding: bytes, as: UTF8.self))
                } else {
                    let t = Self.text(&random, noncanonical: false)
                    run.append(t)
                    texts.append(t)
                }
            }
            var column = TextColumn(), reference = ReferenceColumn()
            column.append(interning: run)
            for t in texts { reference.append(t) }
            Self.check(column, reference, &random)
        }
    }

    /// The check on bytes says what the one on a `String` says, and no malformed bytes pass it.
    @Test func canonicalBytesAgreeWithStrings() {
        var random = DiffRandom(seed: 21)
        let scalars: [Unicode.Scalar] = ["a", "\u{7F}", "\u{80}", "\u{E9}", "\u{2FF}", "\u{300}", "\u{200F}", "\u{2010}",
                                         "\u{2027}", "\u{2028}", "\u{2030}", "\u{205E}", "\u{205F}", "\u{209F}", "\u{20A0}",
                                         "\u{20BF}", "\u{20C0}", "\u{FFFD}", "\u{1F680}", "\u{10FFFF}"]
        for _ in 0..<2000 {
            var s = ""
            for _ in 0..<random.int(in: 0...4) { s.unicodeScalars.append(random.pick(scalars)) }
            var t = s
            #expect(t.withUTF8 { UTF8Key.isCanonical($0) } == canonical(s), "\(s.unicodeScalars.map { $0.value })")
            #expect(UTF8Key.isCanonical(s) == canonical(s))
        }
        for bytes in malformed {
            #expect(!bytes.withUnsafeBufferPointer { UTF8Key.isCanonical($0) }, "\(bytes)")
        }
    }
}

/// `TextLookup`: numbers found by bytes, through growth, among many texts that differ by a byte.
@Suite struct TextLookupTests {
    /// Every text of up to three bytes over a few letters, and long ones differing only at the end.
    static let nearlyAlike: [String] = {
        let letters = ["", "a", "b", "é"]
        var texts = Set<String>()
        for x in letters { for y in letters { for z in letters { texts.insert(x + y + z) } } }
        let long = String(repeating: "deal name ", count: 8)
        for i in 0..<300 { texts.insert(long + String(i)); texts.insert(String(i) + long) }
        return texts.sorted()
    }()

    @Test func findsEveryTextThroughGrowth() {
        var lookup = TextLookup()
        var entries = TextRun()
        var bytesOf: [[UInt8]] = []
        for i in 0..<100_000 { bytesOf.append(Array("name-\(i)".utf8)) }
        bytesOf += Self.nearlyAlike.map { Array($0.utf8) }
        var capacities: Set<Int> = []
        for (i, b) in bytesOf.enumerated() {
            let (code, added) = b.withUnsafeBufferPointer { lookup.intern($0, next: Int32(i), in: entries) }
            #expect(code == Int32(i) && added)
            b.withUnsafeBufferPointer { entries.append(utf8: $0) }
            capacities.insert(lookup.capacity)
            #expect(lookup.count * 4 <= lookup.capacity * 3)
        }
        #expect(lookup.count == bytesOf.count)
        #expect(capacities.count > 5)
        for (i, b) in bytesOf.enumerated() {
            #expect(b.withUnsafeBufferPointer { lookup.code(of: $0, in: entries) } == i)
            let (code, added) = b.withUnsafeBufferPointer { lookup.intern($0, next: Int32(entries.count), in: entries) }
            #expect(code == Int32(i) && !added)
        }
        for missing in ["name-100000", "name-", "deal name", "ab\u{301}", "aaaa"] {
            #expect(Array(missing.utf8).withUnsafeBufferPointer { lookup.code(of: $0, in: entries) } == entries.count)
        }
    }

    @Test func reservedRoomTakesThatManyWithoutGrowing() {
        for n in [0, 1, 12, 13, 100, 3072, 3073, 50_000] {
            var lookup = TextLookup()
            lookup.reserve(n)
            let reserved = lookup.capacity
            #expect(n * 4 <= reserved * 3)
            // Not twice the room needed: the next smaller table would not hold them.
            #expect(reserved == 16 || n * 4 > reserved / 2 * 3)
            var entries = TextRun()
            for i in 0..<n {
                let b = Array("t\(i)".utf8)
                _ = b.withUnsafeBufferPointer { lookup.intern($0, next: Int32(i), in: entries) }
                b.withUnsafeBufferPointer { entries.append(utf8: $0) }
            }
            #expect(lookup.capacity == reserved)
            #expect(lookup.count == n)
        }
    }

    /// Texts with equal hashes cannot be made on purpose, so the comparison behind them is tested
    /// alone: a byte changed anywhere (in a word of eight or the tail), a length changed.
    @Test func comparesEveryByte() {
        var random = DiffRandom(seed: 33)
        for n in 0...40 {
            let a = (0..<n).map { _ in UInt8(random.int(256)) }
            a.withUnsafeBufferPointer { p in
                Array(a).withUnsafeBufferPointer { q in #expect(TextLookup.same(p, q)) }
                for i in 0..<n {
                    var b = a
                    b[i] ^= UInt8(1 << random.int(8))
                    b.withUnsafeBufferPointer { q in #expect(!TextLookup.same(p, q), "length \(n), byte \(i)") }
                }
                (a + [0]).withUnsafeBufferPointer { q in #expect(!TextLookup.same(p, q)) }
                if n > 0 { a.dropLast().withUnsafeBufferPointer { q in #expect(!TextLookup.same(p, q)) } }
            }
        }
    }

    @Test func anEmptyLookupFindsNothing() {
        let lookup = TextLookup()
        let entries = TextRun(["a", ""])
        #expect(Array("a".utf8).withUnsafeBufferPointer { lookup.code(of: $0, in: entries) } == 2)
        #expect([UInt8]().withUnsafeBufferPointer { lookup.code(of: $0, in: entries) } == 2)
    }
}
