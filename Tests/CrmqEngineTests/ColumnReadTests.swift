import Foundation
import Testing
@testable import CrmqEngine

/// A session on a file reads each column the first time a statement needs it, and checks it then:
/// it answers exactly as a session that read everything, and a damaged column is refused by the
/// statements that read it, never used.
@Suite struct ColumnReadTests {
    static let settings: Session.Settings = {
        var s = Session.Settings(today: Day.parse("2026-06-15")!)
        s.now = 0
        return s
    }()

    static func run(_ s: inout Session, _ text: String) -> String {
        var console = TranscriptConsole()
        _ = s.run(SourceText(name: "input", text: text), on: &console)
        return console.transcript
    }

    /// The demo data in a file, and where each of its sections lies.
    static func demoFile() throws -> (TemporaryDirectory, String, [SnapshotReader.SectionSummary]) {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/demo.crmq"
        _ = try DataFile.writeNew(GoldenRun.demo, to: path)
        return (dir, path, try SnapshotReader.read(path: path).sections)
    }

    static func flip(_ path: String, at offset: Int) throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[offset] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func aQueryReadsTheColumnsOnItsPathsAndTheIdsOfTheirCollections() throws {
        let (dir, path, _) = try Self.demoFile()
        var lazy = try Session.open(path, settings: Self.settings).0
        let deals = lazy.database.schema.entity(named: "opportunities")!
        let all = Set(deals.fields.indices)
        Self.run(&lazy, "count opportunities by stage")
        #expect(lazy.unreadColumns["opportunities"] == all.subtracting([0, deals.fieldIndex("stage")!]))
        #expect(lazy.unreadColumns["accounts"]?.contains(0) == true, "accounts not read at all")
        Self.run(&lazy, "sum value of opportunities by account.industry")
        let accounts = lazy.database.schema.entity(named: "accounts")!
        #expect(lazy.unreadColumns["accounts"] == Set(accounts.fields.indices).subtracting([0, accounts.fieldIndex("industry")!]))
        #expect(lazy.unreadColumns["opportunities"]?.contains(deals.fieldIndex("account")!) == false)
        #expect(lazy.unreadColumns["opportunities"]?.contains(deals.fieldIndex("value")!) == false)
        // `show *` reads every column; a change reads its collection whole first.
        Self.run(&lazy, "find opportunities where id = 5 show *")
        #expect(lazy.unreadColumns["opportunities"] == nil)
        Self.run(&lazy, #"update accounts set industry = "Retail" where id = 1"#)
        #expect(lazy.unreadColumns["accounts"] == nil)
        var full = try Session.open(path, settings: Self.settings).0
        try full.readAll()
        for q in ["count accounts by industry", "find accounts where id <= 3 show *", "sum value of opportunities by account.industry"] {
            #expect(try lazy.query(q).plainRows == full.query(q).plainRows, "\(q)")
        }
        _ = dir
    }

    /// A column read while a transaction is open is committed data: a rollback keeps it.
    @Test func aColumnReadInsideATransactionLinesUpWithItsRecords() throws {
        let (dir, path, _) = try Self.demoFile()
        var lazy = try Session.open(path, settings: Self.settings).0
        var full = try Session.open(path, settings: Self.settings).0
        try full.readAll()
        let script = """
            count opportunities by stage
            begin
            update opportunities set value = 1 where id = 2
            sum value of opportunities by account.industry
            find accounts where id = 7 show name, country
            rollback
            find accounts where id = 7 show *
            sum value of opportunities by stage
            """
        #expect(Self.run(&lazy, script) == Self.run(&full, script))
        _ = dir
    }

    /// Every golden script gives the same transcript on a file read column by column as on the
    /// same file read whole first (the export script is left out: it writes shared files in /tmp).
    @Test(arguments: GoldenTests.scripts.filter { $0 != "19-export.crmq" })
    func aScriptAnswersTheSameReadColumnByColumn(_ name: String) throws {
        let input = try String(contentsOf: GoldenTests.folder.appendingPathComponent(name), encoding: .utf8)
        let dir = try TemporaryDirectory()
        let lazy = Self.transcript(input, name, path: dir.path + "/lazy.crmq", readingAll: false)
        let whole = Self.transcript(input, name, path: dir.path + "/whole.crmq", readingAll: true)
        #expect(lazy == whole, "\(name): \(GoldenRun.firstDifference(lazy, whole))")
        _ = dir
    }

    static func transcript(_ input: String, _ name: String, path: String, readingAll: Bool) -> String {
        GoldenRun.transcript(of: input, name: name) { session, console in
            do {
                _ = try DataFile.writeNew(session.database, to: path)
                var opened = try Session.open(path, settings: session.settings).0
                if readingAll { try opened.readAll() }
                session = opened
            } catch {
                console.write("cannot open: \(error)\n")
                return
            }
            // The file's name differs between the two runs.
            let text = input.replacingOccurrences(of: path, with: "FILE")
            _ = session.run(SourceText(name: name, text: text), on: &console)
            console.transcript = console.transcript.replacingOccurrences(of: path, with: "FILE")
        }
    }

    /// A byte flipped in a column no statement reads leaves the others answering; the first
    /// statement that reads it is refused, naming the file and the section, and so is every one
    /// after it; `crmq check` refuses the file.
    @Test(arguments: [("opportunities.value", "values"), ("opportunities.name", "dictionary text"),
                      ("opportunities.name", "text codes")])
    func aDamagedColumnIsRefusedWhenAStatementFirstReadsIt(_ owner: String, _ kind: String) throws {
        let (dir, path, sections) = try Self.demoFile()
        var intact = try Session.open(path, settings: Self.settings).0
        let section = try #require(sections.first { $0.owner == owner && $0.kind == kind })
        try Self.flip(path, at: section.offset + section.length / 2)
        var damaged = try Session.open(path, settings: Self.settings).0
        for q in ["count opportunities by stage", "find opportunities where id = 5 show stage, close_date"] {
            #expect(Self.run(&damaged, q) == Self.run(&intact, q))
        }
        let field = String(owner.split(separator: ".")[1])
        for q in ["find opportunities where id = 5 show \(field)", "find opportunities show *"] {
            let out = Self.run(&damaged, q)
            #expect(out.contains("error:") && out.contains("demo.crmq") && out.contains("does not match its checksum")
                    && out.contains("(\(kind)"), "\(q): \(out)")
        }
        #expect(throws: DataFileError.self) { try DataFileReport.check(path) }
        _ = dir
    }

    /// Every single-bit flip of a small snapshot, read column by column: refused when it is opened,
    /// or by the first statement that reads the damaged section; every statement before that
    /// answers as on the intact file.
    @Test func everyBitFlipIsRefusedBeforeItsColumnIsUsed() throws {
        let bytes = CorruptionTests.snapshot
        let statements = TinyCRM.build().schema.entities.map { "find \($0.name) show *" }
        func answers(_ b: [UInt8]) -> [String]? {
            guard let loader = try? SnapshotLoader(MemoryBytes(bytes: b, name: CorruptionTests.name)),
                  var session = try? Session.reading(loader, settings: Self.settings) else { return nil }
            return statements.map { Self.run(&session, $0) }
        }
        let expected = try #require(answers(bytes))
        #expect(!expected.contains { $0.contains("error") })
        var unrefused: [Int] = []
        for i in bytes.indices {
            var damaged = bytes
            damaged[i] ^= 0x01
            guard let got = answers(damaged) else { continue }
            guard let bad = got.indices.first(where: { got[$0] != expected[$0] }) else {
                unrefused.append(i)
                continue
            }
            #expect(got[bad].hasPrefix("error:") && got[bad].contains("\"\(CorruptionTests.name)\""), "\(i): \(got[bad])")
            #expect(Array(got[..<bad]) == Array(expected[..<bad]))
        }
        #expect(unrefused.isEmpty, "flips at \(unrefused.prefix(10)) were never refused")
    }
}
