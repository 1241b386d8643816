/// Writes records back as CSV, for the rejects file of `skip bad rows`: a person fixes the rows
/// in it and imports it again, so it must read back exactly as the reader reads the original.
public enum CSVRecordWriter {
    /// One RFC 4180 line (quoted where needed, LF-terminated) in the given delimiter; nil cells are empty.
    public static func line(_ cells: [String?], delimiter: UInt8) -> String {
        var out: [UInt8] = []
        for (index, cell) in cells.enumerated() {
            if index > 0 { out.append(delimiter) }
            guard let cell, !cell.isEmpty else { continue }
            if needsQuotes(cell, delimiter: delimiter) {
                out.append(CSVScanner.quote)
                for b in cell.utf8 {
                    out.append(b)
                    if b == CSVScanner.quote { out.append(b) }
                }
                out.append(CSVScanner.quote)
            } else {
                out.append(contentsOf: cell.utf8)
            }
        }
        // A lone empty cell would be an empty line, which the reader skips: quote it instead.
        // (The reader reads "" as empty too.)
        if cells.count == 1 && out.isEmpty { out.append(contentsOf: [CSVScanner.quote, CSVScanner.quote]) }
        out.append(CSVScanner.lf)
        return String(decoding: out, as: UTF8.self)
    }

    /// A cell that holds the delimiter, a quote or a line break needs quotes; so does one that starts
    /// or ends with a space or tab, which a reader could take for padding (or, alone on its line,
    /// for an empty line).
    static func needsQuotes(_ cell: String, delimiter: UInt8) -> Bool {
        let utf8 = cell.utf8
        for edge in [utf8.first, utf8.last] where edge == CSVScanner.space || edge == CSVScanner.tab { return true }
        for b in utf8 where b == delimiter || b == CSVScanner.quote || b == CSVScanner.lf || b == CSVScanner.cr {
            return true
        }
        return false
    }
}
