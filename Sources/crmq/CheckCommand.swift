import ArgumentParser
import CrmqEngine
import Foundation

/// `crmq check FILE`: reads a data file and its journal completely, checks every checksum and what
/// each section holds, and says what is in it. Exit status 1, with the problem and its byte
/// offset, when the file is damaged.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify a data file and print what is in it.",
        discussion: """
        Checks the snapshot (magic, version, length, every section's checksum and contents) and its \
        journal, as opening the file does, without changing either.
        """
    )

    @Argument(help: ArgumentHelp("The data file to check.", valueName: "FILE"))
    var path: String

    func run() throws {
        do {
            print(try DataFileReport.check(path), terminator: "")
        } catch {
            StandardStreams.error(DiagnosticRenderer.render(error.diagnostic, in: nil, color: isatty(STDERR_FILENO) == 1))
            throw ExitCode(1)
        }
    }
}
