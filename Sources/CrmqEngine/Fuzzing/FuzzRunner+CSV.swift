/// The CSV target: the import's reader over the whole file, checking what must hold for any bytes.
extension FuzzRunner {
    static func csv(_ input: [UInt8]) -> FuzzOutcome {
        guard let flagByte = input.first else { return FuzzOutcome(accepted: false, text: "empty input") }
        return importCSV(Array(input.dropFirst()), CSVFuzzFlags(flagByte))
    }

    /// What an import does with the file's bytes: every record read, with the reader's invariants
    /// checked, then the whole import into the fixture with the statement the flag byte picks.
    static func importCSV(_ bytes: [UInt8], _ flags: CSVFuzzFlags) -> FuzzOutcome {
        let read = CSVFuzzRead(bytes, flags)
        read.checkInvariants()
        let imported = FuzzImport.run(bytes, choice: flags.statement, vcards: false, delimiter: flags.delimiter,
                                      encoding: flags.encoding)
        return FuzzOutcome(accepted: read.errors.isEmpty, text: read.summary + "\n" + imported)
    }
}

/// Everything the reader gave for one input, and the properties it must have whatever the bytes.
struct CSVFuzzRead {
    var columns: [String] = []
    var delimiter: UInt8 = 0
    var records: [ImportRecord] = []
    var errors: [ImportReadError] = []
    let lineCount: Int

    init(_ bytes: [UInt8], _ flags: CSVFuzzFlags) {
        // Every line end (CRLF, LF or a lone CR) ends a line; the last line may have none.
        var lines = 1
        for (i, b) in bytes.enumerated() where b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
            lines += 1
        }
        lineCount = lines
        let reader: CSVReader
        do {
            reader = try CSVReader(bytes: bytes, delimiter: flags.delimiter, encoding: flags.encoding)
        } catch {
            precondition(error.fatal, "a header that cannot be read must stop the import: \(error)")
            errors.append(error)
            return
        }
        var source = reader
        columns = reader.columns
        delimiter = reader.delimiter
        // Each call moves past at least one byte, so more calls than bytes means a loop.
        for _ in 0...bytes.count + 1 {
            do {
                guard let record = try source.next() else { return }
                records.append(record)
            } catch {
                errors.append(error)
                if error.fatal { break }
            }
        }
        precondition((try? source.next()) == nil, "the reader did not reach the end of \(bytes.count) bytes")
    }

    func checkInvariants() {
        precondition([0x2C, 0x3B, 0x09].contains(delimiter) || columns.isEmpty, "delimiter \(delimiter)")
        var last = 0
        for record in records {
            precondition(record.line > last, "record lines must increase: \(record.line) after \(last)")
            precondition(record.line <= lineCount, "line \(record.line) of \(lineCount)")
            precondition(!record.cells.isEmpty, "a record holds at least one cell")
            precondition(!record.cells.contains(""), "an empty cell is nil, not \"\"")
            last = record.line
        }
        for error in errors {
            precondition(error.line >= 1 && error.line <= lineCount, "error line \(error.line) of \(lineCount)")
            precondition(!error.message.isEmpty, "an error says what is wrong")
        }
        for column in columns {
            precondition(column.first.map { !" \t".contains($0) } ?? true && column.last.map { !" \t".contains($0) } ?? true,
                         "header cells are trimmed: \(column.debugDescription)")
        }
        guard !columns.isEmpty else { return }
        // What the reader gave, written as the rejects file writes it, reads back the same.
        // After an empty line (which the reader skips), so that a header the reader took as text is
        // not taken for a ZIP archive's magic bytes once its leading spaces are trimmed.
        let written = "\n" + ([columns.map { Optional($0) }] + records.map(\.cells))
            .map { CSVRecordWriter.line($0, delimiter: delimiter) }.joined()
        let again = CSVFuzzRead(Array(written.utf8), CSVFuzzFlags(delimiterBits(delimiter)))
        precondition(again.errors.isEmpty, "written records read back with errors: \(again.errors)")
        precondition(again.columns == columns, "columns read back differ: \(again.columns) != \(columns)")
        precondition(again.records.map(\.cells) == records.map(\.cells), "records read back differ")
    }

    private func delimiterBits(_ delimiter: UInt8) -> UInt8 {
        switch delimiter {
        case 0x3B: 2
        case 0x09: 3
        default: 1
        }
    }

    var summary: String {
        var lines = ["\(columns.count) columns, \(records.count) records, \(errors.count) errors"]
        lines += errors.prefix(5).map { "line \($0.line): \($0.message)" + ($0.fatal ? " (fatal)" : "") }
        return lines.joined(separator: "\n")
    }
}
