/// How the file's columns fill the entity's fields: by `map`, else by name (ignoring case, spaces,
/// `_` and `-`), `account.name`-style headers (crmq's own export) as the reference `account` given
/// by name. Columns that fill nothing are noted, unless ignored.
struct ImportColumns {
    enum Target: Equatable {
        case skip
        /// The record's id (`id` column).
        case id
        case field(Int)
    }
    var targets: [Target]
    /// `note: column "Fax" is not imported: ...` lines with their hints.
    var notes: [(String, String)]

    static func normalised(_ s: String) -> String {
        String(s.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" })
    }

    init(_ columns: [String], entity: EntityDef, bound: BoundImport, file: String) throws(Diagnostic) {
        let lowered = columns.map { $0.lowercased() }
        for m in bound.maps where !lowered.contains(m.column.lowercased()) {
            throw Diagnostic(.binder, "\(DataFileError.quoted(file)) has no column \"\(m.column)\"", at: m.columnRange,
                             hint: Suggestions.didYouMean(m.column, in: columns) ?? "its columns: \(ImportColumns.list(columns))")
        }
        for i in bound.ignores where !lowered.contains(i.text.lowercased()) {
            throw Diagnostic(.binder, "\(DataFileError.quoted(file)) has no column \"\(i.text)\"", at: i.range,
                             hint: Suggestions.didYouMean(i.text, in: columns) ?? "its columns: \(ImportColumns.list(columns))")
        }
        var byName: [String: Int] = [:]
        for (i, f) in entity.fields.enumerated() { byName[ImportColumns.normalised(f.name)] = i }
        var targets: [Target] = []
        var notes: [(String, String)] = []
        var filled: [Int: String] = [:]
        for (c, column) in columns.enumerated() {
            var field: Int?
            if let m = bound.maps.first(where: { $0.column.lowercased() == lowered[c] }) {
                field = m.field
            } else if bound.ignores.contains(where: { $0.text.lowercased() == lowered[c] }) {
                targets.append(.skip)
                continue
            } else if let f = byName[ImportColumns.normalised(column)] {
                field = f
            } else if let dot = column.firstIndex(of: "."),
                      let f = byName[ImportColumns.normalised(String(column[..<dot]))],
                      case .reference = entity.fields[f].type {
                // `account.name` (crmq's default export): the account given by its name.
                field = f
            }
            guard let field else {
                targets.append(.skip)
                // A vCard's fields are fixed: one the entity lacks (a NOTE) is not the user's to map.
                if bound.format == .vcards { continue }
                notes.append(("column \"\(column)\" is not imported: no field of \(entity.name) matches it",
                              "map \"\(column)\" to FIELD, or ignore \"\(column)\""))
                continue
            }
            if let other = filled[field] {
                let name = entity.fields[field].name
                throw Diagnostic(.binder, "columns \"\(other)\" and \"\(column)\" of \(DataFileError.quoted(file)) both fill \(name)",
                                 at: bound.pathRange, hint: "ignore \"\(column)\", or map it to another field")
            }
            if let s = bound.sets.first(where: { $0.field == field }) {
                throw Diagnostic(.binder, "\(entity.fields[field].name) is both set and read from column \"\(column)\"",
                                 at: s.range, hint: "leave out the set, or ignore \"\(column)\"")
            }
            filled[field] = column
            targets.append(field == 0 ? .id : .field(field))
        }
        for k in bound.keys where filled[k] == nil {
            throw Diagnostic(.binder, "no column of \(DataFileError.quoted(file)) fills the key \(entity.fields[k].name)",
                             at: bound.keyRange, hint: "map a column to \(entity.fields[k].name)")
        }
        self.targets = targets
        self.notes = notes
    }

    private static func list(_ columns: [String]) -> String {
        columns.prefix(20).map { "\"\($0)\"" }.joined(separator: ", ") + (columns.count > 20 ? ", ..." : "")
    }
}
