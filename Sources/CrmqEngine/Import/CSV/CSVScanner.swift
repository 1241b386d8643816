/// The byte-level work of `CSVReader`: finds where a record's cells start and end in the file's
/// buffer, counting lines (quoted line breaks included), and hands each cell's bytes to
/// `CSVCellDecoder`. It holds no state between records, so the reader stays a plain value.
struct CSVScanner {
    static let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, semicolon: UInt8 = 0x3B, tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A, cr: UInt8 = 0x0D, space: UInt8 = 0x20

    let buffer: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    let encoding: TextEncoding

    /// One record read, or why it could not be.
    struct Outcome {
        var cells: [String?] = []
        /// The line the record starts on.
        var line: Int
        /// Where the record after it starts (past its line end), and that record's line.
        var end: Int
        var nextLine: Int
        /// The first problem in the record; the record's end is still found, so reading goes on after it.
        var error: ImportReadError?
    }

    /// The start of the first line from `position` on that holds something other than spaces, or
    /// nil at the end of the file. A line of only spaces is empty too: its one cell would be blanks.
    func skippingBlankLines(from position: Int, line: Int) -> (position: Int, line: Int)? {
        var i = position, line = line, lineStart = position
        while i < buffer.count {
            let b = buffer[i]
            if b == CSVScanner.space || (b == CSVScanner.tab && delimiter != CSVScanner.tab) {
                i += 1
            } else if b == CSVScanner.lf || b == CSVScanner.cr {
                i += (b == CSVScanner.cr && i + 1 < buffer.count && buffer[i + 1] == CSVScanner.lf) ? 2 : 1
                line += 1
                lineStart = i
            } else {
                return (lineStart, line)
            }
        }
        return nil
    }

    /// Reads the record that starts at `start` (the start of a line that is not empty).
    func record(from start: Int, line startLine: Int, expectedCells: Int) -> Outcome {
        var cells: [String?] = []
        cells.reserveCapacity(expectedCells)
        var outcome = record(from: start, line: startLine, into: &cells)
        outcome.cells = cells
        return outcome
    }

    /// Reads the record that starts at `start` into `cells` (the outcome's `cells` stay empty).
    func record(from start: Int, line startLine: Int, into cells: inout some CSVCellSink) -> Outcome {
        let n = buffer.count
        let decoder = CSVCellDecoder(encoding: encoding)
        var error: ImportReadError?
        var i = start, line = startLine
        while true {
            // A quoted cell may have spaces before its opening quote; an unquoted one keeps them.
            var j = i
            while j < n && buffer[j] == CSVScanner.space { j += 1 }
            var cellEnd: Int
            if j < n && buffer[j] == CSVScanner.quote {
                let openLine = line
                j += 1
                let contentStart = j
                var doubled = false
                while true {
                    guard j < n else {
                        let opened = openLine == startLine ? "" : " (the record starts on line \(startLine))"
                        return Outcome(line: startLine, end: n, nextLine: line, error: ImportReadError(
                            "a quote opened in cell \(cells.count + 1) is never closed\(opened)", line: openLine,
                            hint: "close the quoted cell with \"; a quote inside a quoted cell is written twice: \"\"",
                            fatal: true))
                    }
                    let b = buffer[j]
                    if b == CSVScanner.quote {
                        if j + 1 < n && buffer[j + 1] == CSVScanner.quote { doubled = true; j += 2; continue }
                        break
                    }
                    if b == CSVScanner.lf || (b == CSVScanner.cr && !(j + 1 < n && buffer[j + 1] == CSVScanner.lf)) {
                        line += 1
                    }
                    j += 1
                }
                let content = contentStart..<j
                j += 1
                while j < n && buffer[j] == CSVScanner.space { j += 1 }
                cellEnd = j
                if j < n && !isCellEnd(buffer[j]) {
                    if error == nil {
                        error = ImportReadError("text after the closing quote of cell \(cells.count + 1)", line: line,
                                                hint: "a quote inside a quoted cell is written twice: \"\"")
                    }
                    // Go on to the cell's end as if unquoted, so the next record is found.
                    while j < n && !isCellEnd(buffer[j]) { j += 1 }
                    cellEnd = j
                }
                let raw = UnsafeBufferPointer(rebasing: buffer[content])
                if raw.isEmpty {
                    cells.appendNil()
                } else if !doubled, decoder.isText(raw) {
                    cells.append(raw: raw)
                } else {
                    let cell = decoder.cell(raw, unescapingQuotes: doubled)
                    cells.append(keep(cell, from: content.lowerBound, record: start, line: startLine, error: &error))
                }
            } else {
                j = i
                var high: UInt8 = 0
                while j < n {
                    let b = buffer[j]
                    if b == delimiter || b == CSVScanner.lf || b == CSVScanner.cr { break }
                    high |= b
                    j += 1
                }
                cellEnd = j
                if j == i {
                    cells.appendNil()
                } else if high < 0x80 || decoder.isText(UnsafeBufferPointer(rebasing: buffer[i..<j])) {
                    cells.append(raw: UnsafeBufferPointer(rebasing: buffer[i..<j]))
                } else {
                    let cell = decoder.cell(UnsafeBufferPointer(rebasing: buffer[i..<j]), unescapingQuotes: false)
                    cells.append(keep(cell, from: i, record: start, line: startLine, error: &error))
                }
            }
            if cellEnd >= n {
                return Outcome(line: startLine, end: n, nextLine: line + 1, error: error)
            }
            let b = buffer[cellEnd]
            if b == delimiter {
                i = cellEnd + 1
                continue
            }
            let next = cellEnd + ((b == CSVScanner.cr && cellEnd + 1 < n && buffer[cellEnd + 1] == CSVScanner.lf) ? 2 : 1)
            return Outcome(line: startLine, end: next, nextLine: line + 1, error: error)
        }
    }

    private func isCellEnd(_ b: UInt8) -> Bool {
        b == delimiter || b == CSVScanner.lf || b == CSVScanner.cr
    }

    /// The decoded cell; nil for an empty one, or one that cannot be decoded (keeping the record's
    /// first such error). `from` is where the cell's bytes start in the buffer.
    private func keep(_ cell: CSVCellDecoder.Cell, from cellStart: Int, record start: Int, line startLine: Int,
                      error: inout ImportReadError?) -> String? {
        switch cell {
        case .text(let text): return text
        case .empty: return nil
        case .invalidUTF8(let offset, let byte):
            if error == nil {
                let (line, column) = location(of: cellStart + offset, record: start, line: startLine)
                let hex = String(byte, radix: 16, uppercase: true)
                error = ImportReadError(
                    "invalid UTF-8 at column \(column): byte 0x\(hex.count == 1 ? "0" + hex : hex) is not part of a UTF-8 character",
                    line: line, hint: "add encoding latin1 to read a Latin-1 file")
            }
            return nil
        }
    }

    /// The line and 1-based byte column of a position inside the record that starts at `start`.
    private func location(of position: Int, record start: Int, line startLine: Int) -> (line: Int, column: Int) {
        var line = startLine, lineStart = start, i = start
        while i < position {
            let b = buffer[i]
            if b == CSVScanner.lf || (b == CSVScanner.cr && !(i + 1 < buffer.count && buffer[i + 1] == CSVScanner.lf)) {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        return (line, position - lineStart + 1)
    }
}

/// Where a scanned record's cells go: Strings (`[String?]`), or the bytes of one run of texts
/// (`TextRun`), which an import converts without a String per cell.
protocol CSVCellSink {
    var count: Int { get }
    /// An empty cell.
    mutating func appendNil()
    /// A cell whose bytes in the file are its text as they are (UTF-8, nothing to unescape).
    mutating func append(raw: UnsafeBufferPointer<UInt8>)
    /// A decoded cell, or nil.
    mutating func append(_ text: String?)
}

extension Array: CSVCellSink where Element == String? {
    mutating func appendNil() { append(nil) }
    mutating func append(raw: UnsafeBufferPointer<UInt8>) { append(String(decoding: raw, as: UTF8.self)) }
}

extension TextRun: CSVCellSink {
    mutating func appendNil() { append(nil) }
    mutating func append(raw: UnsafeBufferPointer<UInt8>) { append(utf8: raw) }
}
