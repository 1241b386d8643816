/// `export QUERY to "FILE" [raw] [replace]`: a query's rows written to a file, in the format the
/// file's extension names.
public struct ExportSyntax: Equatable, Sendable {
    /// A `find` or an aggregate (`count`, `sum`, ... `by` ...).
    public var query: StatementKind
    public var queryRange: SourceRange
    /// The file name as written; relative to the current directory.
    public var path: String
    public var pathRange: SourceRange
    /// `raw`: CSV and TSV cells that a spreadsheet would run as a formula are written as they are.
    public var raw: Bool
    /// `replace`: an existing file may be replaced.
    public var replace: Bool
}
