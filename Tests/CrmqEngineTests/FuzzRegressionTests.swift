import Foundation
import Testing
@testable import CrmqEngine

/// Replays every input the fuzzers ever crashed on (`Tests/fuzz/regressions/TARGET/`) and every seed
/// (`Tests/fuzz/seeds/TARGET/`) through the same code the libFuzzer entries call (`FuzzTarget.run`):
/// each must end without a crash, with a result or a diagnostic that says what is wrong.
@Suite struct FuzzRegressionTests {
    static let folder = Repository.root.appendingPathComponent("Tests/fuzz")

    static func inputs(_ kind: String, _ target: FuzzTarget) -> [URL] {
        let dir = folder.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }
    }

    static func check(_ target: FuzzTarget, _ file: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: file))
        let outcome = target.run(bytes)
        switch target {
        case .statement, .structured:
            #expect(outcome.accepted || outcome.text.contains("error"),
                    "\(file.lastPathComponent): a statement failed without a diagnostic:\n\(outcome.text)")
        case .snapshot, .journal:
            #expect(outcome.accepted || !outcome.text.isEmpty, "\(file.lastPathComponent): refused without a reason")
        case .csv:
            #expect(outcome.accepted || outcome.text.contains("line "), "\(file.lastPathComponent): an error without its line")
        case .vcard: #expect(outcome.accepted || !outcome.text.isEmpty, "\(file.lastPathComponent): refused without a reason")
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func regressionInputsRunCleanly(_ target: FuzzTarget) throws {
        for file in Self.inputs("regressions", target) { try Self.check(target, file) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsRunCleanly(_ target: FuzzTarget) throws {
        let seeds = Self.inputs("seeds", target)
        #expect(!seeds.isEmpty, "no seeds for \(target.rawValue): run scripts/fuzz seeds")
        for file in seeds { try Self.check(target, file) }
    }

    /// The seeds are valid files: with their checksums intact they read, and the journals replay.
    @Test func fileSeedsAreAccepted() throws {
        for target in [FuzzTarget.snapshot, .journal] {
            for file in Self.inputs("seeds", target) {
                let bytes = try [UInt8](Data(contentsOf: file))
                // Seeds made on purpose to be refused: a torn record is dropped (still accepted);
                // seeds whose id was changed without repairing the checksum (flag 2), or a bare header naming another snapshot (flag 0), are refused.
                if target == .journal && bytes.first != 3 { continue }
                let outcome = target.run(bytes)
                #expect(outcome.accepted, "\(target.rawValue) seed \(file.lastPathComponent): \(outcome.text)")
            }
        }
    }

    /// The first crashes found: a reference to an id its target never handed out made the reverse
    /// index allocate a slot for every id up to it (hundreds of gigabytes). Now it is refused.
    @Test func referenceToAnIdNeverHandedOutIsRefused() throws {
        var db = FuzzFixture.session.database
        let problem = db.problem(applying: [.assign(entity: "contacts", field: 7, value: .integer(72_896_802_122_728),
                                                    ids: [1])])
        #expect(db.schema.entity(named: "contacts")!.fields[7].name == "account")
        #expect(problem?.contains("refers to accounts id 72896802122728, which was never created") == true)
        db.apply([.assign(entity: "contacts", field: 7, value: .integer(3), ids: [1])])
        #expect(db.problem(applying: [.assign(entity: "contacts", field: 7, value: .integer(0), ids: [1])]) != nil)
    }

    /// The snapshot that crashed the same way: its reference column is refused, naming the file's byte.
    @Test func snapshotWithAReferenceBeyondItsTargetIsRefused() throws {
        let files = Self.inputs("regressions", .snapshot).filter { $0.lastPathComponent.hasPrefix("crash-47a3b31d") }
        #expect(files.count == 1)
        for file in files {
            let outcome = FuzzTarget.snapshot.run(try [UInt8](Data(contentsOf: file)))
            #expect(!outcome.accepted)
            #expect(outcome.text.contains("is damaged at byte") && outcome.text.contains("refers to"), "\(outcome.text)")
        }
    }

    /// A snapshot whose schema named an entity in capitals: the did-you-mean for an unknown entity
    /// looked the suggestion up in lower case and force-unwrapped the miss. Such names are refused.
    @Test func snapshotWithANameStatementsCannotUseIsRefused() throws {
        let file = Self.folder.appendingPathComponent("regressions/snapshot/crash-8807d7606c162facfc0bbef97bbdeff758b14e78")
        let outcome = FuzzTarget.snapshot.run(try [UInt8](Data(contentsOf: file)))
        #expect(!outcome.accepted)
        #expect(outcome.text.contains("is not a name crmq can use"), "\(outcome.text)")
    }

    /// `explain` of a range over every value trapped computing the bound + 1 for its text.
    @Test func explainOfARangeOverEveryValue() {
        var session = FuzzFixture.session
        var console = TranscriptConsole()
        _ = session.run(SourceText(name: "t", text: "explain find opportunities where id <= 9223372036854775807"), on: &console)
        #expect(console.transcript.contains("FILTER id is not null"), "\(console.transcript)")
    }

    /// Comparisons at the ends of Int64 trapped in the binder (`> 9223372036854775807` computed max + 1).
    @Test func comparisonsAtTheEndsOfInt64() throws {
        let session = FuzzFixture.session
        #expect(try session.query("find opportunities where id > 9223372036854775807 show id").rowCount == 0)
        #expect(try session.query("find opportunities where id >= 9223372036854775807 show id").rowCount == 0)
        #expect(try session.query("find opportunities where id < 9223372036854775807 show id").rowCount > 0)
        #expect(try session.query("find opportunities where id < -9223372036854775807 show id").rowCount == 0)
        // Scaled to cents, this no longer fits Int64.
        do {
            _ = try session.query("count opportunities where value > 92233720368547758.1")
            Issue.record("a value too large for money was accepted")
        } catch {
            #expect(error.hint == "the number is too large", "\(error.message)")
        }
    }

    /// The structured target's statements mostly pass the parser: that is its point.
    @Test func structuredStatementsMostlyParse() {
        let builder = StatementBuilder(schema: FuzzFixture.session.database.schema)
        var parsed = 0
        var random = DemoRandom(seed: 7, stream: 1)
        for _ in 0..<200 {
            let bytes = (0..<64).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var parser = Parser(SourceText(name: "s", text: builder.script(from: bytes)))
            if (try? parser.nextStatement()) != nil { parsed += 1 }
        }
        #expect(parsed >= 150, "only \(parsed) of 200 built statements parse")
    }
}
