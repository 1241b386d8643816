/// `export QUERY to "FILE"`: the query bound as it would run alone, and the file's format checked
/// before any data is read.
public struct BoundExport: Sendable {
    public var query: BoundExplain.Query
    public var format: ExportFormat
    public var path: String
    public var pathRange: SourceRange
    public var raw: Bool
    public var replace: Bool

    /// The query as a statement of its own, for what reads and plans it.
    public var statement: BoundStatement {
        switch query {
        case .find(let q): .find(q)
        case .aggregate(let q): .aggregate(q)
        }
    }
}

extension Binder {
    /// The fields a vCard is made of, read by these paths from a contact (VCardWriter).
    static let vCardColumns = ["first_name", "last_name", "email", "phone", "title", "account.name", "city", "country"]

    func bindExport(_ e: ExportSyntax) throws(Diagnostic) -> BoundExport {
        if e.path.allSatisfy(\.isWhitespace) {
            throw Diagnostic(.binder, "the file name is empty", at: e.pathRange,
                             hint: "name a file ending in \(ExportFormat.extensions), as in \"contacts.csv\"")
        }
        guard let format = ExportFormat.of(path: e.path) else {
            throw Diagnostic(.binder, "crmq cannot tell the format of \"\(e.path)\" from its extension", at: e.pathRange,
                             hint: "end the file name in \(ExportFormat.extensions)")
        }
        let query: BoundExplain.Query
        switch e.query {
        case .find(let q):
            var find = try bindFind(q)
            if format == .vcf {
                let (entity, _) = try resolveSource(q.entity)
                guard entity.name == "contacts" else {
                    throw Diagnostic(.binder, "a vCard file holds contacts, not \(entity.name)", at: e.pathRange,
                                     hint: "export contacts to .vcf, or \(entity.name) to .csv, .tsv, .json or .jsonl")
                }
                if q.show != nil {
                    throw Diagnostic(.binder, "a vCard has its own fields: \"show\" does not apply", at: e.queryRange,
                                     hint: "leave out show, or export to .csv")
                }
                var columns: [BoundColumn] = []
                for text in Binder.vCardColumns {
                    let p = try resolve(syntheticPath(text), from: entity)
                    columns.append(BoundColumn(path: p, header: p.text))
                }
                find.columns = columns
            }
            query = .find(find)
        case .aggregate(let q):
            if format == .vcf {
                throw Diagnostic(.binder, "a vCard file holds contacts, not an aggregate's rows", at: e.pathRange,
                                 hint: "export find contacts ... to .vcf, or the aggregate to .csv")
            }
            query = .aggregate(try bindAggregate(q))
        default:
            throw Diagnostic(.binder, "only a find or an aggregate can be exported", at: e.queryRange)
        }
        return BoundExport(query: query, format: format, path: e.path, pathRange: e.pathRange, raw: e.raw, replace: e.replace)
    }
}
