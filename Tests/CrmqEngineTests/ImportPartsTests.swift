import Testing
@testable import CrmqEngine

/// Reading a CSV file in parts at once (`Importer.run(_:parts:minimumBytes:)`) gives exactly what
/// reading it in one go gives: the same changes, bad rows, lines and messages, whatever the cuts
/// fall on (quoted line breaks, CRLF, empty lines, broken records, an unterminated quote).
@Suite struct ImportPartsTests {
    static let cells: [String] = [
        "Plain deal", "\"Quoted, with comma\"", "\"Two\nlines\"", "\"CR\r\nLF inside\"", "\"say \"\"hi\"\"\"", "",
        "  \"spaced\"  ", "Ærø Fisk – Ålesund", "12", "12x", "1,234.50", "2026-02-28", "2026-13-01", "Qualification",
        "Negotiaton", "Acme Retail AS", "acme retail as", "Nobody AS", "1", "99", "\"\"", "\"\n\n\"", "a\"b",
    ]
    static let endings = ["\n", "\r\n", "\n\n", "\n  \n", "\r\n\r\n"]

    /// A random file of opportunities: the header, then rows of cells drawn from `cells` (some
    /// rows a cell short or long), ending in an unterminated quote now and then.
    static func file(_ random: inout DiffRandom) -> [UInt8] {
        var text = "name,account,value,close_date,stage\n"
        for _ in 0..<random.int(in: 0...60) {
            let width = random.chance(0.05) ? random.int(in: 1...7) : 5
            text += (0..<width).map { _ in random.pick(cells) }.joined(separator: ",")
            text += random.pick(endings)
        }
        if random.chance(0.1) { text += "Open,\"never closed\n1,2,3\n" }
        return Array(text.utf8)
    }

    /// The outcome as text: changes, rejects and notes, or the error with its notes.
    static func outcome(_ statement: String, _ bytes: [UInt8], parts: Int?) throws -> String {
        let db = TinyCRM.build()
        let bound = try ImportTests.bind(statement, db)
        let importer = Importer(db: db, bound: bound, now: 1_000_000, user: 1, rules: ExitRules(entries: []))
        let reader = try CSVReader(bytes: bytes)
        do throws(Diagnostic) {
            let o: Importer.Outcome
            if let parts {
                o = try importer.run(reader, parts: parts, minimumBytes: 1)
            } else {
                var source = reader
                o = try importer.run(&source)
            }
            return "\(o.changes)\n\(o.created) \(o.updated)\n"
                + o.rejects.map { "\($0.text) \($0.hint ?? "") \($0.cells)" }.joined(separator: "\n")
        } catch {
            return ([error.message, error.hint ?? ""] + error.notes).joined(separator: "\n")
        }
    }

    @Test func partsGiveWhatOneReaderGives() throws {
        var random = DiffRandom(seed: 11)
        var split = 0
        for n in 0..<300 {
            let bytes = ImportPartsTests.file(&random)
            let statement = "import opportunities from \"x.csv\"" + (n % 2 == 0 ? " skip bad rows" : "")
            let whole = try ImportPartsTests.outcome(statement, bytes, parts: nil)
            if try CSVReader(bytes: bytes).parts(3, minimumBytes: 1).count > 1 { split += 1 }
            for parts in 2...5 {
                let inParts = try ImportPartsTests.outcome(statement, bytes, parts: parts)
                #expect(inParts == whole, "case \(n), \(parts) parts:\n\(String(decoding: bytes, as: UTF8.self))")
                if inParts != whole { return }
            }
        }
        #expect(split > 250)
    }

    @Test func aCutInsideAQuotedCellIsReadAgain() throws {
        // Every line break but the header's is inside quotes: every cut is a wrong guess.
        let rows = (1...40).map { "\"deal\n\($0)\",,\($0)" }.joined(separator: "\n")
        let bytes = Array(("name,account,value\n" + rows + "\n").utf8)
        let reader = try CSVReader(bytes: bytes)
        #expect(reader.parts(4, minimumBytes: 1).count == 4)
        let statement = "import opportunities from \"x.csv\""
        #expect(try ImportPartsTests.outcome(statement, bytes, parts: 4) == ImportPartsTests.outcome(statement, bytes, parts: nil))
        let bad = Array(("name,account,value\n" + rows + "\n\"x\n\ny\",,7z\n").utf8)
        let m = try ImportPartsTests.outcome(statement, bad, parts: 4)
        #expect(m.contains("\"x.csv\":82, column \"value\": \"7z\" is not a number"), "\(m)")
    }

    @Test func aNameOfARowInAnotherPartResolves() throws {
        var session = Session(database: TinyCRM.build(), settings: Session.Settings(today: TinyCRM.today))
        var console = TranscriptConsole()
        _ = session.run(SourceText(name: "t", text: "add field parent to accounts as reference to accounts"), on: &console)
        let db = session.database
        let rows = (0..<50).map { "Child \($0),Parent Holding" } + ["Parent Holding,"]
        let bytes = Array(("name,parent\n" + rows.joined(separator: "\n")).utf8)
        let bound = try ImportTests.bind("import accounts from \"x.csv\"", db)
        let importer = Importer(db: db, bound: bound, now: 1_000_000, user: 1, rules: ExitRules(entries: []))
        let reader = try CSVReader(bytes: bytes)
        #expect(reader.parts(2, minimumBytes: 1).count == 2)
        var one = reader
        let whole = try importer.run(&one)
        let inParts = try importer.run(reader, parts: 2, minimumBytes: 1)
        #expect(inParts.changes == whole.changes)
        var after = db
        after.apply(inParts.changes)
        let a = after["accounts"]
        let parent = a.entity.fieldIndex("parent")!
        #expect(a.columns[parent].integers[a.row(ofId: 4)!] == 54)
    }

    @Test func aSmallFileIsOnePart() throws {
        let reader = try CSVReader(bytes: Array("name\na\nb\nc\n".utf8))
        #expect(reader.parts(2, minimumBytes: 4).count == 1)
        #expect(reader.parts(2, minimumBytes: 2).count == 2)
        #expect(reader.parts(1, minimumBytes: 1).count == 1)
    }
}

/// `TextColumn.append(interning:)`, the bulk append of an import's text column, gives the codes
/// and dictionary that appending one text at a time gives.
@Suite struct TextColumnBulkAppendTests {
    static let texts: [String?] = [nil, "a", "b", "Ærø", "e\u{301}", "\u{E9}", "–", "a", "x\u{300}", "b", nil, "Ærø"]

    static func compare(_ start: TextColumn, _ random: inout DiffRandom) {
        let run = (0..<random.int(in: 0...200)).map { _ in random.pick(texts) ?? (random.chance(0.3) ? nil : "n\(random.int(50))") }
        var one = start, bulk = start
        for t in run { one.append(t) }
        bulk.append(interning: run)
        #expect(bulk.codes == one.codes)
        #expect(bulk.dictionary == one.dictionary)
        // Both go on interning alike.
        one.append("a")
        bulk.append("a")
        #expect(bulk.codes.last == one.codes.last)
    }

    @Test func bulkAppendEqualsOneByOne() {
        var random = DiffRandom(seed: 5)
        for _ in 0..<200 {
            Self.compare(TextColumn(), &random)
            // A column as a snapshot gives it: no lookup built yet, a text twice in the dictionary.
            Self.compare(TextColumn(codes: [0, 1, 2, -1], dictionary: ["a", "Ærø", "a"]), &random)
            Self.compare(TextColumn(codes: [0], dictionary: ["e\u{301}"]), &random)
        }
    }
}

/// `Collection.append(_:parallelAbove:)` grows its columns on every core at once: the collection
/// is the one that appending on one core gives, and the one appending record by record gives.
@Suite struct InsertRunParallelAppendTests {
    @Test func parallelAppendEqualsSerial() throws {
        let rows = (1...300).map { n in "Deal \(n % 97),\(n % 3 + 1),\(n * 10),2026-0\(n % 9 + 1)-1\(n % 10)" }
        let outcome = try ImportTests.importing("import opportunities from \"x.csv\" without history",
                                                "name,account,value,close_date\n" + rows.joined(separator: "\n"))
        let batches = outcome.changes.compactMap { if case .insertBatch("opportunities", let b) = $0 { b } else { nil } }
        #expect(batches.count == 1 && batches.first?.count == 300)
        let batch = try #require(batches.first)
        let start = TinyCRM.build()["opportunities"]
        var serial = start, parallel = start, single = start
        serial.append(batch, parallelAbove: .max)
        parallel.append(batch, parallelAbove: 0)
        for case .insert(_, let id, let values) in batch.rows(entity: "opportunities") { single.append(id: id, values) }
        #expect(single.count == start.count + 300)
        for f in start.columns.indices {
            switch (serial.columns[f], single.columns[f]) {
            case (.integers(let a), .integers(let b)): #expect(a == b, "field \(f)")
            case (.text(let a), .text(let b)): #expect(a.codes == b.codes && a.dictionary == b.dictionary, "field \(f)")
            default: Issue.record("field \(f) changed its kind")
            }
        }
        #expect(parallel.count == start.count + 300)
        #expect(parallel.nextId == serial.nextId)
        for f in start.columns.indices {
            switch (serial.columns[f], parallel.columns[f]) {
            case (.integers(let a), .integers(let b)): #expect(a == b, "field \(f)")
            case (.text(let a), .text(let b)): #expect(a.codes == b.codes && a.dictionary == b.dictionary, "field \(f)")
            default: Issue.record("field \(f) changed its kind")
            }
        }
        for id in Int64(1)..<serial.nextId { #expect(parallel.row(ofId: id) == serial.row(ofId: id)) }
    }
}
