import Foundation
import Testing
@testable import CrmqEngine

/// `export QUERY to "FILE"`: the file's text, formula neutralising, vCards, and how the file is written.
@Suite struct ExportTests {
    /// A fresh directory of its own for each test.
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "crmq-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func run(_ session: inout Session, _ text: String, cancellation: Cancellation = .none) -> (Session.Outcome, String) {
        var console = TranscriptConsole()
        let outcome = session.run(SourceText(name: "test", text: text), on: &console, cancellation: cancellation)
        return (outcome, console.transcript)
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    // MARK: - Formula neutralising

    @Test(arguments: ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
    func aFormulaCellGetsAQuoteAndIsQuoted(_ cell: String) {
        #expect(FormulaGuard.isFormula(cell))
        #expect(FormulaGuard.csvField(cell) == "\"'" + cell + "\"")
        #expect(FormulaGuard.tsvField(cell).hasPrefix("'"))
    }

    @Test func otherCellsAreAsTheyWere() {
        for cell in ["", "abc", "a=b", "1-2", " =x", "Ann \"A\", CEO"] {
            #expect(!FormulaGuard.isFormula(cell))
            #expect(FormulaGuard.csvField(cell) == DelimitedFormatter.csvField(cell))
        }
        #expect(FormulaGuard.csvField("=\"x\"") == "\"'=\"\"x\"\"\"")
    }

    @Test func textIsNeutralisedNumbersAreNotAndRawWritesAsIs() throws {
        let dir = try ExportTests.directory()
        var session = TinyCRM.session()
        let setup = """
            create account name = "=HYPERLINK(\\"http://x\\")", industry = "Retail"
            create account name = "-minus", industry = "Retail"
            """
        #expect(ExportTests.run(&session, setup).0 == .success)
        let query = "find accounts where name in (\"-minus\", \"=HYPERLINK(\\\"http://x\\\")\") show name, 0 - employees as neg, -5 as five order by name"
        let (outcome, text) = ExportTests.run(&session, "export \(query) to \"\(dir)/a.csv\"\nexport \(query) to \"\(dir)/raw.csv\" raw\nexport \(query) to \"\(dir)/a.tsv\"")
        #expect(outcome == .success, "\(text)")
        let csv = try ExportTests.read(dir + "/a.csv")
        #expect(csv == "name,neg,five\r\n\"'-minus\",,-5\r\n\"'=HYPERLINK(\"\"http://x\"\")\",,-5\r\n")
        let raw = try ExportTests.read(dir + "/raw.csv")
        #expect(raw == "name,neg,five\r\n-minus,,-5\r\n\"=HYPERLINK(\"\"http://x\"\")\",,-5\r\n")
        let tsv = try ExportTests.read(dir + "/a.tsv")
        #expect(tsv == "name\tneg\tfive\n'-minus\t\t-5\n'=HYPERLINK(\"http://x\")\t\t-5\n")
    }

    // MARK: - The file's text

    @Test(arguments: [OutputFormat.csv, .tsv, .json, .jsonl])
    func theFileIsWhatTheFormatPrints(_ format: OutputFormat) throws {
        let dir = try ExportTests.directory()
        var session = TinyCRM.session()
        for query in ["find contacts show *", "count, sum value of opportunities by stage, account.name"] {
            let path = "\(dir)/rows.\(format.rawValue)"
            let (outcome, text) = ExportTests.run(&session, "export \(query) to \"\(path)\" replace")
            #expect(outcome == .success, "\(text)")
            let result = try session.query(query)
            #expect(text == "exported \(result.rowCount) rows to \"\(path)\"\n")
            var sink = StringSink()
            ResultWriter.write(result, as: format, to: &sink)
            #expect(try ExportTests.read(path) == sink.text)
        }
    }

    @Test func aCSVReadBackHoldsTheQueryRows() throws {
        let dir = try ExportTests.directory()
        var session = TinyCRM.session()
        let setup = "create contact first_name = \"Ann, \\\"the\\\" boss\", last_name = \"Line\\nBreak\", email = \"ann@x.example\""
        #expect(ExportTests.run(&session, setup).0 == .success)
        let query = "find contacts show * order by id"
        #expect(ExportTests.run(&session, "export \(query) to \"\(dir)/c.csv\"").0 == .success)
        let rows = ReferenceCSV.parse(try ExportTests.read(dir + "/c.csv"))
        let result = try session.query(query)
        #expect(rows.first == result.columns.map(\.name))
        #expect(Array(rows.dropFirst()) == result.plainRows)
        #expect(rows.count == result.rowCount + 1 && result.rowCount >= 6)
    }

    // MARK: - vCard

    @Test func vCardValuesAreEscaped() {
        #expect(VCardWriter.escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf")
    }

    @Test func longLinesAreFoldedAt75OctetsWithoutSplittingACharacter() {
        for value in [String(repeating: "x", count: 200), String(repeating: "ø", count: 100), String(repeating: "a😀", count: 40)] {
            let folded = VCardWriter.fold("NOTE:" + value)
            #expect(folded.hasSuffix("\r\n"))
            let body = String(folded.dropLast())  // the last "\r\n", one Character
            let lines = body.components(separatedBy: "\r\n")
            #expect(lines.count > 1)
            for line in lines { #expect(line.utf8.count <= 75) }
            for line in lines.dropFirst() { #expect(line.hasPrefix(" ")) }
            #expect(body.replacingOccurrences(of: "\r\n ", with: "") == "NOTE:" + value)
        }
        #expect(VCardWriter.fold("FN:Ann") == "FN:Ann\r\n")
    }

    @Test func contactsBecomeCards() throws {
        let dir = try ExportTests.directory()
        var session = TinyCRM.session()
        let (outcome, text) = ExportTests.run(&session, "export find contacts where id in (1, 5) to \"\(dir)/c.vcf\"")
        #expect(outcome == .success, "\(text)")
        #expect(text == "exported 2 rows to \"\(dir)/c.vcf\"\n")
        let vcf = try ExportTests.read(dir + "/c.vcf")
        #expect(vcf == """
            BEGIN:VCARD\r
            VERSION:4.0\r
            FN:Kari Nordmann\r
            N:Nordmann;Kari;;;\r
            EMAIL:kari@acme.no\r
            TITLE:CEO\r
            ORG:Acme Retail AS\r
            ADR:;;;;;;Norway\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:4.0\r
            FN:Lone Smith\r
            N:Smith;Lone;;;\r
            EMAIL:lone.smith@gmail.com\r
            TITLE:Consultant\r
            END:VCARD\r

            """)
    }

    // MARK: - Writing the file

    @Test func anExistingFileIsKeptUnlessReplaceIsGiven() throws {
        let dir = try ExportTests.directory()
        let path = dir + "/a.csv"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        var session = TinyCRM.session()
        let (outcome, text) = ExportTests.run(&session, "export find accounts to \"\(path)\"")
        #expect(outcome == .failed)
        #expect(text.contains("\"\(path)\" already exists") && text.contains("replace"))
        #expect(try ExportTests.read(path) == "old")
        #expect(ExportTests.run(&session, "export find accounts to \"\(path)\" replace").0 == .success)
        #expect(try ExportTests.read(path).hasPrefix("id,"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.csv"])
    }

    @Test func theFileIsReadableByItsOwnerOnly() throws {
        let dir = try ExportTests.directory()
        var session = TinyCRM.session()
        for name in ["new.csv", "old.json"] {
            if name.hasPrefix("old") {
                FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(), attributes: [.posixPermissions: 0o644])
            }
            #expect(ExportTests.run(&session, "export find accounts to \"\(dir)/\(name)\" replace").0 == .success)
            let mode = try FileManager.default.attributesOfItem(atPath: dir + "/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func aCancelledExportLeavesTheOldFile() throws {
        let dir = try ExportTests.directory()
        let path = dir + "/a.csv"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        var session = TinyCRM.session()
        let token = CancellationToken()
        token.cancel()
        let (outcome, text) = ExportTests.run(&session, "export find accounts to \"\(path)\" replace", cancellation: Cancellation(token))
        #expect(outcome == .failed && text.contains("cancelled"))
        #expect(try ExportTests.read(path) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.csv"])
    }

    @Test func aFileHalfWrittenThenCancelledIsNotRenamed() throws {
        let dir = try ExportTests.directory()
        let path = dir + "/a.csv"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        let token = CancellationToken()
        var file = try ExportFile(path: path, replace: true, cancellation: Cancellation(token))
        file.write(String(repeating: "new,row\r\n", count: 300_000))  // past the buffer: on the disk
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 2)
        token.cancel()
        #expect(file.isCancelled)
        file.abandon()
        #expect(try ExportTests.read(path) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.csv"])
    }

    @Test func aFileMadeWhileTheExportRanIsNotWrittenOver() throws {
        let dir = try ExportTests.directory()
        let path = dir + "/a.csv"
        var file = try ExportFile(path: path, replace: false, cancellation: .none)
        file.write("new\r\n")
        try "theirs".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: DataFileError.self) { try file.commit() }
        #expect(try ExportTests.read(path) == "theirs")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.csv"])
    }

    @Test func aMissingDirectoryIsAnErrorOnTheFileName() throws {
        let dir = try ExportTests.directory()
        var session = TinyCRM.session()
        let (outcome, text) = ExportTests.run(&session, "export find accounts to \"\(dir)/missing/a.csv\"")
        #expect(outcome == .failed)
        #expect(text.contains("no such file or directory") && text.contains("^^^"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/missing"))
    }

    @Test func aSessionWithoutFilesRefusesExport() throws {
        var settings = Session.Settings(today: TinyCRM.today)
        settings.allowsFiles = false
        var session = Session(database: TinyCRM.build(), settings: settings)
        let (outcome, text) = ExportTests.run(&session, "export find accounts to \"/tmp/crmq-never.csv\"")
        #expect(outcome == .failed && text.contains("may not read or write files"))
    }
}

/// A small RFC 4180 reader: quoted fields with doubled quotes, separators and line breaks inside.
enum ReferenceCSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, afterQuote = false
        var scalars = Array(text.unicodeScalars)[...]
        while let u = scalars.popFirst() {
            if quoted {
                if u == "\"" {
                    if scalars.first == "\"" { scalars.removeFirst(); field.unicodeScalars.append(u) } else { quoted = false; afterQuote = true }
                } else {
                    field.unicodeScalars.append(u)
                }
                continue
            }
            switch u {
            case "\"" where field.isEmpty && !afterQuote: quoted = true
            case ",": row.append(field); field = ""; afterQuote = false
            case "\r" where scalars.first == "\n":
                scalars.removeFirst()
                row.append(field); rows.append(row); row = []; field = ""; afterQuote = false
            default: field.unicodeScalars.append(u)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
