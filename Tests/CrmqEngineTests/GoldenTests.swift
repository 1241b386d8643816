import Foundation
import Testing
@testable import CrmqEngine

/// Golden scripts: each `Tests/golden/NAME.crmq` runs through a session and its transcript
/// (results and diagnostics, in order) must equal `NAME.out`. Run with `CRMQ_RECORD=1` to
/// re-record the expected files after an intended change, then review the diff.
///
/// A script's first line may set up the run: `-- data: tiny` (the hand-made database, the default)
/// or `-- data: demo` (the demo dataset at scale 0.002, seed 1), and `-- today: YYYY-MM-DD`.
@Suite struct GoldenTests {
    static let folder = Repository.root.appendingPathComponent("Tests/golden")

    static var scripts: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".crmq") }.sorted()
    }

    @Test func thereAreGoldenScripts() {
        #expect(GoldenTests.scripts.count >= 5)
    }

    @Test(arguments: scripts) func golden(_ name: String) throws {
        let input = try String(contentsOf: GoldenTests.folder.appendingPathComponent(name), encoding: .utf8)
        let transcript = GoldenRun.transcript(of: input, name: name)
        let expectedURL = GoldenTests.folder.appendingPathComponent(name.replacingOccurrences(of: ".crmq", with: ".out"))
        if ProcessInfo.processInfo.environment["CRMQ_RECORD"] == "1" {
            try transcript.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(transcript == expected, "\(name): the transcript differs from \(expectedURL.lastPathComponent)")
        if transcript != expected {
            print(GoldenRun.firstDifference(transcript, expected))
        }
    }
}

enum Repository {
    /// The package's root, found from this file's place in Tests/CrmqEngineTests.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

enum GoldenRun {
    static let demo = DemoGenerator.generate(DemoOptions(scale: 0.002, seed: 1, today: Day.parse("2026-06-15")!))

    /// The transcript of `input`, run as one text, or by `run` (a streamed run) in the same setup.
    static func transcript(of input: String, name: String,
                           run: ((inout Session, inout TranscriptConsole) -> Void)? = nil) -> String {
        var today = TinyCRM.today
        var database = TinyCRM.build()
        for line in input.split(separator: "\n").prefix(while: { $0.hasPrefix("--") }) {
            let words = line.dropFirst(2).split(separator: " ").map(String.init)
            if words == ["data:", "demo"] { database = demo }
            if words.count == 2, words[0] == "today:", let d = Day.parse(words[1]) { today = d }
        }
        var settings = Session.Settings(today: today)
        settings.keepGoing = true
        // As `--today` does: changes are stamped at noon that day (a rule's `now`).
        settings.now = today * 86_400 + 43_200
        var session = Session(database: database, settings: settings)
        var console = TranscriptConsole()
        if let run {
            run(&session, &console)
        } else {
            _ = session.run(SourceText(name: name, text: input), on: &console)
        }
        return console.transcript
    }

    static func firstDifference(_ a: String, _ b: String) -> String {
        let la = a.split(separator: "\n", omittingEmptySubsequences: false)
        let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) {
            let x = i < la.count ? String(la[i]) : "<end>"
            let y = i < lb.count ? String(lb[i]) : "<end>"
            if x != y { return "line \(i + 1):\n  got:      \(x)\n  expected: \(y)" }
        }
        return "no difference"
    }
}
