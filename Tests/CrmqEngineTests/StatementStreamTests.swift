import Foundation
import Testing
@testable import CrmqEngine

/// A script read a block at a time must run exactly as the whole text did, piece by piece, and hand
/// each statement out as soon as the input holds all of it.
@Suite struct StatementStreamTests {
    /// Feeds `text` in blocks of `size` bytes and collects the pieces, with the block count after
    /// which each came out.
    static func pieces(_ text: String, blockSize size: Int) -> [(text: String, firstLine: Int, afterBlock: Int)] {
        pieces(Array(text.utf8), blockSize: size)
    }

    static func pieces(_ bytes: [UInt8], blockSize size: Int) -> [(text: String, firstLine: Int, afterBlock: Int)] {
        var stream = StatementStream(name: "test")
        var out: [(String, Int, Int)] = []
        var block = 0
        var offset = 0
        while true {
            while let piece = stream.next() { out.append((piece.text, piece.source.firstLine, block)) }
            if offset >= bytes.count {
                stream.finish()
                while let piece = stream.next() { out.append((piece.text, piece.source.firstLine, block)) }
                #expect(stream.isFinished)
                return out
            }
            stream.append(bytes[offset..<min(bytes.count, offset + size)])
            offset += size
            block += 1
        }
    }

    static let blockSizes = [1, 2, 3, 5, 7, 64, 1 << 20]

    @Test func aStatementEndingInSemicolonComesOutWithItsLine() {
        var stream = StatementStream(name: "stdin")
        stream.append(Array("count users;".utf8))
        #expect(stream.next() == nil)  // the line is not complete yet
        stream.append(Array("\n".utf8))
        #expect(stream.next()?.text == "count users;\n")
        stream.append(Array("count opportunities\n".utf8))
        // Without ";" the statement may go on on the next line.
        #expect(stream.next() == nil)
        stream.append(Array("  where stage = \"Won\"\n".utf8))
        #expect(stream.next() == nil)
        stream.append(Array(".format csv\n".utf8))
        let piece = stream.next()
        #expect(piece?.text == "count opportunities\n  where stage = \"Won\"\n")
        #expect(piece?.source.firstLine == 2)
        // A shell command is complete with its line.
        #expect(stream.next()?.text == ".format csv\n")
        #expect(stream.next() == nil)
        stream.finish()
        #expect(stream.next() == nil)
        #expect(stream.isFinished)
    }

    @Test(arguments: blockSizes) func piecesDoNotDependOnBlockSize(_ size: Int) {
        let script = """
        -- a comment; not the end of anything
        count users; count accounts
        find opportunities
          where name = 'a; b
        c;' and stage = "x""y;"
        count leads -- the end; really
        .format csv
        sum value of opportunities;\r
        count activities
        """
        let got = Self.pieces(script, blockSize: size)
        #expect(got.map(\.text) == [
            "count users; count accounts\n",
            "find opportunities\n  where name = 'a; b\nc;' and stage = \"x\"\"y;\"\n",
            "count leads -- the end; really\n",
            ".format csv\n",
            "sum value of opportunities;\r\n",
            "count activities",
        ])
        #expect(got.map(\.firstLine) == [2, 3, 6, 7, 8, 9])
        // Every piece ends where the whole text's parse ends a statement: together they hold every statement.
        let whole = (try? Parser.parseAll(SourceText(name: "t", text: script)))?.count
        let split = got.reduce(0) { $0 + ((try? Parser.parseAll(SourceText(name: "t", text: $1.text)))?.count ?? -100) }
        #expect(whole == split)
    }

    @Test func aStatementRunsAsSoonAsItsLineIsComplete() {
        // Lines of 12 bytes: each ends in ";", so each comes out with the block that completes it.
        let got = Self.pieces("count users;\ncount leads;\n", blockSize: 13)
        #expect(got.map(\.afterBlock) == [1, 2])
    }

    @Test func aLineStartingWithAStatementWordMayStillContinueTheStatement() {
        // "sum" starts a statement, but here the parser takes it as the second aggregate.
        let got = Self.pieces("count,\nsum value of opportunities\ncount users\n", blockSize: 4)
        #expect(got.map(\.text) == ["count,\nsum value of opportunities\n", "count users\n"])
    }

    @Test func aBrokenStatementKeepsItsContinuationLines() {
        // The parser recovers at the next statement: the broken lines are one piece, reported once.
        let got = Self.pieces("find opportunities wher stage = 1\n  and value > 3\ncount users\n", blockSize: 1)
        #expect(got.map(\.text) == ["find opportunities wher stage = 1\n  and value > 3\n", "count users\n"])
        // A statement cut off by the next statement's line ends there.
        let cut = Self.pieces("find opportunities where\ncount users\n", blockSize: 1)
        #expect(cut.map(\.text) == ["find opportunities where\n", "count users\n"])
    }

    @Test func aTextLiteralHoldsItsLinesTogether() {
        let got = Self.pieces("find users where name = \"x\ncount users;\n\";\ncount leads;\n", blockSize: 3)
        #expect(got.map(\.text) == ["find users where name = \"x\ncount users;\n\";\n", "count leads;\n"])
        // An unterminated one runs to the end of the input.
        let open = Self.pieces("count users;\nfind users where name = \"x\ncount users;\n", blockSize: 3)
        #expect(open.map(\.text) == ["count users;\n", "find users where name = \"x\ncount users;\n"])
    }

    @Test(arguments: [1, 2, 3, 4]) func aCharacterCutBetweenBlocksIsWhole(_ size: Int) {
        let got = Self.pieces("find users where name = \"Zoë – 日本\";\ncount users;\n", blockSize: size)
        #expect(got.map(\.text) == ["find users where name = \"Zoë – 日本\";\n", "count users;\n"])
    }

    @Test(arguments: [1, 3, 64]) func invalidUTF8DecodesAsInTheWholeText(_ size: Int) {
        var bytes = Array("find users where name = \"".utf8) + [0xFF, 0xE2, 0x82] + Array("\";\ncount users\n".utf8)
        bytes += [0xC3] + Array("\ncount leads".utf8)
        let got = Self.pieces(bytes, blockSize: size)
        #expect(got.map(\.text) == [
            "find users where name = \"\u{FFFD}\u{FFFD}\";\n", "count users\n\u{FFFD}\n", "count leads",
        ])
    }

    @Test func blankLinesAndCommentsMakeNoPiece() {
        let got = Self.pieces("\n-- nothing\n\n  \ncount users\n\n-- trailing\n", blockSize: 5)
        #expect(got.map(\.text) == ["count users\n\n-- trailing\n"])
        #expect(got.map(\.firstLine) == [5])
        #expect(Self.pieces("-- only a comment", blockSize: 5).isEmpty)
        #expect(Self.pieces("", blockSize: 5).isEmpty)
    }

    /// The transcript of `script` run whole and streamed in blocks of `size`, with `--keep-going`.
    static func transcripts(_ script: String, blockSize size: Int) -> (whole: String, streamed: String) {
        var settings = Session.Settings(today: TinyCRM.today)
        settings.keepGoing = true
        var whole = Session(database: TinyCRM.build(), settings: settings)
        var streamed = whole
        var a = TranscriptConsole(), b = TranscriptConsole()
        _ = whole.run(SourceText(name: "t", text: script), on: &a)
        var blocks = BlockInput(bytes: Array(script.utf8), size: size)
        _ = streamed.run(script: &blocks, name: "t", on: &b)
        return (a.transcript, b.transcript)
    }

    @Test(arguments: [1, 5, 4096]) func aLexicalErrorResumesOnTheNextLineAsBefore(_ size: Int) {
        // The lexer stops at the bad date and the run resumes on the next line, so the quote after
        // the date never opens a text.
        let script = """
        count opportunities where close_date = 2026-13-45 and name = "x
        count users;
        find opportunities where name = "a;
        b";
        count leads; count users where name = "
        ";
        count accounts
        """
        let (whole, streamed) = Self.transcripts(script, blockSize: size)
        #expect(streamed == whole)
        #expect(whole.contains("is not a valid date"))
        // The scan learns from the lexer where texts are: the statements after the error still
        // come out as soon as their lines are complete.
        let got = Self.pieces(script, blockSize: size)
        #expect(got.count >= 3)
        #expect(got.last?.text == "count accounts")
    }

    @Test func aKeepGoingRunReportsABrokenStatementOnce() {
        let script = "find opportunities wher stage = 1\n  and value > 3\n  and value < 9\ncount users\nfind x where\ncount leads\n"
        for size in [1, 3, 4096] {
            let (whole, streamed) = Self.transcripts(script, blockSize: size)
            #expect(streamed == whole)
            #expect(streamed.components(separatedBy: "error:").count == 3)
        }
    }

    @Test func manyLinesThatLookLikeStatementsCostLinearTime() {
        // 20,000 aggregates, one a line, each line starting with "sum": one statement.
        let script = "count,\n" + String(repeating: "sum value,\n", count: 20_000) + "sum value of opportunities;\ncount users;\n"
        let got = Self.pieces(script, blockSize: 1 << 16)
        #expect(got.count == 2)
        #expect(got.last?.text == "count users;\n")
    }

    /// The golden scripts, read a few bytes at a time: the same transcript as the whole text.
    @Test(arguments: GoldenTests.scripts) func goldenScriptsStreamTheSame(_ name: String) throws {
        let input = try String(contentsOf: GoldenTests.folder.appendingPathComponent(name), encoding: .utf8)
        let expected = GoldenRun.transcript(of: input, name: name)
        for size in [1, 7, 4096] {
            var blocks = BlockInput(bytes: Array(input.utf8), size: size)
            let streamed = GoldenRun.transcript(of: input, name: name) { session, console in
                _ = session.run(script: &blocks, name: name, on: &console)
            }
            #expect(streamed == expected, "\(name) in blocks of \(size)")
            if streamed != expected { print(GoldenRun.firstDifference(streamed, expected)) }
        }
    }

    @Test func diagnosticsNameTheLineOfTheWholeInput() {
        var script = String(repeating: "count users;\n", count: 12_344)
        script += "find opportunities where vaule > 1;\n"
        var blocks = BlockInput(bytes: Array(script.utf8), size: 100)
        var session = Session(database: TinyCRM.build(), settings: Session.Settings(today: TinyCRM.today))
        var console = TranscriptConsole()
        #expect(session.run(script: &blocks, name: "big.crmq", on: &console) == .failed)
        #expect(console.transcript.hasSuffix("""
            error: unknown field "vaule" on opportunities
                 --> big.crmq:12345:26
            12345 | find opportunities where vaule > 1;
                  |                          ^^^^^ did you mean "value"?

            """))
    }
}

extension StatementStream.Piece {
    /// The text of the statements the piece runs.
    var text: String { source.slice(SourceRange(0, end)) }
}

/// Bytes handed out a block at a time, as a pipe would.
struct BlockInput: ScriptInput {
    var bytes: [UInt8]
    var size: Int
    var offset = 0

    mutating func nextBlock() throws(ScriptInputFailure) -> ArraySlice<UInt8>? {
        guard offset < bytes.count else { return nil }
        defer { offset += size }
        return bytes[offset..<min(bytes.count, offset + size)]
    }
}
