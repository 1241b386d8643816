/// Reads a CSV file as RFC 4180 says and as real files are written: quoted cells with doubled
/// quotes, delimiters and line breaks inside quotes, CRLF, LF or lone CR line ends, a UTF-8 BOM,
/// `,` `;` or tab detected from the header, empty lines skipped.
///
/// Hand-written over the bytes rather than taken from a CSV package, for three reasons: speed (a
/// million rows of fifteen columns is one pass over one buffer, and a cell becomes a String only
/// once it is known to be valid), line numbers (a record knows the line it starts on, counted
/// across quoted line breaks, so an error says `FILE:LINE`), and diagnostics in crmq's words
/// (invalid UTF-8 names the line and suggests `encoding latin1`; a quote never closed names the
/// line it opened on).
public struct CSVReader: ImportRecordSource {
    /// The delimiter in use: the one given, or the one detected from the header line.
    public let delimiter: UInt8
    /// The header's cells, trimmed of surrounding spaces.
    public let columns: [String]
    public let encoding: TextEncoding

    let bytes: [UInt8]
    /// Where the next record (or empty line) starts, and the line it is on.
    var position: Int
    var line: Int
    /// Records that start at or after this belong to the next part (`parts`); the file's end otherwise.
    var limit: Int

    /// Strips a UTF-8 BOM, detects the delimiter (`,` `;` or tab) from the header line when nil, reads the header.
    /// An empty file (or only empty lines) is an error. Header cells are trimmed of surrounding spaces.
    public init(bytes: [UInt8], delimiter: UInt8? = nil, encoding: TextEncoding = .utf8) throws(ImportReadError) {
        try CSVReader.refuseNonText(bytes)
        self.bytes = bytes
        self.encoding = encoding
        position = bytes.starts(with: CSVReader.utf8BOM) ? CSVReader.utf8BOM.count : 0
        line = 1
        limit = bytes.count
        let chosen = delimiter ?? bytes.withUnsafeBufferPointer { [position] buffer in
            // As a tab-delimited file would: a line of tabs is not empty, so both find the same header line.
            CSVScanner(buffer: buffer, delimiter: CSVScanner.tab, encoding: encoding)
                .skippingBlankLines(from: position, line: 1).map { CSVReader.detectDelimiter(buffer, from: $0.position) }
        } ?? CSVScanner.comma
        self.delimiter = chosen
        guard let header = CSVReader.scan(bytes, from: position, line: line, limit: limit, delimiter: chosen,
                                          encoding: encoding, expectedCells: 8) else {
            throw ImportReadError("the file is empty: it has no header line naming the columns", line: 1,
                                  hint: "the first line of a CSV file names its columns, as in: name,email,phone", fatal: true)
        }
        if var error = header.error {
            // Without its header nothing in the file can be matched to a field.
            error.fatal = true
            throw error
        }
        columns = header.cells.map { $0.map(CSVReader.trimmingSpaces) ?? "" }
        position = header.end
        line = header.nextLine
    }

    /// The next record, or nil at the end of the file; empty lines are skipped. After an error the
    /// reader has moved past the broken record (unless the error is fatal: the rest cannot be read).
    public mutating func next() throws(ImportReadError) -> ImportRecord? {
        let result = CSVReader.scan(bytes, from: position, line: line, limit: limit, delimiter: delimiter,
                                    encoding: encoding, expectedCells: columns.count)
        // The position stays after the last record read: `lineAfter(reaching:)` checks the parts met there.
        guard let result else { return nil }
        position = result.end
        line = result.nextLine
        if let error = result.error {
            // Nothing after an unterminated quote can be told apart from the quoted text.
            if error.fatal { position = bytes.count }
            throw error
        }
        return ImportRecord(cells: result.cells, line: result.line)
    }

    /// As `next()`, the cells going into `cells` (emptied first) as bytes; returns the record's line.
    public mutating func next(into cells: inout TextRun) throws(ImportReadError) -> Int? {
        cells.removeAll()
        let (position, line, limit, delimiter, encoding) = (self.position, self.line, self.limit, self.delimiter, self.encoding)
        let result = bytes.withUnsafeBufferPointer { buffer -> CSVScanner.Outcome? in
            let scanner = CSVScanner(buffer: buffer, delimiter: delimiter, encoding: encoding)
            guard let start = scanner.skippingBlankLines(from: position, line: line), start.position < limit else { return nil }
            return scanner.record(from: start.position, line: start.line, into: &cells)
        }
        guard let result else { return nil }
        self.position = result.end
        self.line = result.nextLine
        if let error = result.error {
            if error.fatal { self.position = bytes.count }
            throw error
        }
        return result.line
    }

    /// The record at or after `position`, past any empty lines; nil at the end of the file, or when
    /// the record starts at or after `limit`.
    private static func scan(_ bytes: [UInt8], from position: Int, line: Int, limit: Int, delimiter: UInt8,
                             encoding: TextEncoding, expectedCells: Int) -> CSVScanner.Outcome? {
        bytes.withUnsafeBufferPointer { buffer in
            let scanner = CSVScanner(buffer: buffer, delimiter: delimiter, encoding: encoding)
            guard let start = scanner.skippingBlankLines(from: position, line: line), start.position < limit else { return nil }
            return scanner.record(from: start.position, line: start.line, expectedCells: expectedCells)
        }
    }

    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Counts `,` `;` and tab outside quotes on the header line: the most frequent wins, a tie is `,`.
    static func detectDelimiter(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        var counts = (comma: 0, semicolon: 0, tab: 0)
        var quoted = false
        var i = start
        scan: while i < buffer.count {
            switch buffer[i] {
            case CSVScanner.quote: quoted.toggle()
            case CSVScanner.lf, CSVScanner.cr: if !quoted { break scan }
            case CSVScanner.comma: if !quoted { counts.comma += 1 }
            case CSVScanner.semicolon: if !quoted { counts.semicolon += 1 }
            case CSVScanner.tab: if !quoted { counts.tab += 1 }
            default: break
            }
            i += 1
        }
        if counts.semicolon > counts.comma && counts.semicolon > counts.tab { return CSVScanner.semicolon }
        if counts.tab > counts.comma && counts.tab > counts.semicolon { return CSVScanner.tab }
        return CSVScanner.comma
    }

    /// Files that are plainly not CSV text get a sentence saying what they are, not a row error.
    private static func refuseNonText(_ bytes: [UInt8]) throws(ImportReadError) {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw ImportReadError("the file is a ZIP archive (an .xlsx or .ods spreadsheet?), not CSV text", line: 1,
                                  hint: "save it as CSV (UTF-8) from the spreadsheet, then import that file", fatal: true)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw ImportReadError("the file is UTF-16 text; crmq reads UTF-8 or Latin-1", line: 1,
                                  hint: "save it as CSV (UTF-8), or convert it: iconv -f UTF-16 -t UTF-8", fatal: true)
        }
    }

    /// Spaces and tabs around a header cell go, and a byte order mark not at the very start (after
    /// empty lines, or in a file pasted together from two) goes too, or no column would match "id".
    static func trimmingSpaces(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let first = scalars.first, first == " " || first == "\t" || first == "\u{FEFF}" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
