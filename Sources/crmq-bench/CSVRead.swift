import CrmqEngine

/// `crmq-bench --read-csv FILE`: the import's CSV reader alone, file to cells, timed (best of 3),
/// so the reader's share of an import's time is known.
func readCSV(_ path: String) {
    var best = Double.infinity
    for _ in 0..<3 {
        let start = ContinuousClock.now
        do {
            let bytes = try ImportFileBytes.read(path)
            let readSeconds = seconds(since: start)
            var reader = try CSVReader(bytes: bytes)
            var rows = 0, cells = 0, errors = 0
            while true {
                do {
                    guard let record = try reader.next() else { break }
                    rows += 1
                    cells += record.cells.count
                } catch {
                    errors += 1
                    if error.fatal { break }
                }
            }
            let total = seconds(since: start)
            best = min(best, total)
            log("\(rows) rows, \(cells) cells, \(errors) errors, \(reader.columns.count) columns: "
                + "\(String(format: "%.3f", total)) s (file read \(String(format: "%.3f", readSeconds)) s)")
        } catch let error as DataFileError {
            fail(error.message)
        } catch let error as ImportReadError {
            fail("line \(error.line): \(error.message)")
        } catch {
            fail("\(error)")
        }
    }
    print(String(format: "best %.3f s", best))
}
