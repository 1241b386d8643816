/// The vCard target: a .vcf file read card by card to the end, going on after each broken card as
/// `import vcards ... skip bad rows` does.
extension FuzzRunner {
    /// Every card read with the reader's invariants checked, then the whole `import vcards` into the
    /// fixture; the input's length picks the statement (the corpus has no flag byte to spare).
    static func vcards(_ bytes: [UInt8]) -> FuzzOutcome {
        var outcome = readVCards(bytes)
        outcome.text += "\n" + FuzzImport.run(bytes, choice: bytes.count, vcards: true)
        return outcome
    }

    /// The reader alone, over the whole file. Traps when
    /// an invariant breaks, so the fuzzer reports it: card lines only grow, each call consumes input
    /// (the loop ends), a record has one cell per column, no empty or untrimmed cell, and a name or
    /// an email; an error names a line of the file and is never fatal after the file was accepted.
    static func readVCards(_ bytes: [UInt8]) -> FuzzOutcome {
        var reader: VCardReader
        do {
            reader = try VCardReader(bytes: bytes)
        } catch {
            return FuzzOutcome(accepted: false, text: error.message)
        }
        let lineCount = bytes.reduce(1) { $0 + ($1 == 0x0A || $1 == 0x0D ? 1 : 0) }
        var lastLine = 0
        var records = 0
        var errors: [String] = []
        for _ in 0...lineCount {
            let line: Int
            do {
                guard let record = try reader.next() else {
                    let text = "\(records) cards read, \(errors.count) broken" + errors.prefix(3).map { "\n" + $0 }.joined()
                    return FuzzOutcome(accepted: errors.isEmpty, text: text)
                }
                precondition(record.cells.count == reader.columns.count, "a record with \(record.cells.count) cells")
                for cell in record.cells {
                    guard let cell else { continue }
                    precondition(!cell.isEmpty && cell.unicodeScalars.first.map(isBlank) == false
                                 && cell.unicodeScalars.last.map(isBlank) == false, "a blank or untrimmed cell: \(cell.debugDescription)")
                }
                precondition(record.cells[0] != nil || record.cells[1] != nil || record.cells[2] != nil, "a card with no name and no email")
                records += 1
                line = record.line
            } catch {
                precondition(!error.fatal, "a fatal error after the file was accepted: \(error.message)")
                precondition(!error.message.isEmpty)
                errors.append("line \(error.line): \(error.message)")
                line = error.line
            }
            precondition(line > lastLine && line <= lineCount, "card line \(line) after \(lastLine) (of \(lineCount))")
            lastLine = line
        }
        preconditionFailure("the reader did not end after \(lineCount) cards")
    }

    private static func isBlank(_ u: Unicode.Scalar) -> Bool { u == " " || u == "\t" || u == "\n" || u == "\r" }
}
