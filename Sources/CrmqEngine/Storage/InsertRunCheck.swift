import Dispatch

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

extension Database {
    /// Why the records of `batch` cannot be inserted into `entity` (change `n`); else nil, with
    /// `ids` holding them. Column by column: the same answers as checking `batch.rows` one by one,
    /// though a batch with several problems may name another of them first.
    func insertBatchProblem(_ batch: InsertBatch, _ entity: EntityDef, _ ids: inout IdOverlay,
                            _ overlay: [String: IdOverlay], numbered n: Int) -> String? {
        let fields = entity.fields
        guard batch.columns.count == fields.count - 1 else {
            return "change \(n) gives \(batch.columns.count) values for the \(fields.count - 1) fields of \(entity.name)"
        }
        for c in batch.columns where c.count != batch.count {
            return "change \(n) gives \(c.count) values in a column for \(batch.count) records"
        }
        let firstNext = ids.nextId
        var next = firstNext
        for id in batch.ids {
            guard id >= next, id < Int64(Int32.max) else {
                return "change \(n) creates \(entity.singular) \(id), but ids below \(next) are taken"
            }
            next = id + 1
        }
        for (i, column) in batch.columns.enumerated() {
            let field = fields[i + 1]
            switch column {
            case .texts(let t):
                if !field.type.isText, let r = (0..<t.count).first(where: { !t.isNull($0) }),
                   let p = valueProblem(t[r].map { .text($0) } ?? .null, field, overlay, (entity.name, firstNext)) {
                    return "change \(n): \(p)"
                }
            case .integers(let values):
                let limit: (Int64, Int64)?
                var own = false
                if field.type.isText {
                    limit = (nullInt, nullInt)
                } else if case .reference(let target) = field.type, collections[target] != nil {
                    own = target == entity.name
                    limit = (1, (own ? next : overlay[target]?.nextId ?? self[target].nextId) - 1)
                } else if let r = field.type.storedRange(in: schema) {
                    limit = (r.lowerBound, r.upperBound)
                } else {
                    limit = nil
                }
                guard let (lo, hi) = limit else { continue }
                for (r, v) in values.enumerated() where v != nullInt {
                    // A record may refer to records of the batch before it, not to itself or later ones.
                    let fits = own ? v >= 1 && v < (r == 0 ? firstNext : batch.ids[r - 1] + 1) : v >= lo && v <= hi
                    if !fits {
                        let nextThen = r == 0 ? firstNext : batch.ids[r - 1] + 1
                        if let p = valueProblem(.integer(v), field, overlay, (entity.name, nextThen)) { return "change \(n): \(p)" }
                    }
                }
            }
        }
        ids.nextId = next
        ids.batches.append(batch.ids)
        return nil
    }
}

extension Collection {
    /// Appends the records of a run of inserts into this collection (checked), column by column.
    mutating func append(inserts run: ArraySlice<DataChange>, parallelAbove: Int = 50_000) {
        guard let batch = InsertBatch(run, textFields: columns.dropFirst().map { if case .text = $0 { true } else { false } }) else {
            for case .insert(_, let id, let values) in run { append(id: id, values) }
            return
        }
        append(batch, parallelAbove: parallelAbove)
    }

    /// Appends a batch of records (checked), column by column; the columns grow on every core at
    /// once when it has more than `parallelAbove` records (an import's million names are most of
    /// the work, its other columns the rest).
    mutating func append(_ batch: InsertBatch, parallelAbove: Int = 50_000) {
        let start = count
        let n = batch.count
        var held = takeIndexes(changing: n)
        // Taken out, each column uniquely referenced while it grows.
        let grown = UnsafeMutableBufferPointer<Column>.allocate(capacity: columns.count)
        defer { grown.deallocate() }
        for f in columns.indices {
            (grown.baseAddress! + f).initialize(to: columns[f])
            columns[f] = .integers([])
        }
        nonisolated(unsafe) let slots = grown
        let grow: @Sendable (Int) -> Void = { f in
            switch (slots[f], f == 0 ? BatchColumn.integers(batch.ids) : batch.columns[f - 1]) {
            case (.integers(var a), .integers(let values)):
                slots[f] = .integers([])
                a.append(contentsOf: values)
                slots[f] = .integers(a)
            case (.text(var t), .texts(let texts)):
                slots[f] = .integers([])
                t.append(interning: texts)
                slots[f] = .text(t)
            case (.integers(var a), .texts(let texts)):
                // Only nulls fit (checked): a text field's batch column given for an integer one.
                slots[f] = .integers([])
                for _ in 0..<texts.count { a.append(nullInt) }
                slots[f] = .integers(a)
            case (.text(var t), .integers(let values)):
                slots[f] = .integers([])
                for _ in values { t.append(nil) }
                slots[f] = .text(t)
            }
        }
        if n > parallelAbove {
            // The largest first: a text column of names takes as long as the rest together.
            let cost: (Int) -> Int = { f in
                if f > 0, case .texts = batch.columns[f - 1] { return n * 8 }
                return n
            }
            let order = columns.indices.sorted { cost($0) > cost($1) }
            DispatchQueue.concurrentPerform(iterations: order.count) { grow(order[$0]) }
        } else {
            for f in columns.indices { grow(f) }
        }
        for f in columns.indices { columns[f] = (grown.baseAddress! + f).move() }
        idMap.reserve(start + n)
        for (i, id) in batch.ids.enumerated() {
            idMap.insert(id, row: Int32(start + i), records: start + i + 1)
            nextId = max(nextId, id + 1)
        }
        if !held.isEmpty { putBack(&held, inserting: (Int32(start)..<Int32(start + n)).map { $0 }) }
    }
}
