/// `by FIELD, ...`: which rows update a record (the one whose key values they carry) and which
/// create one; then the ids: the file's own (`id` column), else the next free ones in file order.
extension Importer {
    func matchKeys(_ state: inout ImportState) throws(Diagnostic) {
        let keys = bound.keys
        guard !keys.isEmpty else { return }
        let collection = db[bound.entity]
        let def = state.def
        // A key given by name (`by account` with account names) is looked up in the data only.
        let keyNames = state.pending.filter { keys.contains($0.field) }
        if !keyNames.isEmpty {
            var found = state
            found.pending = keyNames
            try resolveNames(&found, fileRows: false)
            state.integers = found.integers
            state.rejected = found.rejected
            state.bad = found.bad
            state.pending.removeAll { keys.contains($0.field) }
        }
        func part(_ f: Int, _ value: StoredValue) -> String? {
            switch value {
            case .text(let t?): return t.lowercased()
            case .integer(let v) where v != nullInt: return String(v)
            default: return nil
            }
        }
        var existing: [String: [Int64]] = [:]
        let ids = collection.ids
        if keys != [0] {
            for row in 0..<collection.count {
                var key = ""
                var complete = true
                for f in keys {
                    let v: StoredValue
                    switch collection.columns[f] {
                    case .integers(let a): v = f == 0 ? .integer(ids[row]) : .integer(a[row])
                    case .text(let t): v = .text(t[row])
                    }
                    guard let p = part(f, v) else { complete = false; break }
                    key += p + "\u{1F}"
                }
                if complete { existing[key, default: []].append(ids[row]) }
            }
        }
        var seen: [String: Int] = [:]
        for r in 0..<state.rowCount where !state.isRejected(r) {
            var key = ""
            var empty: Int?
            for f in keys {
                let v: StoredValue = f == 0 ? (state.givenId(r).map { .integer($0) } ?? .null) : state.value(r, f)
                guard let p = part(f, v) else { empty = f; break }
                key += p + "\u{1F}"
            }
            if let f = empty {
                state.reject(r, column: nil, "the key \(def.fields[f].name) is empty", hint: "every row needs its key to be found or created")
                continue
            }
            if let line = seen[key] {
                state.reject(r, column: nil, "the key repeats line \(line)", hint: "give each record one row")
                continue
            }
            seen[key] = state.lines[r]
            let matches: [Int64]
            if keys == [0] {
                let id = state.givenId(r)!
                matches = collection.row(ofId: id) == nil ? [] : [id]
            } else {
                matches = existing[key] ?? []
            }
            if matches.count > 1 {
                state.reject(r, column: nil, "\(matches.count) \(def.name) have this key (ids \(Importer.idList(matches)))",
                             hint: "a key must pick one record: add fields to it (by a, b)")
            } else if let id = matches.first {
                if let given = state.givenId(r), given != id {
                    state.reject(r, column: "id", "the key finds \(def.singular) \(id), but the row says id \(given)", hint: nil)
                    continue
                }
                state.existing[r] = true
                state.ids[r] = id
            }
        }
    }

    /// The file's ids where it gives them (above every id handed out, each once), then the next
    /// free ones, in file order.
    func assignIds(_ state: inout ImportState) {
        let collection = db[bound.entity]
        let def = state.def
        var next = collection.nextId
        var taken: [Int64: Int] = [:]
        // Ids that only grow (a file from another system, in its order) cannot repeat: the table
        // of those seen is only needed when they do not.
        var last = Int64.min
        var growing = true
        for r in 0..<state.rowCount where state.givenIds[r] != nullInt {
            if state.givenIds[r] <= last { growing = false; break }
            last = state.givenIds[r]
        }
        for r in 0..<state.rowCount where !state.isRejected(r) && !state.existing[r] {
            guard let id = state.givenId(r) else { continue }
            if id < collection.nextId {
                let why = collection.row(ofId: id) == nil ? "id \(id) belonged to a deleted \(def.singular)" : "id \(id) is taken"
                state.reject(r, column: "id", why,
                             hint: bound.keys == [0] ? "ids are never handed out twice" : "add by id to update the records the file's ids name")
                continue
            }
            if !growing {
                if let line = taken[id] {
                    state.reject(r, column: "id", "id \(id) repeats line \(line)", hint: nil)
                    continue
                }
                taken[id] = state.lines[r]
            }
            state.ids[r] = id
            next = max(next, id + 1)
        }
        for r in 0..<state.rowCount where !state.isRejected(r) && !state.existing[r] && state.givenId(r) == nil {
            state.ids[r] = next
            next += 1
        }
    }

    static func idList(_ ids: [Int64]) -> String {
        ids.sorted().prefix(5).map(String.init).joined(separator: ", ") + (ids.count > 5 ? ", ..." : "")
    }
}
