import Testing
@testable import CrmqEngine

/// A text column's dictionary, kept as one byte buffer, reads back every text as written (empty,
/// long, non-ASCII), and a column built on it interns, compacts and survives a snapshot.
@Suite struct TextDictionaryTests {
    static let texts = ["", "Oslo", "kari.hansen@gmail.com", "Schäfer & Zimmermann Finanz GmbH & Co. KG – Analytics Add-on",
                        "Müller", "e\u{301}", "é", String(repeating: "x", count: 70_000), "🚀 launch"]

    @Test func readsBackWhatWasAppended() {
        let d = TextDictionary(Self.texts)
        #expect(d.count == Self.texts.count)
        #expect(Array(d) == Self.texts)
        for i in d.indices {
            #expect(d.byteCount(i) == Self.texts[i].utf8.count)
            #expect(d.withUTF8(i) { Array($0) } == Array(Self.texts[i].utf8))
        }
        #expect(d.bytes.count == Self.texts.reduce(0) { $0 + $1.utf8.count })
        #expect(d == TextDictionary(Self.texts))
        #expect(d != TextDictionary(Self.texts.dropLast()))
    }

    @Test func aColumnInternsCompactsAndRoundTrips() throws {
        var column = TextColumn()
        for t in Self.texts + Self.texts.reversed() { column.append(t) }
        column.append(nil)
        #expect(column.dictionary.count == Self.texts.count - 1)  // "é" and "e\u{301}" are equal as Swift strings
        #expect(column.code(of: "Müller") != nil)
        column.set(rows: [0, Int32(2 * Self.texts.count - 1)], "brand new")
        let (codes, dictionary) = column.compacted()
        let kept = TextColumn(codes: codes, dictionary: dictionary)
        #expect((0..<kept.count).map { kept[$0] } == (0..<column.count).map { column[$0] })
        #expect(dictionary.count < column.dictionary.count)
    }
}
