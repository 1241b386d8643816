import Foundation
import Testing

/// crmq driven as a co-process: a program writes one statement to its standard input, reads the
/// answer, then writes the next, with standard input open throughout. Every wait blocks on what
/// crmq prints; the watchdog only ends a run that would otherwise hang (a crmq that waits for the
/// end of its input), and its firing is a failure.
@Suite struct CoprocessTests {
    final class Coprocess {
        let process = Process()
        private let input = Pipe(), output = Pipe(), errors = Pipe()
        private var received = Data()

        init(_ arguments: [String]) throws {
            process.executableURL = CommandLineTests.binary
            process.arguments = arguments
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // Only a guard against a hang: a correct crmq answers each statement at once.
            DispatchQueue.global().asyncAfter(deadline: .now() + 120) { [process] in
                if process.isRunning { process.terminate() }
            }
        }

        func send(_ text: String) {
            input.fileHandleForWriting.write(Data(text.utf8))
        }

        /// Reads standard output until it holds `lines` more line ends, and returns those lines.
        func read(lines: Int) -> String {
            var text = ""
            while true {
                if let end = Self.end(ofLines: lines, in: received) {
                    text = String(decoding: received[..<end], as: UTF8.self)
                    received.removeSubrange(..<end)
                    return text
                }
                let more = output.fileHandleForReading.availableData  // blocks until some output, or the end
                if more.isEmpty { return String(decoding: received, as: UTF8.self) + "<end of output>" }
                received.append(more)
            }
        }

        private static func end(ofLines n: Int, in data: Data) -> Int? {
            var seen = 0
            for i in data.indices where data[i] == UInt8(ascii: "\n") {
                seen += 1
                if seen == n { return i + 1 }
            }
            return nil
        }

        func close() -> (status: Int32, errors: String) {
            try? input.fileHandleForWriting.close()
            let rest = output.fileHandleForReading.readDataToEndOfFile()
            received.append(rest)
            let e = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: e, as: UTF8.self))
        }
    }

    static let base = ["--today", "2026-06-15", "--scale", "0.002", "--format", "csv"]

    @Test(arguments: [[String](), ["-f", "-"]]) func answersEachStatementBeforeTheNextIsWritten(_ extra: [String]) throws {
        let crmq = try Coprocess(Self.base + extra)
        crmq.send("count users;\n")
        #expect(crmq.read(lines: 2) == "count\r\n50\r\n")
        crmq.send("count opportunities where stage = \"Closed Won\"\n  and value > 0;\n")
        let won = crmq.read(lines: 2)
        #expect(won.hasPrefix("count\r\n"))
        // A shell command is complete with its line.
        crmq.send(".format jsonl\n")
        crmq.send("find users where id = 3 show id;\n")
        #expect(crmq.read(lines: 1) == "{\"id\":3}\n")
        // Without ";" a statement may go on on the next line: it runs when the next one starts.
        crmq.send("find users where id = 4 show id\n")
        crmq.send("find users where id = 5 show id;\n")
        #expect(crmq.read(lines: 2) == "{\"id\":4}\n{\"id\":5}\n")
        let closed = crmq.close()
        #expect(closed.status == 0)
        #expect(closed.errors.isEmpty)
    }

    @Test func aFailingStatementEndsTheRunWithoutKeepGoing() throws {
        let crmq = try Coprocess(Self.base)
        crmq.send("count users;\n")
        #expect(crmq.read(lines: 2) == "count\r\n50\r\n")
        crmq.send("count usres;\n")
        // crmq stops at the error and exits while its input is still open.
        #expect(crmq.read(lines: 1) == "<end of output>")
        let closed = crmq.close()
        #expect(closed.status == 1)
        #expect(closed.errors.contains("unknown entity \"usres\""))
        #expect(closed.errors.contains("--> stdin:2:7"))
    }
}
