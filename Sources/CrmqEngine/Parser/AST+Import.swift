/// `import ENTITY from "FILE" [OPTION ...]` and `import vcards from "FILE" [OPTION ...]`: records
/// read from a file into an entity. Each option may be given once, in any order.
public struct ImportSyntax: Equatable, Sendable {
    /// The entity as written; for `import vcards` the word `vcards` (the records go to contacts).
    public var entity: Name
    /// True for `import vcards`: the file is a vCard file.
    public var vcards: Bool
    /// The file name as written; relative to the current directory.
    public var path: String
    public var pathRange: SourceRange
    /// `map COLUMN to FIELD, ...`: a file column read into a field whose name does not match it.
    public var maps: [ColumnMap] = []
    /// `ignore "COLUMN", ...`: file columns left out on purpose (no note about them).
    public var ignores: [Name] = []
    /// `set FIELD = VALUE, ...`: a value for every imported record.
    public var sets: [Assignment] = []
    /// `by FIELD, ...`: a record with these key values is updated, else one is created.
    public var keys: [Name] = []
    /// `skip bad rows`: good rows are imported, bad ones written to `FILE.rejects.csv`.
    public var skipBadRows: SourceRange?
    /// `decimal comma`: `1.234,5` is one thousand two hundred thirty-four and a half.
    public var decimalComma: SourceRange?
    /// `date format "dd.mm.yyyy"`: the pattern and where it was written.
    public var dateFormat: Name?
    /// `encoding latin1` / `encoding utf8`.
    public var encoding: Name?
    /// `delimiter ";"` (or `"\t"`, `tab`).
    public var delimiter: Name?
    /// `without history`: imported deals record no stage change.
    public var withoutHistory: SourceRange?

    /// `COLUMN to FIELD`: the column as written (a string or a bare name), and the field.
    public struct ColumnMap: Equatable, Sendable {
        public var column: Name
        public var field: Name
    }
}
