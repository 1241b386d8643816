/// The text of `.indexes`: one line per index with its kind, size and column statistics.
enum IndexListing {
    static func describe(_ entity: String, in db: Database) -> String {
        let c = db[entity]
        var out = ""
        for f in c.indexedFields.sorted() {
            let field = c.entity.fields[f]
            guard let index = c.index(f) else {
                out += "\(c.entity.name).\(field.name)  (not built)\n"
                continue
            }
            let stats = ColumnStats(index, rows: c.count)
            var line = "\(c.entity.name).\(field.name)  \(index.kind)  \(CellText.grouped(String(stats.distinct))) distinct"
            line += ", \(CellText.grouped(String(stats.nulls))) null"
            let reader = PathReader(BoundPath(root: c.entity.name, hops: [], field: FieldRef(entity: c.entity.name, field: f),
                                              type: field.type, text: field.name), in: db)
            if let (lo, hi) = stats.range {
                line += ", from \(reader.decode(lo).plainText) to \(reader.decode(hi).plainText)"
            }
            if !stats.mostCommon.isEmpty, stats.distinct < c.count {
                let common = stats.mostCommon.map { m -> String in
                    let label: String
                    if case .reference = field.type { label = "#\(m.value)" } else { label = reader.decode(m.value).plainText }
                    return "\(label) \(m.rows * 100 / max(1, c.count))%"
                }
                line += ", most common: " + common.joined(separator: ", ")
            }
            line += ", \(CellText.grouped(String(index.memory / 1024))) KiB"
            out += line + "\n"
        }
        return out
    }
}
