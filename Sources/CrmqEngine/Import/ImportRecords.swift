/// What an import reads, whatever the file's format: named columns, then records of cells, each
/// knowing the line it starts on so that a bad value can be reported as `FILE:LINE`. The CSV reader
/// and the vCard reader both produce this; the importer matches columns to fields and converts cells.
public protocol ImportRecordSource {
    /// The column names, in file order: a CSV file's header, or the contact fields a vCard fills.
    var columns: [String] { get }
    /// The next record, or nil at the end of the file. After a thrown error the source has skipped
    /// past the broken record, so calling `next()` again goes on with the one after it (`skip bad rows`).
    mutating func next() throws(ImportReadError) -> ImportRecord?
    /// As `next()`, the record's cells going into `cells` (emptied first); returns its line.
    mutating func next(into cells: inout TextRun) throws(ImportReadError) -> Int?
}

extension ImportRecordSource {
    public mutating func next(into cells: inout TextRun) throws(ImportReadError) -> Int? {
        cells.removeAll()
        guard let record = try next() else { return nil }
        for c in record.cells { cells.append(c) }
        return record.line
    }
}

/// One record of an import file.
public struct ImportRecord: Sendable, Equatable {
    /// One cell per column as the file gives them; nil for an empty cell. A CSV row may hold more
    /// or fewer cells than there are columns: the importer refuses such a row, naming both counts.
    public var cells: [String?]
    /// The 1-based line the record starts on.
    public var line: Int

    public init(cells: [String?], line: Int) {
        self.cells = cells
        self.line = line
    }
}

/// A record or a file that cannot be read: what is wrong, and the line it was found on.
public struct ImportReadError: Error, Sendable, Equatable {
    /// A sentence without the file name or line (the importer adds both): `invalid UTF-8 at column 12`.
    public var message: String
    /// The 1-based line of the problem.
    public var line: Int
    public var hint: String?
    /// True when nothing after this point can be read (an unterminated quote that runs to the end,
    /// a file that is not text): the import stops even with `skip bad rows`.
    public var fatal: Bool

    public init(_ message: String, line: Int, hint: String? = nil, fatal: Bool = false) {
        self.message = message
        self.line = line
        self.hint = hint
        self.fatal = fatal
    }
}

/// A source that can be read in parts at once, one core each (a large CSV file). A cut between
/// parts is a guess at where a record starts; the importer checks each guess once the part before
/// it is read, and reads on from there itself when it was wrong, so the rows are those one reader
/// would give, with the same lines.
protocol SplittableRecordSource: ImportRecordSource {
    /// Up to `count` sources reading consecutive stretches of what is left, each at least
    /// `minimumBytes` long; `[self]` when there is too little to share.
    func parts(_ count: Int, minimumBytes: Int) -> [Self]
    /// Called on a part read to its end, with the next part as `parts` made it: the line the next
    /// part starts on, in this part's numbering; nil when this part's last record ran past that
    /// start (the cut was inside a record), so the next part's records are not the file's.
    func lineAfter(reaching next: Self) -> Int?
    /// This part read to its end, made to read on through what `next` was to read.
    func continuing(through next: Self) -> Self
}
