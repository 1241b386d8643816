/// One change to stored records: what a `create`, `update`, `delete` or `upsert` statement turns
/// into, what the journal records, and what opening a file replays. Records are named by id, never
/// by row, so a change means the same thing before and after other records move.
public enum DataChange: Hashable, Sendable {
    /// A new record: its id and one value per field after `id`.
    case insert(entity: String, id: Int64, values: [StoredValue])
    /// New records column by column (an import's): means what `batch.rows(entity:)` means.
    case insertBatch(entity: String, batch: InsertBatch)
    /// Field `field` set to `value` on the records with these ids.
    case assign(entity: String, field: Int, value: StoredValue, ids: [Int64])
    /// The records with these ids removed.
    case delete(entity: String, ids: [Int64])
    /// A segment defined or dropped, a setting changed: no record changes.
    case catalog(CatalogChange)

    /// The entity whose records change; nil for a catalog change.
    public var entity: String? {
        switch self {
        case .insert(let e, _, _), .insertBatch(let e, _), .assign(let e, _, _, _), .delete(let e, _): e
        case .catalog: nil
        }
    }
}

extension FieldType {
    /// The stored integers a field of this type may hold besides null, when they are limited:
    /// enum codes, 0/1 for bools, days and seconds of the years 0 to 9999 for dates and times
    /// (calendar arithmetic stays in range). Nil for types any integer fits.
    public func storedRange(in schema: Schema) -> ClosedRange<Int64>? {
        switch self {
        case .enumeration(let name): 0...Int64(schema.enumValues(name).count - 1)
        case .bool: 0...1
        case .date: FieldType.firstDay...FieldType.lastDay
        case .datetime: FieldType.firstDay * 86_400...FieldType.lastDay * 86_400 + 86_399
        case .text, .int, .money, .percent, .reference: nil
        }
    }

    static let firstDay = Day.from(year: 0, month: 1, day: 1)
    static let lastDay = Day.from(year: 9999, month: 12, day: 31)
}

extension Database {
    /// Why `changes` cannot be applied in order, or nil when they can. Each change is checked
    /// against the data as the changes before it leave it: the entity and field exist, each value
    /// fits its field, new ids are above every id handed out, changed and deleted ids exist.
    /// References are not followed here; statements check them before they make changes.
    public func problem(applying changes: [DataChange]) -> String? {
        problem(applying: changes[...], numberedFrom: 1)
    }

    private func problem(applying changes: ArraySlice<DataChange>, numberedFrom first: Int) -> String? {
        var overlay: [String: IdOverlay] = [:]
        var catalog = self.catalog
        var k = 0
        while k < changes.count {
            let change = changes[changes.startIndex + k]
            let n = k + first - 1
            k += 1
            if case .catalog(.pipeline(let p)) = change {
                // A pipeline change re-codes stages: what follows is checked against the data as it leaves them.
                let at = changes.startIndex + k - 1
                var before = self
                before.apply(Array(changes[changes.startIndex..<at]))
                if let problem = p.problem(in: before.schema) ?? before.pipelineDataProblem(p) {
                    return "change \(n + 1): \(problem)"
                }
                before.apply([change])
                return before.problem(applying: changes[(at + 1)...], numberedFrom: n + 2)
            }
            if case .catalog(.schema(let s)) = change {
                // A field added or dropped changes what later changes must give: check them against it.
                let at = changes.startIndex + k - 1
                var before = self
                before.apply(Array(changes[changes.startIndex..<at]))
                if let problem = s.problem(in: before.schema) { return "change \(n + 1): \(problem)" }
                before.apply([change])
                return before.problem(applying: changes[(at + 1)...], numberedFrom: n + 2)
            }
            if case .catalog(let c) = change {
                if let p = catalog.problem(c, schema: schema) { return "change \(n + 1): \(p)" }
                catalog.apply(c)
                continue
            }
            guard let name = change.entity, let entity = schema.entity(named: name), entity.name == name,
                  collections[entity.name] != nil else {
                return "change \(n + 1) names an unknown entity \"\(change.entity ?? "")\""
            }
            let collection = self[entity.name]
            // Taken out of the dictionary while it changes: a copy left there would make every
            // insert copy the sets (an import checks a million inserts).
            var ids = overlay.removeValue(forKey: entity.name) ?? IdOverlay(nextId: collection.nextId)
            if case .insert = change {
                // A run of inserts into one entity (an import: a million) is checked field by field
                // against limits worked out once.
                var end = changes.startIndex + k
                while end < changes.endIndex, case .insert(let e, _, _) = changes[end], e == entity.name { end += 1 }
                let run = changes[(changes.startIndex + k - 1)..<end]
                if let p = insertRunProblem(run, entity, &ids, overlay, numberedFrom: n + 1) { return p }
                k += run.count - 1
                overlay[entity.name] = ids
                continue
            }
            if case .insertBatch(_, let batch) = change {
                if let p = insertBatchProblem(batch, entity, &ids, overlay, numbered: n + 1) { return p }
                overlay[entity.name] = ids
                continue
            }
            switch change {
            case .insert(_, let id, let values):
                guard values.count == entity.fields.count - 1 else {
                    return "change \(n + 1) gives \(values.count) values for the \(entity.fields.count - 1) fields of \(entity.name)"
                }
                guard id >= ids.nextId, id < Int64(Int32.max) else {
                    return "change \(n + 1) creates \(entity.singular) \(id), but ids below \(ids.nextId) are taken"
                }
                for (i, v) in values.enumerated() {
                    if let p = valueProblem(v, entity.fields[i + 1], overlay, (entity.name, ids.nextId)) { return "change \(n + 1): \(p)" }
                }
                ids.nextId = id + 1
                ids.inserted.insert(id)
            case .assign(_, let field, let value, let changed):
                guard field > 0, field < entity.fields.count else {
                    return "change \(n + 1) sets field \(field), which \(entity.name) does not have"
                }
                if let p = valueProblem(value, entity.fields[field], overlay, (entity.name, ids.nextId)) { return "change \(n + 1): \(p)" }
                for id in changed where !ids.exists(id, in: collection) {
                    return "change \(n + 1) sets \(entity.fields[field].name) of \(entity.singular) \(id), which does not exist"
                }
            case .delete(_, let deleted):
                for id in deleted {
                    guard ids.exists(id, in: collection) else {
                        return "change \(n + 1) deletes \(entity.singular) \(id), which does not exist"
                    }
                    ids.inserted.remove(id)
                    ids.deleted.insert(id)
                }
            case .insertBatch, .catalog:
                break
            }
            overlay[entity.name] = ids
        }
        return nil
    }

    /// `current`: the entity being changed and its next id, whose overlay is out of `overlay` meanwhile.
    func valueProblem(_ value: StoredValue, _ field: FieldDef, _ overlay: [String: IdOverlay],
                              _ current: (entity: String, nextId: Int64)) -> String? {
        switch value {
        case .text:
            // Null is always `StoredValue.null`, whatever the field's type.
            return field.type.isText ? nil : "text given for \(field.name), \(field.type.name) field"
        case .integer(let v):
            if v == nullInt { return nil }
            if field.type.isText { return "a number given for \(field.name), a text field" }
            if let range = field.type.storedRange(in: schema), !range.contains(v) {
                return "\(v) does not fit \(field.name) (\(field.type.name))"
            }
            // A reference to an id the target has not handed out yet would make its reverse index
            // as large as the id (references to deleted records are allowed: they read as null).
            if case .reference(let target) = field.type, collections[target] != nil {
                let nextId = target == current.entity ? current.nextId : overlay[target]?.nextId ?? self[target].nextId
                if v < 1 || v >= nextId { return "\(field.name) refers to \(target) id \(v), which was never created" }
            }
            return nil
        }
    }

    /// Applies changes that `problem(applying:)` accepted. The indexes follow them in place
    /// (Collection+IndexUpkeep.swift); one that a large change dropped is built again by `Session`
    /// when a statement needs it.
    public mutating func apply(_ changes: [DataChange]) {
        var k = 0
        while k < changes.count {
            let change = changes[k]
            k += 1
            if case .insert(let e, _, _) = change {
                var end = k
                while end < changes.count, case .insert(let next, _, _) = changes[end], next == e { end += 1 }
                if end - k >= 16 {
                    modify(e) { $0.append(inserts: changes[(k - 1)..<end]) }
                    k = end
                    continue
                }
            }
            guard let entity = change.entity else {
                if case .catalog(.pipeline(let p)) = change {
                    applyPipeline(p)
                } else if case .catalog(.schema(let s)) = change {
                    applySchema(s)
                } else if case .catalog(let c) = change {
                    catalog.apply(c)
                }
                continue
            }
            modify(entity) { c in
                switch change {
                case .insert(_, let id, let values):
                    c.append(id: id, values)
                case .insertBatch(_, let batch):
                    c.append(batch)
                case .assign(_, let field, let value, let ids):
                    c.set(field, rows: ids.map { Int32(c.row(ofId: $0)!) }, to: value)
                case .delete(_, let ids):
                    c.delete(rows: ids.map { Int32(c.row(ofId: $0)!) }.sorted())
                case .catalog:
                    break
                }
            }
        }
    }
}

/// The ids a list of changes has created and deleted so far in one collection, while checking it.
struct IdOverlay {
    var nextId: Int64
    var inserted: Set<Int64> = []
    /// The ids of batches inserted, each ascending (a million are not put in a set).
    var batches: [[Int64]] = []
    var deleted: Set<Int64> = []

    func exists(_ id: Int64, in c: Collection) -> Bool {
        if inserted.contains(id) { return true }
        // Ids are never handed out twice: one deleted stays deleted.
        if deleted.contains(id) { return false }
        for b in batches {
            guard let first = b.first, let last = b.last, id >= first, id <= last else { continue }
            var lo = 0, hi = b.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if b[mid] < id { lo = mid + 1 } else { hi = mid }
            }
            if lo < b.count && b[lo] == id { return true }
        }
        return c.row(ofId: id) != nil
    }
}
