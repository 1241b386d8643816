#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `import ENTITY from "FILE" ...`: reads the whole file, turns its records into changes
/// (Importer), writes the rejects of `skip bad rows`, and commits the changes as one unit: one
/// journal record, or part of the open transaction. Prints what was imported.
/// A relative name is relative to the current directory, in a script too (as export's).
extension Session {
    mutating func executeImport(_ bound: BoundImport, on console: inout some Console,
                                cancellation: Cancellation) throws(Diagnostic) {
        try checkFilesAllowed(at: bound.pathRange)
        let bytes: [UInt8]
        do throws(DataFileError) {
            bytes = try ImportFileBytes.read(bound.path)
        } catch {
            var d = error.diagnostic
            d.range = bound.pathRange
            throw d
        }
        // Matched against the records the role may read; committed only within its grants (Permissions/).
        let importer = Importer(db: try permittedData(cancellation: cancellation), bound: bound, now: changeTime, user: user,
                                rules: try exitRules(for: bound.entity), cancellation: cancellation)
        let outcome: Importer.Outcome
        var delimiter = UInt8(ascii: ",")
        switch bound.format {
        case .csv:
            let reader: CSVReader
            do throws(ImportReadError) {
                reader = try CSVReader(bytes: bytes, delimiter: bound.delimiter,
                                       encoding: bound.encoding == .latin1 ? .latin1 : .utf8)
            } catch {
                throw unreadable(error, bound)
            }
            delimiter = reader.delimiter
            // On every core, in parts of at least a few megabytes.
            outcome = try importer.run(ImportProgress(reader, bytes: bytes), parts: min(8, SystemFile.processorCount),
                                       minimumBytes: 4 << 20)
        case .vcards:
            let reader: VCardReader
            do throws(ImportReadError) {
                reader = try VCardReader(bytes: bytes)
            } catch {
                throw unreadable(error, bound)
            }
            var source = ImportProgress(reader, bytes: bytes)
            outcome = try importer.run(&source)
        }
        for note in outcome.notes { console.error("note: \(note.note)\n  hint: \(note.hint)\n") }
        let rejectsPath = bound.path + ".rejects.csv"
        if !outcome.rejects.isEmpty {
            try writeRejects(outcome, to: rejectsPath, delimiter: delimiter, bound, cancellation: cancellation)
        }
        let def = database[bound.entity].entity
        let total = outcome.created + outcome.updated
        var summary = "imported \(CellText.grouped(String(total))) \(total == 1 ? def.singular : def.name)"
            + " (\(CellText.grouped(String(outcome.created))) created, \(CellText.grouped(String(outcome.updated))) updated)"
            + " from \(DataFileError.quoted(bound.path))"
        if outcome.accountsCreated > 0 {
            summary += "\ncreated \(outcome.accountsCreated) \(outcome.accountsCreated == 1 ? "account" : "accounts") for ORG names not found"
        }
        if !outcome.rejects.isEmpty {
            let n = outcome.rejects.count
            summary += "\n\(CellText.grouped(String(n))) bad \(n == 1 ? "row" : "rows") skipped, written to \(DataFileError.quoted(rejectsPath))"
        }
        let committing = ContinuousClock.now
        try commit(outcome.changes, summary: summary, on: &console, cancellation: cancellation)
        if settings.timer {
            // Where an import's time goes: reading the file is in the first phase, the journal in the last.
            let phases = outcome.phases.map { "\($0.0) \(StatementTiming.milliseconds(.nanoseconds($0.1)))" }
                + ["check, journal and apply \(StatementTiming.milliseconds(ContinuousClock.now - committing))"]
            console.error("import: " + phases.joined(separator: ", ") + " ms\n")
        }
    }

    /// A file whose start cannot be read (an empty file, no header): nothing is imported.
    private func unreadable(_ error: ImportReadError, _ bound: BoundImport) -> Diagnostic {
        Diagnostic(.executor, "\(DataFileError.quoted(bound.path)):\(error.line): \(error.message)", at: bound.pathRange,
                   hint: error.hint.map { $0 + "; nothing was imported" } ?? "nothing was imported")
    }

    /// `FILE.rejects.csv`: the file's columns and a reason, one line per skipped row (0600, replaced whole).
    private func writeRejects(_ outcome: Importer.Outcome, to path: String, delimiter: UInt8, _ bound: BoundImport,
                              cancellation: Cancellation) throws(Diagnostic) {
        do throws(DataFileError) {
            var file = try ExportFile(path: path, replace: true, cancellation: cancellation)
            file.write(CSVRecordWriter.line(outcome.columns + ["reason"], delimiter: delimiter))
            for r in outcome.rejects {
                let cells = r.cells.isEmpty ? [String?](repeating: nil, count: outcome.columns.count) : r.cells
                file.write(CSVRecordWriter.line(cells + [r.text], delimiter: delimiter))
            }
            try file.commit()
        } catch {
            var d = error.diagnostic
            d.range = bound.pathRange
            d.message = "cannot write the rejects: " + d.message
            d.hint = "nothing was imported"
            throw d
        }
    }
}

/// Progress of a long import on a terminal: rows, rate and time left, on standard error, erased
/// when done. Nothing when standard error is not a terminal (a pipe, a file, a test).
struct ImportProgress<Base: ImportRecordSource>: ImportRecordSource {
    private var base: Base
    private var lines: Int
    private var enabled: Bool
    /// How many parts are read at once: the first shows the progress of all (`parts`).
    private var share = 1
    private var records = 0
    private let start = ContinuousClock.now
    private var shown = ContinuousClock.now
    private var drawn = false

    init(_ base: Base, bytes: [UInt8]) {
        self.base = base
        enabled = isatty(2) == 1 && bytes.count > 1 << 20
        lines = enabled ? max(1, bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }) : 1
    }

    var columns: [String] { base.columns }

    mutating func next() throws(ImportReadError) -> ImportRecord? {
        let record = try base.next()
        counted(record?.line)
        return record
    }

    mutating func next(into cells: inout TextRun) throws(ImportReadError) -> Int? {
        let line = try base.next(into: &cells)
        counted(line)
        return line
    }

    /// Counts a record read (nil: the end), redrawing the progress line now and then.
    private mutating func counted(_ line: Int?) {
        guard enabled else { return }
        records += 1
        guard let line else {
            if drawn { ImportProgress.show("\r\u{1B}[K") }
            return
        }
        if records & 8191 == 0 {
            let now = ContinuousClock.now
            if now - shown > .milliseconds(250) {
                shown = now
                let elapsed = Double((now - start).components.seconds) + Double((now - start).components.attoseconds) / 1e18
                let rate = Double(records) / max(elapsed, 0.001)
                let left = Double(max(0, lines - line)) / max(rate, 1)
                ImportProgress.show("\rimporting: \(CellText.grouped(String(records * share))) rows, "
                                    + "\(CellText.grouped(String(Int(rate) * share))) rows/s, about \(Int(left.rounded(.up))) s left\u{1B}[K")
                drawn = true
            }
        }
    }

    private static func show(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}

extension ImportProgress: SplittableRecordSource where Base: SplittableRecordSource {
    /// The parts read at once go about as fast as each other: the first shows its progress as all
    /// of theirs (its rows times the parts, its own lines left), the others show nothing.
    func parts(_ count: Int, minimumBytes: Int) -> [ImportProgress] {
        let parts = base.parts(count, minimumBytes: minimumBytes)
        return parts.enumerated().map { k, part in
            var progress = self
            progress.base = part
            progress.enabled = enabled && k == 0
            progress.share = parts.count
            progress.lines = max(1, lines / parts.count)
            return progress
        }
    }

    func lineAfter(reaching next: ImportProgress) -> Int? { base.lineAfter(reaching: next.base) }

    func continuing(through next: ImportProgress) -> ImportProgress {
        var progress = self
        progress.base = base.continuing(through: next.base)
        return progress
    }
}
