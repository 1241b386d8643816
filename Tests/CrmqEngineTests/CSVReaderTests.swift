import Foundation
import Testing
@testable import CrmqEngine

/// `CSVReader`: RFC 4180 and what real files do, the errors it gives, and `CSVRecordWriter`
/// reading back through it.
@Suite struct CSVReaderTests {
    /// Everything a reader gives for a file: its columns, then each record or error in turn.
    struct Read {
        var reader: CSVReader
        var rows: [[String?]] = []
        var lines: [Int] = []
        var errors: [ImportReadError] = []
    }

    static func read(_ bytes: [UInt8], delimiter: UInt8? = nil, encoding: TextEncoding = .utf8) throws -> Read {
        var result = Read(reader: try CSVReader(bytes: bytes, delimiter: delimiter, encoding: encoding))
        var reader = result.reader
        while true {
            do {
                guard let record = try reader.next() else { break }
                result.rows.append(record.cells)
                result.lines.append(record.line)
            } catch {
                result.errors.append(error)
                if error.fatal { break }
            }
        }
        // The end stays the end.
        #expect(try reader.next() == nil)
        return result
    }

    static func read(_ text: String, delimiter: UInt8? = nil) throws -> Read {
        try read(Array(text.utf8), delimiter: delimiter)
    }

    static func error(_ bytes: [UInt8]) -> ImportReadError? {
        do {
            _ = try CSVReader(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Cells and quotes

    @Test func plainRowsGiveTheirCellsAndLines() throws {
        let r = try Self.read("name,email\nAnn,ann@x.org\nBob,bob@x.org\n")
        #expect(r.reader.columns == ["name", "email"])
        #expect(r.reader.delimiter == UInt8(ascii: ","))
        #expect(r.rows == [["Ann", "ann@x.org"], ["Bob", "bob@x.org"]])
        #expect(r.lines == [2, 3])
        #expect(r.errors.isEmpty)
    }

    @Test func quotedCellsHoldDelimitersQuotesAndLineBreaks() throws {
        let r = try Self.read("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\"cr\rinside\",\"crlf\r\ninside\",\"\"\"\"\nnext,row,3\n")
        #expect(r.rows == [["x, y", "say \"hi\"", "two\nlines"], ["cr\rinside", "crlf\r\ninside", "\""], ["next", "row", "3"]])
        // A record's line is where it starts; quoted line breaks count.
        #expect(r.lines == [2, 4, 7])
    }

    @Test func emptyCellsAndOnlyQuotesAreNil() throws {
        let r = try Self.read("a,b,c\n,\"\",x\n,,\n")
        #expect(r.rows == [[nil, nil, "x"], [nil, nil, nil]])
    }

    @Test func cellsAreNotTrimmedButSpacesAroundAQuotedCellAre() throws {
        let r = try Self.read("a,b,c\n  x , \"y, z\" ,  \"q\"\n")
        #expect(r.rows == [["  x ", "y, z", "q"]])
    }

    @Test func aQuoteInsideAnUnquotedCellIsText() throws {
        let r = try Self.read("size,name\n15\" screen,Ann\n")
        #expect(r.rows == [["15\" screen", "Ann"]])
    }

    @Test func textAfterAClosingQuoteIsAnErrorAndTheNextRowReads() throws {
        let r = try Self.read("a,b\n\"x\"y,2\nok,3\n")
        #expect(r.rows == [["ok", "3"]])
        #expect(r.errors.count == 1)
        #expect(r.errors.first?.line == 2)
        #expect(r.errors.first?.message == "text after the closing quote of cell 1")
        #expect(r.errors.first?.fatal == false)
    }

    // MARK: - Line ends and empty lines

    @Test(arguments: ["\r\n", "\n", "\r"])
    func everyLineEndReads(_ end: String) throws {
        let text = ["id,name", "1,Ann", "", "2,Bob"].joined(separator: end) + end
        let r = try Self.read(text)
        #expect(r.reader.columns == ["id", "name"])
        #expect(r.rows == [["1", "Ann"], ["2", "Bob"]])
        #expect(r.lines == [2, 4])
    }

    @Test func noLineEndAtTheEndReads() throws {
        let r = try Self.read("id,name\n1,Ann")
        #expect(r.rows == [["1", "Ann"]])
        let trailing = try Self.read("id,name\n1,")
        #expect(trailing.rows == [["1", nil]])
    }

    @Test func emptyAndBlankLinesAreSkippedAndCounted() throws {
        let r = try Self.read("\n\nid,name\n\n   \n1,Ann\n\r\n\n2,Bob\n\n")
        #expect(r.reader.columns == ["id", "name"])
        #expect(r.rows == [["1", "Ann"], ["2", "Bob"]])
        #expect(r.lines == [6, 9])
    }

    // MARK: - Header

    @Test func aBOMIsStrippedAndHeaderCellsAreTrimmed() throws {
        let r = try Self.read([0xEF, 0xBB, 0xBF] + Array(" First Name ,\"E-mail\" ,\tPhone\nAnn,a@x,1\n".utf8))
        #expect(r.reader.columns == ["First Name", "E-mail", "Phone"])
        #expect(r.rows == [["Ann", "a@x", "1"]])
    }

    @Test func aBOMAfterEmptyLinesIsNotPartOfTheFirstColumn() throws {
        let r = try Self.read(Array("\r\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("id;name\n1;x\n".utf8))
        #expect(r.reader.columns == ["id", "name"])
        #expect(r.reader.delimiter == UInt8(ascii: ";"))
    }

    @Test func onlyAHeaderHasNoRecords() throws {
        let r = try Self.read("id,name\n")
        #expect(r.reader.columns == ["id", "name"])
        #expect(r.rows.isEmpty && r.errors.isEmpty)
        #expect(try Self.read("id,name").rows.isEmpty)
    }

    @Test(arguments: [[], Array("\n\n  \r\n".utf8), [0xEF, 0xBB, 0xBF], [0xEF, 0xBB, 0xBF, 0x0A]])
    func anEmptyFileIsAnError(_ bytes: [UInt8]) throws {
        let error = try #require(Self.error(bytes))
        #expect(error.message.hasPrefix("the file is empty"))
        #expect(error.fatal)
        #expect(error.hint != nil)
    }

    @Test func shortAndLongRowsComeAsTheyAre() throws {
        let r = try Self.read("a,b,c\n1,2\n1,2,3,4\nx\n")
        #expect(r.rows == [["1", "2"], ["1", "2", "3", "4"], ["x"]])
    }

    @Test func spreadsheetsAndUTF16AreRefusedByName() throws {
        let zip = try #require(Self.error([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]))
        #expect(zip.message.contains("ZIP archive") && zip.fatal)
        let utf16 = try #require(Self.error([0xFF, 0xFE, 0x61, 0x00]))
        #expect(utf16.message.contains("UTF-16") && utf16.fatal)
    }

    // MARK: - Delimiter

    @Test(arguments: [
        ("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"),
        ("a;b,c", ","),             // tie: comma
        ("a;b\tc", ","),            // tie between the others: comma
        ("a;b;c,d", ";"), ("a\tb\tc;d,e", "\t"),
        ("\"x,y,z\";b", ";"),       // inside quotes does not count
        ("single", ","),
    ])
    func theDelimiterIsDetectedFromTheHeader(_ header: String, _ expected: String) throws {
        let r = try Self.read(header + "\n")
        #expect(r.reader.delimiter == UInt8(ascii: Unicode.Scalar(expected)!))
    }

    @Test func aGivenDelimiterWins() throws {
        let r = try Self.read("a,b;c\n1,2;3\n", delimiter: UInt8(ascii: ";"))
        #expect(r.reader.columns == ["a,b", "c"])
        #expect(r.rows == [["1,2", "3"]])
    }

    @Test func semicolonAndTabFilesRead() throws {
        let semi = try Self.read("Name;Betrag\n\"Müller; GmbH\";1.234,50\n")
        #expect(semi.rows == [["Müller; GmbH", "1.234,50"]])
        let tsv = try Self.read("a\tb\n  x\t\"y\tz\"\n")
        #expect(tsv.rows == [["  x", "y\tz"]])
    }

    // MARK: - Encodings

    @Test func invalidUTF8IsAnErrorWithLineColumnAndHintAndReadingGoesOn() throws {
        let bytes = Array("name,city\nAnn,Köln\n".utf8) + Array("Bob,K".utf8) + [0xF6] + Array("ln\nCid,Bonn\n".utf8)
        let r = try Self.read(bytes)
        #expect(r.rows == [["Ann", "Köln"], ["Cid", "Bonn"]])
        #expect(r.lines == [2, 4])
        let error = try #require(r.errors.first)
        #expect(error.line == 3)
        #expect(error.message == "invalid UTF-8 at column 6: byte 0xF6 is not part of a UTF-8 character")
        #expect(error.hint == "add encoding latin1 to read a Latin-1 file")
        #expect(!error.fatal)
    }

    @Test func invalidUTF8InAQuotedCellNamesItsOwnLine() throws {
        let bytes = Array("a,b\n1,\"x\ny".utf8) + [0xC3, 0x28] + Array("\"\n".utf8)
        let r = try Self.read(bytes)
        #expect(r.errors.first?.line == 3)
        #expect(r.errors.first?.message.hasPrefix("invalid UTF-8 at column 2:") == true)
        #expect(r.rows.isEmpty)
    }

    @Test func invalidUTF8InTheHeaderIsFatal() throws {
        let error = try #require(Self.error(Array("na".utf8) + [0xFF] + Array("me\n".utf8)))
        #expect(error.fatal && error.line == 1)
    }

    @Test func latin1Decodes() throws {
        // "Straße;Köln;€5" in Windows-1252 / Latin-1, with a quoted cell holding a doubled quote.
        let bytes: [UInt8] = Array("street;city;price\n".utf8) + [0x53, 0x74, 0x72, 0x61, 0xDF, 0x65, 0x3B,
            0x22, 0x4B, 0xF6, 0x6C, 0x6E, 0x22, 0x22, 0x22, 0x3B, 0x80, 0x35, 0x0A]
        let r = try Self.read(bytes, encoding: .latin1)
        #expect(r.rows == [["Straße", "Köln\"", "€5"]])
        #expect(r.errors.isEmpty)
        // The same bytes as UTF-8 are an error.
        #expect(try Self.read(bytes).errors.count == 1)
    }

    // MARK: - Unterminated quotes

    @Test func aQuoteNeverClosedIsFatalAndNamesTheLineItOpened() throws {
        let r = try Self.read("a,b\n1,2\n3,\"open\n4,5\n6,7\n")
        #expect(r.rows == [["1", "2"]])
        let error = try #require(r.errors.first)
        #expect(error.fatal)
        #expect(error.line == 3)
        #expect(error.message == "a quote opened in cell 2 is never closed")
        #expect(r.errors.count == 1)
    }

    @Test func aQuoteOpenedOnALaterLineOfARecordNamesBoth() throws {
        let r = try Self.read("a,b,c\n\"x\ny\",\"open\n1,2,3\n")
        let error = try #require(r.errors.first)
        #expect(error.line == 3 && error.fatal)
        #expect(error.message == "a quote opened in cell 2 is never closed (the record starts on line 2)")
    }

    @Test func aQuoteNeverClosedInTheHeaderIsFatal() throws {
        let error = try #require(Self.error(Array("a,\"b\n1,2\n".utf8)))
        #expect(error.fatal && error.line == 1)
    }

    // MARK: - Writer round trip

    @Test func theWriterQuotesWhatNeedsIt() {
        let comma = UInt8(ascii: ",")
        #expect(CSVRecordWriter.line(["a", nil, "", "b c"], delimiter: comma) == "a,,,b c\n")
        #expect(CSVRecordWriter.line(["x,y", "say \"hi\"", "two\nlines", " pad"], delimiter: comma)
            == "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad\"\n")
        #expect(CSVRecordWriter.line(["x,y", "a;b"], delimiter: UInt8(ascii: ";")) == "x,y;\"a;b\"\n")
        #expect(CSVRecordWriter.line([nil], delimiter: comma) == "\"\"\n")
    }

    /// Random cells of every awkward kind, written and read back, in every delimiter.
    @Test func whatTheWriterWritesReadsBackEqual() throws {
        var generator = DiffRandom(seed: 11)
        let pieces = ["a", "Zoë", "東京", "🙂", "\"", "\"\"", ",", ";", "\t", "\n", "\r", "\r\n", " ", "x y", "=1", "é"]
        for delimiter in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")] {
            for _ in 0..<200 {
                let width = Int(generator.next() % 6) + 1
                let header = (0..<width).map { "c\($0)" }
                var rows: [[String?]] = []
                for _ in 0..<Int(generator.next() % 5) {
                    rows.append((0..<width).map { _ in
                        let length = Int(generator.next() % 5)
                        let text = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
                        return text.isEmpty ? nil : text
                    })
                }
                let file = ([header.map { Optional($0) }] + rows).map { CSVRecordWriter.line($0, delimiter: delimiter) }.joined()
                let r = try Self.read(Array(file.utf8), delimiter: delimiter)
                #expect(r.reader.columns == header)
                #expect(r.errors.isEmpty)
                #expect(r.rows == rows, "file: \(file.debugDescription)")
                // Detected, the delimiter is the one written (the header has one per column gap).
                if width > 1 { #expect(try Self.read(Array(file.utf8)).reader.delimiter == delimiter) }
            }
        }
    }

    // MARK: - ImportFileBytes

    @Test func fileBytesReadWholeAndRefuseMissingFilesAndDirectories() throws {
        let dir = NSTemporaryDirectory() + "crmq-csv-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/people.csv"
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try ImportFileBytes.read(path) == bytes)
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.csv"))
        #expect(try ImportFileBytes.read(dir + "/empty.csv") == [])

        #if os(Linux)
        // A file whose size says 0 but which has bytes (as a pipe): read to its end all the same.
        #expect(try ImportFileBytes.read("/proc/self/status").starts(with: Array("Name:".utf8)))
        #endif

        #expect { try ImportFileBytes.read(dir + "/nope.csv") } throws: { error in
            guard let error = error as? DataFileError else { return false }
            return error.kind == .io(errno: ENOENT) && error.message == "cannot open \"\(dir)/nope.csv\": no such file or directory"
        }
        #expect { try ImportFileBytes.read(dir) } throws: { error in
            guard let error = error as? DataFileError else { return false }
            return error.kind == .io(errno: EISDIR) && error.message.hasSuffix("it is a directory")
        }
    }
}
