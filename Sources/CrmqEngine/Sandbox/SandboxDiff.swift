/// What `sandbox apply` would change, for `sandbox diff`: per collection the records created,
/// updated (each changed field, old and new value) and deleted, counted in full and listed up to
/// `shown` of each kind (a bulk update of 100,000 records stays readable), and the schema and
/// catalog changes in words.
///
/// It compares the data at `sandbox` with the data now, record by record, over the records the
/// sandbox's changes name: a record updated back to what it was is not listed, one created and
/// deleted again in the sandbox neither.
struct SandboxDiff {
    static let shown = 5

    struct Entry {
        var id: Int64
        var title: String
        /// `field old -> new` for an update, `field value` for a record created; empty for a delete.
        var fields: [String]
    }

    struct EntityDiff {
        var entity: String
        var created: [Int64] = []
        var updated: [Int64] = []
        var deleted: [Int64] = []
        var count: Int { created.count + updated.count + deleted.count }
    }

    let base: Database
    let now: Database
    let statements: Int
    var catalog: [String] = []
    var entities: [EntityDiff] = []
    /// Fields renamed in the sandbox, in order: an updated record's field is compared under its old name.
    private var renamed: [(entity: String, from: String, to: String)] = []
    /// The fields the sandbox's changes set, by entity, under their names now: only they can
    /// differ in a record that existed at `sandbox` (a field added since is null until set).
    private var assignedFields: [String: Set<String>] = [:]

    init(base: Database, now: Database, changes: [DataChange], statements: Int) {
        self.base = base
        self.now = now
        self.statements = statements
        var order: [String] = []
        var inserted: [String: [Int64]] = [:], assigned: [String: Set<Int64>] = [:], removed: [String: [Int64]] = [:]
        // An assignment names its field by position in the schema of its moment: follow the schema.
        var fieldNames: [String: [String]] = [:]
        func names(_ e: String) -> [String] { fieldNames[e] ?? base.schema.entity(named: e)?.fields.map(\.name) ?? [] }
        for c in changes {
            if let e = c.entity, !order.contains(e) { order.append(e) }
            switch c {
            case .insert(let e, let id, _): inserted[e, default: []].append(id)
            case .insertBatch(let e, let batch): inserted[e, default: []] += batch.ids
            case .assign(let e, let f, _, let ids):
                assigned[e, default: []].formUnion(ids)
                let n = names(e)
                if f < n.count { assignedFields[e, default: []].insert(n[f]) }
            case .delete(let e, let ids): removed[e, default: []] += ids
            case .catalog(let change):
                catalog.append(SandboxDiff.describe(change))
                guard case .schema(let schemaChange) = change else { break }
                switch schemaChange {
                case .addField(let e, let field, _):
                    fieldNames[e] = names(e) + [field.name]
                case .renameField(let e, let from, let to):
                    renamed.append((e, from, to))
                    fieldNames[e] = names(e).map { $0 == from ? to : $0 }
                    if assignedFields[e]?.remove(from) != nil { assignedFields[e]!.insert(to) }
                case .dropField(let e, let field):
                    fieldNames[e] = names(e).filter { $0 != field }
                    assignedFields[e]?.remove(field)
                case .addEntity(let def, _):
                    fieldNames[def.name] = def.fields.map(\.name)
                }
            }
        }
        for e in order where now.schema.entity(named: e) != nil {
            let created = Set(inserted[e] ?? [])
            let inBase = base.schema.entity(named: e) != nil
            var d = EntityDiff(entity: e)
            d.created = (inserted[e] ?? []).filter { now[e].row(ofId: $0) != nil }
            d.deleted = inBase ? (removed[e] ?? []).filter { !created.contains($0) && base[e].row(ofId: $0) != nil }.sorted() : []
            if inBase {
                d.updated = comparer(e).differing((assigned[e] ?? []).subtracting(created).sorted())
            }
            if d.count > 0 { entities.append(d) }
        }
    }

    /// Whether applying would change nothing.
    var isEmpty: Bool { catalog.isEmpty && entities.isEmpty }

    /// How many records applying would create, update and delete.
    var recordCount: Int { entities.reduce(0) { $0 + $1.count } }

    func render() -> String {
        var out = "sandbox diff: \(SandboxDiff.plural(statements, "statement"))"
        if isEmpty { return out + ", nothing would change\n" }
        out += ", \(SandboxDiff.plural(recordCount, "record")) would change\n"
        if !catalog.isEmpty {
            out += "schema and catalog:\n"
            for line in catalog { out += "  \(line)\n" }
        }
        for d in entities {
            var counts: [String] = []
            if !d.created.isEmpty { counts.append("\(d.created.count) created") }
            if !d.updated.isEmpty { counts.append("\(d.updated.count) updated") }
            if !d.deleted.isEmpty { counts.append("\(d.deleted.count) deleted") }
            out += "\(d.entity): " + counts.joined(separator: ", ") + "\n"
            out += list(d.created, "+", "created") { created(d.entity, $0) }
            out += list(d.updated, "~", "updated") { id in
                Entry(id: id, title: title(now, d.entity, id), fields: fieldChanges(d.entity, id))
            }
            out += list(d.deleted, "-", "deleted") { Entry(id: $0, title: title(base, d.entity, $0), fields: []) }
        }
        return out
    }

    private func list(_ ids: [Int64], _ mark: String, _ kind: String, _ entry: (Int64) -> Entry) -> String {
        var out = ""
        for id in ids.prefix(SandboxDiff.shown) {
            let e = entry(id)
            out += "  \(mark) \(e.id)" + (e.title.isEmpty ? "" : " \(e.title)")
            out += e.fields.isEmpty ? "\n" : ": " + e.fields.joined(separator: ", ") + "\n"
        }
        if ids.count > SandboxDiff.shown { out += "  ... and \(ids.count - SandboxDiff.shown) more \(kind)\n" }
        return out
    }

    // MARK: - Records

    /// `field old -> new` for each field of the record that differs between the data at `sandbox`
    /// and now; a field added in the sandbox was null before, a renamed one is followed.
    private func fieldChanges(_ entity: String, _ id: Int64) -> [String] {
        let compare = comparer(entity)
        guard let row = compare.now.row(ofId: id), let baseRow = compare.base.row(ofId: id) else { return [] }
        return compare.pairs.compactMap { pair -> String? in
            let new = SandboxDiff.value(compare.now, row, pair.now, now.schema)
            let old = pair.base.map { SandboxDiff.value(compare.base, baseRow, $0, base.schema) } ?? .null
            return old == new ? nil : "\(compare.now.entity.fields[pair.now].name) \(SandboxDiff.text(old)) -> \(SandboxDiff.text(new))"
        }
    }

    private func comparer(_ entity: String) -> RecordComparer {
        let c = now[entity]
        let set = assignedFields[entity] ?? []
        let pairs = c.entity.fields.indices.dropFirst().filter { set.contains(c.entity.fields[$0].name) }
            .map { f in (now: f, base: baseField(entity, c.entity.fields[f].name)) }
        return RecordComparer(now: c, base: base[entity], pairs: pairs)
    }

    /// One collection now and at `sandbox`, field by field: whether a record differs, on the stored
    /// values (a bulk update of 100,000 records is compared without turning each into text).
    private struct RecordComparer {
        let now: Collection
        let base: Collection
        /// Each field now and where it was at `sandbox` (nil: added since).
        let pairs: [(now: Int, base: Int?)]

        /// The records of `ids` (in both) that differ in any field, column by column.
        func differing(_ ids: [Int64]) -> [Int64] {
            var rows: [(now: Int, base: Int)] = []
            var kept: [Int64] = []
            for id in ids {
                if let r = now.row(ofId: id), let b = base.row(ofId: id) { rows.append((r, b)); kept.append(id) }
            }
            var differs = [Bool](repeating: false, count: rows.count)
            for pair in pairs {
                let column = now.columns[pair.now]
                guard let b = pair.base else {
                    for (i, r) in rows.enumerated() where column.isNull(r.now) == false { differs[i] = true }
                    continue
                }
                switch (column, base.columns[b]) {
                case (.integers(let x), .integers(let y)):
                    for (i, r) in rows.enumerated() where x[r.now] != y[r.base] { differs[i] = true }
                case (.text(let x), .text(let y)):
                    for (i, r) in rows.enumerated() where !differs[i] && x[r.now] != y[r.base] { differs[i] = true }
                default:
                    for i in rows.indices { differs[i] = true }
                }
            }
            return kept.indices.filter { differs[$0] }.map { kept[$0] }
        }
    }

    /// The field's position at `sandbox`, following renames made since.
    private func baseField(_ entity: String, _ name: String) -> Int? {
        var original = name
        for r in renamed.reversed() where r.entity == entity && r.to == original { original = r.from }
        return base[entity].entity.fieldIndex(original)
    }

    private func created(_ entity: String, _ id: Int64) -> Entry {
        let c = now[entity]
        guard let row = c.row(ofId: id) else { return Entry(id: id, title: "", fields: []) }
        let fields = c.entity.fields.indices.dropFirst().compactMap { f -> String? in
            let v = SandboxDiff.value(c, row, f, now.schema)
            return v.isNull ? nil : "\(c.entity.fields[f].name) \(SandboxDiff.text(v))"
        }
        return Entry(id: id, title: title(now, entity, id), fields: fields)
    }

    /// The record's title field, quoted, as a reader recognises it ("Acme renewal").
    private func title(_ db: Database, _ entity: String, _ id: Int64) -> String {
        let c = db[entity]
        guard let row = c.row(ofId: id), let f = c.entity.fieldIndex(c.entity.titleField) else { return "" }
        let v = SandboxDiff.value(c, row, f, db.schema)
        return v.isNull ? "" : "(\(SandboxDiff.text(v)))"
    }

    static func value(_ c: Collection, _ row: Int, _ field: Int, _ schema: Schema) -> Value {
        let type = c.entity.fields[field].type
        switch c.columns[field] {
        case .text(let t):
            return t[row].map { .text($0) } ?? .null
        case .integers(let a):
            let s = a[row]
            if s == nullInt { return .null }
            switch type {
            case .money: return .money(s)
            case .percent: return .percent(s)
            case .bool: return .bool(s != 0)
            case .date: return .date(s)
            case .datetime: return .datetime(s)
            case .enumeration(let name):
                let values = schema.enumValues(name)
                return s >= 0 && Int(s) < values.count ? .text(values[Int(s)]) : .null
            case .text, .int, .reference: return .int(s)
            }
        }
    }

    /// A value as the language writes it: text quoted, null as null.
    static func text(_ v: Value) -> String {
        switch v {
        case .null: "null"
        case .text(let t): "\"" + t.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        default: v.plainText
        }
    }

    static func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }

    // MARK: - Schema and catalog

    /// A catalog change in words. Not an exhaustive switch: a kind of catalog change added later
    /// (rules, grants) is still listed, by its own description, until it gets words here.
    static func describe(_ change: CatalogChange) -> String {
        if case .defineSegment(let s) = change { return "defined segment \(s.name) (\(s.entity))" }
        if case .dropSegment(let name) = change { return "dropped segment \(name)" }
        if case .fiscalYearStart(let month) = change { return "the fiscal year starts in \(FiscalCalendar.monthNames[month - 1])" }
        if case .schema(let s) = change { return s.summary }
        if case .pipeline(let p) = change {
            switch p {
            case .define(let pipeline): return "defined pipeline \"\(pipeline.name)\" (\(pipeline.stages.count) stages)"
            case .addStage(let pipeline, let stage, _): return "added stage \"\(stage.name)\" to pipeline \"\(pipeline)\""
            case .renameStage(let pipeline, let from, let to): return "renamed stage \"\(from)\" of pipeline \"\(pipeline)\" to \"\(to)\""
            case .dropStage(let pipeline, let stage): return "dropped stage \"\(stage)\" from pipeline \"\(pipeline)\""
            case .drop(let pipeline): return "dropped pipeline \"\(pipeline)\""
            case .setCriteria(let pipeline, let stage, _): return "set the exit criteria of stage \"\(stage)\" of pipeline \"\(pipeline)\""
            }
        }
        if case .rule(let r) = change { return r.summary }
        return String(describing: change)
    }
}
