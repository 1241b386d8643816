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

extension Collection {
    /// Appends the records of a run of inserts into this collection (checked), column by column;
    /// the columns grow on every core at once when the run has more than `parallelAbove` records
    /// (an import's million names are most of the work, its other columns the rest).
    mutating func append(inserts run: ArraySlice<DataChange>, parallelAbove: Int = 50_000) {
        guard let cols = InsertColumns(run, textFields: columns.dropFirst().map { if case .text = $0 { true } else { false } }) else {
            for case .insert(_, let id, let values) in run { append(id: id, values) }
            return
        }
        let start = count
        let n = cols.ids.count
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
            switch slots[f] {
            case .integers(var a):
                slots[f] = .integers([])
                a.append(contentsOf: f == 0 ? cols.ids : cols.integers[f - 1])
                slots[f] = .integers(a)
            case .text(var t):
                slots[f] = .integers([])
                t.reserve(start + n)
                let texts = cols.texts[f - 1]
                // Mostly distinct texts (names): the lookup is sized for them at once.
                let sample = texts.prefix(1024)
                let seen = Set(sample.compactMap { $0.map(UTF8Key.init) })
                if seen.count * 2 > sample.count { t.reserveDistinct(n * seen.count / max(1, sample.count)) }
                t.append(interning: texts)
                slots[f] = .text(t)
            }
        }
        if n > parallelAbove {
            // The largest first: a text column of names takes as long as the rest together.
            let order = columns.indices.sorted { (f, g) in cols.cost(of: f) > cols.cost(of: g) }
            DispatchQueue.concurrentPerform(iterations: order.count) { grow(order[$0]) }
        } else {
            for f in columns.indices { grow(f) }
        }
        for f in columns.indices { columns[f] = (grown.baseAddress! + f).move() }
        idMap.reserve(start + n)
        for (i, id) in cols.ids.enumerated() {
            idMap.insert(id, row: Int32(start + i), records: start + i + 1)
            nextId = max(nextId, id + 1)
        }
        if !held.isEmpty { putBack(&held, inserting: (Int32(start)..<Int32(start + n)).map { $0 }) }
    }
}
