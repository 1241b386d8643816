/// The formats `export` writes, named by the file's extension.
public enum ExportFormat: String, CaseIterable, Sendable {
    case csv, tsv, json, jsonl, vcf

    /// The format of a file name's extension (any case), or nil.
    public static func of(path: String) -> ExportFormat? {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return ExportFormat(rawValue: name[name.index(after: dot)...].lowercased())
    }

    static var extensions: String { allCases.map { "." + $0.rawValue }.joined(separator: ", ") }
}
