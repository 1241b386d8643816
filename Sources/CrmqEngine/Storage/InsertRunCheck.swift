/// Checking and applying a run of inserts into one entity - what an import makes, a million at a
/// time - field by field, with each field's limits worked out once instead of once per value.
/// The answers are those of checking and applying the inserts one by one.
extension Database {
    /// What a stored integer of one field may be.
    private enum Limit {
        case text
        case any
        case range(Int64, Int64)
        /// A reference: an id from 1 below the target's next id (`nil`: the entity itself, whose
        /// next id moves as the run goes).
        case reference(Int64?)
    }

    /// Why the inserts of `run` (all into `entity`) cannot be made, numbering the first `first`;
    /// else nil, with `ids` holding them.
    func insertRunProblem(_ run: ArraySlice<DataChange>, _ entity: EntityDef, _ ids: inout IdOverlay,
                          _ overlay: [String: IdOverlay], numberedFrom first: Int) -> String? {
        let fields = entity.fields
        let limits: [Limit] = fields.dropFirst().map { f in
            if f.type.isText { return .text }
            if case .reference(let target) = f.type, collections[target] != nil {
                return .reference(target == entity.name ? nil : overlay[target]?.nextId ?? self[target].nextId)
            }
            if let r = f.type.storedRange(in: schema) { return .range(r.lowerBound, r.upperBound) }
            return .any
        }
        ids.inserted.reserveCapacity(ids.inserted.count + run.count)
        var n = first
        for change in run {
            guard case .insert(_, let id, let values) = change else { continue }
            guard values.count == limits.count else {
                return "change \(n) gives \(values.count) values for the \(fields.count - 1) fields of \(entity.name)"
            }
            guard id >= ids.nextId, id < Int64(Int32.max) else {
                return "change \(n) creates \(entity.singular) \(id), but ids below \(ids.nextId) are taken"
            }
            for i in 0..<limits.count {
                let fits: Bool
                switch (values[i], limits[i]) {
                case (.text, .text): fits = true
                case (.text, _): fits = false
                case (.integer(let v), _) where v == nullInt: fits = true
                case (.integer, .text): fits = false
                case (.integer, .any): fits = true
                case (.integer(let v), .range(let lo, let hi)): fits = v >= lo && v <= hi
                case (.integer(let v), .reference(let next)): fits = v >= 1 && v < (next ?? ids.nextId)
                }
                // The message, and the last word, are the one-by-one check's.
                if !fits, let p = valueProblem(values[i], fields[i + 1], overlay, (entity.name, ids.nextId)) {
                    return "change \(n): \(p)"
                }
            }
            ids.nextId = id + 1
            ids.inserted.insert(id)
            n += 1
        }
        return nil
    }
}

extension Collection {
    /// Appends the records of a run of inserts into this collection (checked), column by column.
    mutating func append(inserts run: ArraySlice<DataChange>) {
        if !indexes.isEmpty { indexes.removeAll() }
        let start = count
        var ids: [Int64] = []
        ids.reserveCapacity(run.count)
        var rows: [ArraySlice<StoredValue>] = []
        rows.reserveCapacity(run.count)
        for change in run {
            guard case .insert(_, let id, let values) = change else { continue }
            precondition(values.count == columns.count - 1, "one value per field")
            ids.append(id)
            rows.append(values[...])
        }
        for f in columns.indices {
            var column = columns[f]
            columns[f] = .integers([])  // the column uniquely referenced while it grows
            column.reserve(start + ids.count)
            switch column {
            case .integers(var a):
                column = .integers([])
                if f == 0 {
                    a.append(contentsOf: ids)
                } else {
                    for r in rows {
                        if case .integer(let v) = r[r.startIndex + f - 1] { a.append(v) } else { a.append(nullInt) }
                    }
                }
                column = .integers(a)
            case .text(var t):
                column = .integers([])
                // Mostly distinct texts (names): the lookup is sized for them at once.
                let sample = rows.prefix(1024)
                var seen = Set<UTF8Key>()
                for r in sample { if case .text(let s?) = r[r.startIndex + f - 1] { seen.insert(UTF8Key(s)) } }
                if seen.count * 2 > sample.count { t.reserveDistinct(rows.count * seen.count / max(1, sample.count)) }
                for r in rows {
                    if case .text(let s) = r[r.startIndex + f - 1] { t.append(s) } else { t.append(nil) }
                }
                column = .text(t)
            }
            columns[f] = column
        }
        idMap.reserve(start + ids.count)
        for (i, id) in ids.enumerated() {
            idMap.insert(id, row: Int32(start + i), records: start + i + 1)
            nextId = max(nextId, id + 1)
        }
    }
}
