import Testing
@testable import CrmqEngine

/// Text cells read from a column's dictionary are written from their bytes (`OutputBuffer`,
/// `ResultSet.withStoredUTF8`); the output must be exactly what the `String` path writes, for texts
/// a spreadsheet, a CSV reader or a JSON parser would trip on.
@Suite struct OutputBytesTests {
    static let texts = [
        "", "plain", "Ann \"A\", CEO", "line\nbreak", "cr\r\nlf", "\r", "tab\there", "back\\slash", "a,b",
        "Müller 🚀", "\"\u{301}quote and accent\"", "e\u{301}", "=1+2", "+1", "-5.00", "@SUM(A1)", "\tx", "\rx",
        "'quoted'", "\u{1}ctl\u{1f}\u{7f}", "x, \"y\"\n" + String(repeating: "long,", count: 20_000),
    ]

    /// The bytes one escaper writes for `text`.
    static func written(_ text: String, _ escape: (inout OutputBuffer, UnsafeBufferPointer<UInt8>) -> Void) -> String {
        var buffer = OutputBuffer()
        var t = text
        t.withUTF8 { escape(&buffer, $0) }
        var sink = StringSink()
        buffer.flush(to: &sink)
        return sink.text
    }

    @Test(arguments: texts)
    func eachEscapeWritesWhatItsStringCounterpartReturns(_ text: String) {
        #expect(Self.written(text) { $0.append(csvField: $1) } == DelimitedFormatter.csvField(text))
        #expect(Self.written(text) { $0.append(csvField: $1, neutralise: true) } == FormulaGuard.csvField(text))
        #expect(Self.written(text) { $0.append(tsvField: $1) } == DelimitedFormatter.tsvField(text))
        #expect(Self.written(text) { $0.append(tsvField: $1, neutralise: true) } == FormulaGuard.tsvField(text))
        #expect(Self.written(text) { $0.append(jsonString: $1) } == JSONFormatter.quote(text))
    }

    @Test func aQuoteBeforeACombiningMarkIsStillDoubled() {
        // One Character ("\"" + U+0301), but a quote a CSV reader sees: left single, it ends the field.
        #expect(DelimitedFormatter.csvField("a\"\u{301}") == "\"a\"\"\u{301}\"")
        #expect(Self.written("a\"\u{301}") { $0.append(csvField: $1) } == "\"a\"\"\u{301}\"")
    }

    @Test func bytesThatAreNotUTF8ReadAsAStringMadeFromThemWould() {
        let bytes: [UInt8] = [0x41, 0xC3, 0x2C, 0xE2, 0x82, 0x22, 0xFF, 0x0A, 0xF0, 0x9F]
        let asString = String(decoding: bytes, as: UTF8.self)
        for (escape, expected) in [
            ({ (b: inout OutputBuffer, s: UnsafeBufferPointer<UInt8>) in b.append(csvField: s) }, DelimitedFormatter.csvField(asString)),
            ({ (b: inout OutputBuffer, s: UnsafeBufferPointer<UInt8>) in b.append(tsvField: s) }, DelimitedFormatter.tsvField(asString)),
            ({ (b: inout OutputBuffer, s: UnsafeBufferPointer<UInt8>) in b.append(jsonString: s) }, JSONFormatter.quote(asString)),
        ] {
            var buffer = OutputBuffer()
            bytes.withUnsafeBufferPointer { escape(&buffer, $0) }
            var sink = StringSink()
            buffer.flush(to: &sink)
            #expect(sink.text == expected)
        }
    }

    /// Contacts whose names are the hostile texts, one a row, some null.
    static func session() -> Session {
        var db = Database(schema: .standard)
        let fields = db.schema.entity(named: "contacts")!.fields.dropFirst()
        for (i, text) in (texts + ["again"] + texts).enumerated() {
            let values: [String: StoredValue] = ["first_name": .text(text), "last_name": .text(i % 3 == 0 ? nil : "L" + text),
                                                 "email": .text("p\(i)@example.com")]
            db.modify("contacts") { $0.append(id: Int64(i + 1), fields.map { values[$0.name] ?? .null }) }
        }
        return Session(database: db, settings: Session.Settings(today: Day.from(year: 2026, month: 6, day: 15)))
    }

    /// The same cells held as values: every text a `String`, written by the `String` path.
    static func asValues(_ r: ResultSet) -> ResultSet {
        ResultSet(columns: r.columns, rows: (0..<r.rowCount).map { r.row($0) })
    }

    static func output(_ r: ResultSet, _ write: (ResultSet, inout StringSink) -> Void) -> String {
        var sink = StringSink()
        write(r, &sink)
        return sink.text
    }

    @Test(arguments: ["find contacts show id, first_name, last_name, email order by id",
                      "find contacts show first_name, id * 2 as twice, last_name order by id"])
    func aResultWritesTheSameBytesAsItsCellsAsStrings(_ query: String) throws {
        let result = try Self.session().query(query)
        // The byte path is taken: the names are read in place from the dictionary.
        let name = result.columns.firstIndex { $0.name == "first_name" }!
        #expect(result.withStoredUTF8(row: 1, column: name) { Array($0) } == Array("plain".utf8))
        #expect(result.withStoredUTF8(row: 0, column: result.columns.firstIndex { $0.name == "last_name" }!) { _ in () } == nil)
        let values = Self.asValues(result)
        #expect(values.withStoredUTF8(row: 1, column: name) { _ in () } == nil)
        for format in [OutputFormat.csv, .tsv, .json, .jsonl] {
            let bytes = Self.output(result) { ResultWriter.write($0, as: format, to: &$1) }
            #expect(bytes == Self.output(values) { ResultWriter.write($0, as: format, to: &$1) }, "\(format)")
            #expect(bytes.utf8.count > 200_000)  // more than one block
        }
        for csv in [true, false] {
            let write = { (r: ResultSet, sink: inout StringSink) in
                csv ? DelimitedFormatter.writeCSV(r, neutralise: true, to: &sink) : DelimitedFormatter.writeTSV(r, neutralise: true, to: &sink)
            }
            #expect(Self.output(result, write) == Self.output(values, write))
        }
    }

    @Test func csvOfStoredTextIsQuotedAndDefused() throws {
        let result = try Self.session().query(#"find contacts where first_name in ("Ann \"A\", CEO", "=1+2", "Müller 🚀") show first_name order by id limit 3"#)
        var sink = StringSink()
        DelimitedFormatter.writeCSV(result, neutralise: true, to: &sink)
        #expect(sink.text == "first_name\r\n\"Ann \"\"A\"\", CEO\"\r\nMüller 🚀\r\n\"'=1+2\"\r\n")
    }
}
