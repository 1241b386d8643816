import ArgumentParser
import CrmqEngine
import Foundation

/// `crmq generate --scale S --seed N [--today D] -o FILE`: writes the demo dataset to a data file,
/// so that later runs open it in a moment instead of generating it again.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write the demo dataset to a data file.",
        discussion: """
        The same scale, seed and day always give the same data. Progress is shown at a terminal only.

        Example:
          crmq generate --scale 1 --seed 1 --today 2026-06-15 -o crm.crmq
          crmq crm.crmq -c 'count opportunities by stage'
        """
    )

    @Option(help: "Size of the dataset: 1 = 1,000,000 opportunities.")
    var scale: Double = 0.01

    @Option(help: "Variant of the dataset.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The day the data is generated around (YYYY-MM-DD); today by default.", valueName: "DATE"))
    var today: String?

    @Option(name: .customShort("o"), help: ArgumentHelp("The data file to write.", valueName: "FILE"))
    var output: String

    @Flag(help: "Replace FILE (and its journal) if it exists.")
    var force = false

    func validate() throws {
        if let today, Day.parse(today) == nil {
            throw ValidationError("--today needs a date as YYYY-MM-DD, not \"\(today)\"")
        }
        guard scale > 0, scale <= 20 else { throw ValidationError("--scale must be above 0 and at most 20") }
    }

    func run() throws {
        let day = today.flatMap(Day.parse) ?? CrmqCommand.localToday()
        let start = DispatchTime.now()
        let db = CrmqCommand.loadDemo(scale: scale, seed: seed, today: day)
        let summary: SnapshotWriter.Summary
        do {
            summary = try DataFile.writeNew(db, to: output, replacing: force)
        } catch {
            var d = error.diagnostic
            if error.kind == .alreadyExists { d.hint = "choose another name, or add --force to replace it" }
            StandardStreams.error(DiagnosticRenderer.render(d, in: nil, color: isatty(STDERR_FILENO) == 1))
            throw ExitCode(1)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        print(DataFileReport.written(summary, db) + ", in \(String(format: "%.1f", seconds)) s")
    }
}
