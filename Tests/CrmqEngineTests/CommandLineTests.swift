import Foundation
import Testing

/// Drives the real `crmq` binary: arguments, exit codes, standard streams.
@Suite struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The crmq binary built beside this test bundle.
    static let binary: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.lastPathComponent.hasSuffix(".xctest")
            ? bundle.deletingLastPathComponent().appendingPathComponent("crmq")
            : bundle.appendingPathComponent("crmq")
    }()

    static func run(_ args: [String], stdin: String? = nil, environment extra: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env.merge(extra) { $1 }
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read before waiting, so a large output cannot fill the pipe and stall the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                   stderr: String(decoding: e, as: UTF8.self))
    }

    let base = ["--today", "2026-06-15", "--scale", "0.002"]

    @Test func runsAQuery() throws {
        let r = try Self.run(base + ["-c", "count opportunities by stage"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix(" stage "))
        #expect(r.stdout.contains("Closed Won"))
        #expect(r.stderr.isEmpty)
    }

    @Test func csvIsRFC4180() throws {
        let r = try Self.run(base + ["--format", "csv", "-c", "count opportunities by stage"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("stage,count\r\n"))
        #expect(!r.stdout.contains("\u{1B}"))
    }

    /// A statement held by the test hook runs until the timeout cancels it: no guess at how long
    /// a real query takes on this machine.
    @Test func aTimeoutCancelsAHeldStatementAndExitsOne() throws {
        let hold = ["CRMQ_TEST_HOLD_STATEMENTS": "1"]
        let r = try Self.run(base + ["--timeout", "0.2", "-c", "count users", "-c", ".format csv"], environment: hold)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "crmq-test: statement held\n"
            + "error: cancelled: the statement ran longer than the 0.2 s timeout (.timeout)\n"
            + " --> query:1:1\n1 | count users\n  | ^^^^^^^^^^^ it changed nothing; .timeout off (or no --timeout) lifts the limit\n")
        // In a script, with --keep-going, the statements after it run.
        let s = try Self.run(base + ["--timeout", "0.2", "--keep-going", "-f", "-"],
                             stdin: "count users;\n.timeout\n", environment: hold)
        #expect(s.status == 1)
        #expect(s.stdout == "timeout: 0.2 s\n")
        #expect(s.stderr.contains(" --> stdin:1:1\n"))
        let bad = try Self.run(base + ["--timeout", "soon", "-c", "count users"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--timeout needs a number of seconds"))
    }

    @Test func stopsAtTheFirstFailingStatement() throws {
        let r = try Self.run(base + ["-c", "count users", "-c", "find usres", "-c", "count leads"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("count"))
        #expect(r.stderr.contains("error: unknown entity \"usres\""))
        #expect(r.stderr.contains("did you mean \"users\"?"))
        #expect(!r.stderr.contains("\u{1B}"), "no colour on a pipe")
        // `count leads` did not run: only one result table.
        #expect(r.stdout.components(separatedBy: "(1 row)").count == 2)
    }

    @Test func keepGoingRunsTheRestButStillFails() throws {
        let r = try Self.run(base + ["--keep-going", "-c", "find usres", "-c", "count leads"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("(1 row)"))
    }

    @Test func scriptsFromFilesAndPipesGiveTheSameOutput() throws {
        let script = "count users\nfind users where role = \"admin\" show name\n.format csv\ncount leads by status\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crmq-cli-\(UUID()).crmq")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try Self.run(base + ["-f", file.path])
        let fromDash = try Self.run(base + ["-f", "-"], stdin: script)
        let piped = try Self.run(base, stdin: script)
        #expect(fromFile.status == 0)
        #expect(!fromFile.stdout.isEmpty)
        #expect(fromFile.stdout == fromDash.stdout)
        #expect(fromFile.stdout == piped.stdout)
        #expect(!piped.stdout.contains("crmq>"), "no prompt on a pipe")
    }

    @Test func aScriptErrorNamesTheFileAndLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crmq-err-\(UUID()).crmq")
        try "count users\n\nfind leads where scroe > 5\ncount leads\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try Self.run(base + ["-f", file.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(file.path):3:18"))
        #expect(r.stderr.contains("^^^^^ did you mean \"score\"?"))
    }

    @Test(arguments: [
        ["--format", "xml", "-c", "count users"],
        ["--today", "2026-13-01", "-c", "count users"],
        ["--scale", "0", "-c", "count users"],
        ["--no-such-flag"],
        ["-c", "count users", "-f", "x.crmq"],
    ])
    func badArgumentsExitWithTwo(_ args: [String]) throws {
        let r = try Self.run(args)
        #expect(r.status == 2)
        #expect(!r.stderr.isEmpty)
    }

    @Test func missingScriptFile() throws {
        let r = try Self.run(base + ["-f", "/nonexistent/file.crmq"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot read"))
    }

    @Test func helpExitsWithZero() throws {
        let r = try Self.run(["--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("--format"))
    }
}
