import Foundation
import Testing
@testable import CrmqEngine

/// A crmq process is killed with SIGKILL at random moments while it commits a stream of changes
/// and while it saves, many times over on the same file. After every kill the file must open, and
/// every change the process reported as committed must be in it: no losses, no unopenable files.
///
/// The child runs with `--timer`, whose line on standard error after each statement flushes the
/// report on standard output, so the test hears of each commit as soon as the child makes it.
///
/// The kills are timed by what the child has reported, not by the clock: each round picks how
/// many lines to wait for (from a seeded generator), waits for them, and kills at once. A faster or
/// slower machine kills at the same points of the work, so the verdict does not depend on its speed.
@Suite(.serialized) struct CrashTests {
    static let today = "2026-06-15"

    /// The lines the child has written to standard output so far, and whether it has ended.
    final class Transcript: @unchecked Sendable {
        private let condition = NSCondition()
        private var partial = Data()
        private var complete: [String] = []
        private var ended = false

        /// Called with each chunk of output; an empty chunk is the end of the output.
        func append(_ d: Data) {
            condition.lock()
            defer { condition.unlock() }
            if d.isEmpty { ended = true }
            partial.append(d)
            while let newline = partial.firstIndex(of: 10) {
                complete.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
                partial.removeSubrange(partial.startIndex...newline)
            }
            condition.broadcast()
        }

        var lines: [String] { condition.withLock { complete } }

        /// Waits until the child has written `count` lines; false when its output ended first.
        func waitForLines(_ count: Int) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while complete.count < count {
                if ended { return false }
                // Only a bound against a hung child; a child that is merely slow gets there first.
                if !condition.wait(until: Date(timeIntervalSinceNow: 300)) { return false }
            }
            return true
        }
    }

    /// Starts `crmq FILE` reading statements from a pipe; `statements` are written to it in order.
    static func start(_ path: String, _ statements: [String]) throws -> (Process, Transcript) {
        // Writing the rest of the script to a killed child must fail quietly, not end the tests.
        signal(SIGPIPE, SIG_IGN)
        let p = Process()
        p.executableURL = CommandLineTests.binary
        p.arguments = [path, "--today", today, "--timer"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        let transcript = Transcript()
        output.fileHandleForReading.readabilityHandler = { handle in transcript.append(handle.availableData) }
        try p.run()
        let script = Data(statements.joined(separator: "\n").utf8 + [10])
        // Written from another thread: the pipe holds less than the whole script.
        DispatchQueue.global().async {
            try? input.fileHandleForWriting.write(contentsOf: script)
            try? input.fileHandleForWriting.close()
        }
        return (p, transcript)
    }

    /// Kills the child as soon as it has reported `lines` lines (or when it has ended).
    static func kill(_ p: Process, afterLines lines: Int, of transcript: Transcript) -> Bool {
        let reached = transcript.waitForLines(lines)
        if p.isRunning { Foundation.kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        return reached
    }

    /// The names of the accounts created in `round`, by their number, as the file holds them now.
    static func created(in round: Int, at path: String) throws -> [Int: Int64] {
        let opened = try DataFile.open(path)
        let accounts = opened.database["accounts"]
        let names = accounts.columns[1].textColumn
        var out: [Int: Int64] = [:]
        let prefix = "r\(round)-"
        for row in 0..<accounts.count {
            if let name = names[row], name.hasPrefix(prefix), let n = Int(name.dropFirst(prefix.count)) {
                out[n] = accounts.ids[row]
            }
        }
        return out
    }

    /// The ids of `created account 123` lines the child reported committed, in order: at once
    /// outside a transaction, at its `committed` line inside one.
    static func reportedIds(_ lines: [String]) -> [Int64] {
        var committed: [Int64] = [], pending: [Int64] = []
        var inTransaction = false
        for line in lines {
            if line == "begin" { inTransaction = true }
            if line.hasPrefix("committed") {
                committed += pending
                pending = []
                inTransaction = false
            }
            if line.hasPrefix("created account "), let id = Int64(line.dropFirst("created account ".count)) {
                if inTransaction { pending.append(id) } else { committed.append(id) }
            }
        }
        return committed
    }

    static func demoFile(_ dir: TemporaryDirectory, scale: Double) throws -> String {
        let path = dir.path + "/crash.crmq"
        let db = DemoGenerator.generate(DemoOptions(scale: scale, seed: 3, today: Day.parse(today)!))
        _ = try DataFile.writeNew(db, to: path)
        return path
    }

    @Test func killsDuringAStreamOfCommitsLoseNothingCommitted() throws {
        let dir = try TemporaryDirectory()
        let path = try Self.demoFile(dir, scale: 0.02)
        var rng = DiffRandom(seed: 0xC0FFEE)
        var kills = 0, reportedTotal = 0
        for round in 0..<24 {
            // Single creates, and pairs in a transaction that must land together or not at all.
            var statements: [String] = []
            for n in stride(from: 0, to: 2000, by: 2) {
                if n % 10 == 4 {
                    statements.append("begin; create account name = \"r\(round)-\(n)\"; create account name = \"r\(round)-\(n + 1)\"; commit")
                } else {
                    statements.append("create account name = \"r\(round)-\(n)\", employees = \(n)")
                    statements.append("create account name = \"r\(round)-\(n + 1)\", employees = \(n + 1)")
                }
            }
            let (p, transcript) = try Self.start(path, statements)
            // Each round kills after a different number of reported statements, up to most of them.
            let reached = Self.kill(p, afterLines: rng.int(in: 1...400), of: transcript)
            #expect(reached, "round \(round): the child ended before it reported enough")
            if p.terminationReason == .uncaughtSignal { kills += 1 }
            let reported = Self.reportedIds(transcript.lines)
            reportedTotal += reported.count
            let present = try Self.created(in: round, at: path)
            // Commits happen in order: what is there is the first k statements' records, at least
            // every reported one (a commit may have landed just before the kill, unreported).
            let numbers = present.keys.sorted()
            #expect(numbers == Array(0..<numbers.count), "round \(round): records \(numbers) are not a prefix")
            #expect(numbers.count >= reported.count, "round \(round): \(reported.count) reported, \(numbers.count) there")
            #expect(numbers.count % 10 != 5, "round \(round): half of a transaction is there")
            for (n, id) in reported.enumerated() {
                #expect(present[n] == id, "round \(round): reported account \(id) (r\(round)-\(n)) is missing")
            }
        }
        print("crash test, commits: \(kills) of 24 children killed, \(reportedTotal) commits reported, none lost")
        #expect(kills == 24, "only \(kills) of 24 children were killed before they finished")
        #expect(reportedTotal > 100, "too few commits were reported to mean anything: \(reportedTotal)")
    }

    @Test func killsDuringSavesLeaveAFileThatOpensWithEverythingCommitted() throws {
        let dir = try TemporaryDirectory()
        // Small, so that a round is quick; a save still takes far longer than the kill does to
        // follow the create's report before it, so those kills land in the save.
        let path = try Self.demoFile(dir, scale: 0.005)
        var rng = DiffRandom(seed: 0x5A7E)
        var kills = 0, saves = 0, midSave = 0
        for round in 0..<24 {
            var statements: [String] = []
            for n in 0..<40 {
                statements.append("create account name = \"r\(round)-\(n)\"")
                statements.append("save")
            }
            let (p, transcript) = try Self.start(path, statements)
            // Every line is a create's or a save's report, in turn. Even rounds kill just after a
            // create's report, as the save after it begins; odd ones just after a save's, in the
            // next create's commit.
            let creates = rng.int(in: 1...20)
            let reached = Self.kill(p, afterLines: 2 * creates - (round % 2 == 0 ? 1 : 0), of: transcript)
            #expect(reached, "round \(round): the child ended before it reported enough")
            if p.terminationReason == .uncaughtSignal { kills += 1 }
            let lines = transcript.lines
            // The last thing reported was a create: the save after it had begun when the kill came
            // (saving is most of what the child does).
            if p.terminationReason == .uncaughtSignal, lines.last?.hasPrefix("created account") == true { midSave += 1 }
            saves += lines.filter { $0.hasPrefix("saved ") }.count
            let reported = Self.reportedIds(lines)
            let present = try Self.created(in: round, at: path)
            for (n, id) in reported.enumerated() {
                #expect(present[n] == id, "round \(round): reported account \(id) (r\(round)-\(n)) is missing")
            }
            #expect(present.count >= reported.count && present.count <= reported.count + 1, "round \(round)")
        }
        print("crash test, saves: \(kills) of 24 children killed, \(midSave) of them during a save, \(saves) saves completed")
        #expect(kills == 24, "only \(kills) of 24 children were killed before they finished")
        #expect(saves > 24, "too few saves completed to mean anything: \(saves)")
        #expect(midSave >= 8, "only \(midSave) of the 12 kills meant for a save came in the middle of one")
        // Temporary files of killed saves are cleared by the next save: at most the last one remains.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.count <= 1, "\(leftovers)")
    }
}
