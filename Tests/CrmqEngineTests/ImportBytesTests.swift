import Testing
@testable import CrmqEngine

/// An import reads cells as bytes into one buffer and converts the usual ones from there: the
/// answers are those of reading cells as Strings and converting each with `ImportValues.convert`.
@Suite struct ImportBytesTests {
    /// A source that gives only Strings: the importer reads it through the protocol's own
    /// `next(into:)`, the path every source but CSV takes.
    struct StringsOnly: ImportRecordSource {
        var base: CSVReader
        var columns: [String] { base.columns }
        mutating func next() throws(ImportReadError) -> ImportRecord? { try base.next() }
    }

    static let cells: [String] = [
        "12", " 12", "12 ", "-7", "+7", "1,234.50", "1.234,50", "12.5", "12.345", "0", "00", "007", "1e3", "",
        "9223372036854775807", "99999999999999999999", "2026-02-28", "2026-02-30", "2026-2-3", "28.02.2026",
        "2026-02-28T10:30:00Z", "2026-02-28 10:30", "2026-02-28T25:00", "2026-02-28X", "Qualification",
        "qualification", "QUALIFICATION", "Negotiaton", "Closed Won", "closed won", "Ærø", "e\u{301}", "é", "'=1+1",
        "'-", "true", "Yes", "n", "50%", "100", "101", "12 %", "\u{A0}5", "5\u{A0}", "1 234,50", "Acme Retail AS",
        "1", "2", "99", "-1", "3.0", "\t4",
    ]

    /// Every non-text field of every entity, for every cell above, with and without decimal comma
    /// and a date format: where the quick conversion answers, `convert` gives the same integer.
    @Test func quickConversionsAreConvertsAnswers() throws {
        let db = TinyCRM.build()
        var answered = 0
        for comma in [false, true] {
            for format in [nil, ImportDateFormat("dd.mm.yyyy")] {
                let values = ImportValues(schema: db.schema, decimalComma: comma, dateFormat: format)
                for def in db.schema.entities {
                    let quick = QuickValues(values, def: def)
                    for (f, field) in def.fields.enumerated() where f > 0 && !field.type.isText {
                        for cell in Self.cells where !cell.isEmpty {
                            var c = cell
                            let fast = c.withUTF8 { quick.integer($0, field: f) }
                            guard let fast else { continue }
                            answered += 1
                            guard case .value(.integer(let slow)) = values.convert(cell, field) else {
                                Issue.record("\(field.name) \(cell): quick \(fast), convert does not give a value")
                                continue
                            }
                            #expect(fast == slow, "\(def.name).\(field.name) \"\(cell)\"")
                        }
                    }
                }
            }
        }
        // The test looks at something: most of the usual forms answer quickly.
        #expect(answered > 100)
        // A text cell is kept as its bytes, less a neutralising quote: as `convert` keeps it.
        let values = ImportValues(schema: db.schema, decimalComma: false, dateFormat: nil)
        let name = db["accounts"].entity.fields[db["accounts"].entity.fieldIndex("name")!]
        for cell in Self.cells + ["'=SUM(A1)", "'@x", "'+", "''=", "'\t1", "'"] where !cell.isEmpty {
            var c = cell
            let kept = c.withUTF8 { b in String(decoding: UnsafeBufferPointer(rebasing: b[(QuickValues.neutralised(b) ? 1 : 0)...]), as: UTF8.self) }
            guard case .value(.text(let t?)) = values.convert(cell, name) else {
                Issue.record("\(cell): convert gives no text")
                continue
            }
            #expect(t == kept, "\(cell)")
        }
    }

    /// The same files imported through bytes (CSV's own reader) and through Strings give the same
    /// changes, bad rows, lines and messages.
    @Test func bytesAndStringsImportTheSame() throws {
        var random = DiffRandom(seed: 23)
        for n in 0..<200 {
            let bytes = ImportPartsTests.file(&random)
            let statement = "import opportunities from \"x.csv\"" + (n % 2 == 0 ? " skip bad rows" : "")
                + (n % 3 == 0 ? " set type = \"existing customer\"" : "")
            let db = TinyCRM.build()
            let bound = try ImportTests.bind(statement, db)
            func run(_ strings: Bool) throws -> String {
                let reader = try CSVReader(bytes: bytes)
                let importer = Importer(db: db, bound: bound, now: 1_000_000, user: 1, rules: ExitRules(entries: []))
                do throws(Diagnostic) {
                    let o: Importer.Outcome
                    if strings {
                        var source = StringsOnly(base: reader)
                        o = try importer.run(&source)
                    } else {
                        var source = reader
                        o = try importer.run(&source)
                    }
                    return "\(o.changes)\n\(o.created) \(o.updated)\n" + o.rejects.map { "\($0.text) \($0.cells)" }.joined(separator: "\n")
                } catch {
                    return ([error.message, error.hint ?? ""] + error.notes).joined(separator: "\n")
                }
            }
            let viaBytes = try run(false), viaStrings = try run(true)
            #expect(viaBytes == viaStrings, "case \(n):\n\(String(decoding: bytes, as: UTF8.self))")
            if viaBytes != viaStrings { return }
        }
    }

    /// A record's cells read into a `TextRun` are the cells `next()` gives, in a Latin-1 file and
    /// with invalid UTF-8 too.
    @Test func cellsIntoARunAreTheCells() throws {
        var random = DiffRandom(seed: 31)
        for _ in 0..<200 {
            var bytes = ImportPartsTests.file(&random)
            if random.chance(0.3), bytes.count > 40 { bytes.insert(0xE9, at: random.int(in: 40...bytes.count)) }
            for encoding in [TextEncoding.utf8, .latin1] {
                guard var strings = try? CSVReader(bytes: bytes, encoding: encoding) else { continue }
                var runs = strings
                var cells = TextRun()
                while true {
                    let a: Result<ImportRecord?, ImportReadError>
                    let b: Result<Int?, ImportReadError>
                    do throws(ImportReadError) { a = .success(try strings.next()) } catch { a = .failure(error) }
                    do throws(ImportReadError) { b = .success(try runs.next(into: &cells)) } catch { b = .failure(error) }
                    switch (a, b) {
                    case (.success(let record?), .success(let line?)):
                        #expect(record.line == line && record.cells == cells.all)
                    case (.success(nil), .success(nil)):
                        break
                    case (.failure(let x), .failure(let y)):
                        #expect(x == y)
                        if x.fatal { break }
                        continue
                    default:
                        Issue.record("\(a) against \(b)")
                    }
                    if case .success(nil) = a { break }
                    if case .failure = a { break }
                }
            }
        }
    }
}

/// `TextRun`: texts and nulls in one buffer.
@Suite struct TextRunTests {
    @Test func textsNullsAndEmptyTextsKeepTheirPlaces() {
        let texts: [String?] = ["Ærø", nil, "", "deal", nil, "e\u{301}"]
        var run = TextRun(texts)
        #expect(run.all == texts)
        #expect(run.count == 6 && run.isNull(1) && !run.isNull(2))
        run.append(contentsOf: TextRun([nil, "x"]))
        #expect(run.all == texts + [nil, "x"])
        #expect(run.picking([7, 1, 0]).all == ["x", nil, "Ærø"])
        var seen: [String?] = []
        run.forEach { _, b in seen.append(b.map { String(decoding: $0, as: UTF8.self) }) }
        #expect(seen == run.all)
        run.withSpans { bytes, ends in
            for i in 0..<run.count {
                #expect(TextRun.cell(i, in: (bytes, ends)).map { String(decoding: $0, as: UTF8.self) } == run[i])
            }
        }
        run.removeAll()
        #expect(run.count == 0 && run.all.isEmpty)
    }

    /// The ids of a batch count as existing for the changes after it, until one deletes them.
    @Test func aBatchsIdsExistForLaterChanges() throws {
        let db = TinyCRM.build()
        let def = db["accounts"].entity
        let first = db["accounts"].nextId
        let changes = JournalBatchTests.inserts(db, 20)
        let batch = try #require(InsertBatch(changes, textFields: def.fields.dropFirst().map(\.type.isText)))
        let name = def.fieldIndex("name")!
        let insert = DataChange.insertBatch(entity: "accounts", batch: batch)
        #expect(db.problem(applying: [insert, .assign(entity: "accounts", field: name, value: .text("x"), ids: [first + 19])]) == nil)
        #expect(db.problem(applying: [insert, .delete(entity: "accounts", ids: [first + 3]),
                                      .assign(entity: "accounts", field: name, value: .text("x"), ids: [first + 3])])?
                    .contains("does not exist") == true)
        #expect(db.problem(applying: [insert, .assign(entity: "accounts", field: name, value: .text("x"), ids: [first + 20])])?
                    .contains("does not exist") == true)
    }
}
