#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `export QUERY to "FILE" [raw] [replace]`: runs the query as it would run alone and writes its rows
/// to the file, in the format of the file's extension; prints `exported N rows to FILE`.
/// A relative name is relative to the current directory, in a script too (as psql's `\o`).
extension Session {
    mutating func executeExport(_ export: BoundExport, on console: inout some Console,
                                cancellation: Cancellation) throws(Diagnostic) {
        try checkFilesAllowed(at: export.pathRange)
        let (data, _) = try data(for: export.statement)
        let planner = Planner(data)
        let result: ResultSet
        switch export.query {
        case .find(let q): result = try FindExecutor(db: data, cancellation: cancellation).run(planner.plan(q))
        case .aggregate(let q): result = try AggregateExecutor(db: data, cancellation: cancellation).run(planner.plan(q))
        }
        var file: ExportFile
        do throws(DataFileError) {
            file = try ExportFile(path: export.path, replace: export.replace, cancellation: cancellation)
            Session.write(result, export, to: &file)
            if cancellation.isCancelled { file.abandon() }
        } catch {
            throw Session.exportFailure(error, export)
        }
        try cancellation.check()
        do throws(DataFileError) {
            try file.commit()
        } catch {
            throw Session.exportFailure(error, export)
        }
        let rows = result.rowCount == 1 ? "1 row" : "\(CellText.grouped(String(result.rowCount))) rows"
        console.write("exported \(rows) to \(DataFileError.quoted(export.path))\n")
    }

    private static func exportFailure(_ error: DataFileError, _ export: BoundExport) -> Diagnostic {
        var d = error.diagnostic
        d.range = export.pathRange
        switch error.kind {
        case .alreadyExists: d.hint = "add replace to write over it: export ... to \"\(export.path)\" replace"
        case .io(let code) where code == ENOENT: d.hint = "create the directory first, or name a file in one that is there"
        case .io(let code) where code == ENOTDIR: d.hint = "a part of the path is a file, not a directory"
        case .io(let code) where code == EISDIR: d.hint = "name a file in the directory, as in \"\(export.path)/rows.csv\""
        case .io(let code) where code == EACCES || code == EPERM || code == EROFS:
            d.hint = "name a file in a directory you may write to"
        default: break
        }
        return d
    }

    static func write(_ result: ResultSet, _ export: BoundExport, to sink: inout some OutputSink) {
        switch export.format {
        case .csv: DelimitedFormatter.writeCSV(result, neutralise: !export.raw, to: &sink)
        case .tsv: DelimitedFormatter.writeTSV(result, neutralise: !export.raw, to: &sink)
        case .json: JSONFormatter.write(result, lines: false, to: &sink)
        case .jsonl: JSONFormatter.write(result, lines: true, to: &sink)
        case .vcf: VCardWriter.write(result, to: &sink)
        }
    }
}
