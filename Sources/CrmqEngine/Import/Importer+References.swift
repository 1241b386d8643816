/// References a file gives by name or id: names resolved against the data and the file's own rows
/// (a parent account further down), ids checked to exist; `import vcards` creates the accounts
/// its ORG names do not find.
extension Importer {
    func resolveNames(_ state: inout ImportState, fileRows: Bool = true) throws(Diagnostic) {
        if state.pending.isEmpty { return }
        let def = state.def
        var known: [String: ImportNames] = [:]
        var own: ImportNames?
        if fileRows, def.fields.contains(where: { $0.type == .reference(def.name) }) {
            var names = ImportNames(Collection(entity: def))
            let namers = ImportNames.namers(def)
            for r in 0..<state.rowCount where !state.isRejected(r) {
                for n in ImportNames.names(of: { state.value(r, $0) }, namers) { names.add(n, state.ids[r]) }
            }
            own = names
        }
        var created: [String: Int64] = [:]
        let accounts = db.schema.entity(named: "accounts")?.name
        for (k, p) in state.pending.enumerated() where !state.isRejected(p.row) {
            if k & 4095 == 0 { try cancellation.check() }
            guard case .reference(let target) = def.fields[p.field].type else { continue }
            if known[target] == nil { known[target] = ImportNames(db[target]) }
            let key = p.name.lowercased()
            var ids = known[target]!.ids[key] ?? []
            if let own, target == def.name {
                for id in own.ids[key] ?? [] where !ids.contains(id) { ids.append(id) }
            }
            let column = state.columns[p.column]
            let targetDef = db[target].entity
            if ids.count == 1 {
                state.integers[p.field - 1][p.row] = ids[0]
            } else if ids.count > 1 {
                state.reject(p.row, column: column, "\(ids.count) \(targetDef.name) are named \"\(p.name)\" (ids \(Importer.idList(ids)))",
                             hint: "give the id of the one meant instead of the name")
            } else if bound.format == .vcards, target == accounts, def.fields[p.field].name == "account" {
                if let id = created[key] {
                    state.integers[p.field - 1][p.row] = id
                } else {
                    let id = db[target].nextId + Int64(state.newAccounts.count)
                    created[key] = id
                    state.newAccounts.append((p.name, id))
                    state.integers[p.field - 1][p.row] = id
                }
            } else {
                let names = known[target]!.spelled
                let guess = names.count <= 20_000 ? Suggestions.didYouMean(p.name, in: Array(names.values).sorted()) : nil
                state.reject(p.row, column: column, "no \(targetDef.singular) is named \"\(p.name)\"",
                             hint: guess ?? "give the id or the name of one of \(targetDef.name)")
            }
        }
        state.pending.removeAll()
    }

    /// Every reference by id names a record of the data, of the file, or an account created for a vCard's ORG.
    func checkReferences(_ state: inout ImportState) {
        let def = state.def
        let references = def.fields.indices.compactMap { f -> (Int, String)? in
            if case .reference(let t) = def.fields[f].type { return (f, t) }
            return nil
        }
        if references.isEmpty { return }
        var own = Set<Int64>()
        if references.contains(where: { $0.1 == def.name }) {
            for r in 0..<state.rowCount where !state.isRejected(r) { own.insert(state.ids[r]) }
        }
        let accountIds = Set(state.newAccounts.map(\.id))
        // Looked up once: a million rows check several references each.
        let maps = references.map { db[$0.1].idMap }
        for r in 0..<state.rowCount where !state.isRejected(r) {
            for (k, (f, target)) in references.enumerated() {
                let id = state.integers[f - 1][r]
                guard id != nullInt else { continue }
                if maps[k].row(id) >= 0 || (target == def.name && own.contains(id)) { continue }
                if target == "accounts" && accountIds.contains(id) { continue }
                let column = state.columns.first { ImportColumns.normalised($0).hasPrefix(ImportColumns.normalised(def.fields[f].name)) }
                state.reject(r, column: column, "there is no \(db[target].entity.singular) with id \(id)",
                             hint: "find \(target) where ... show id lists the ids")
                break
            }
        }
    }

    /// With `skip bad rows`, a row that refers to a skipped row of the same file is skipped too.
    func dropDependents(_ state: inout ImportState) {
        let def = state.def
        let own = def.fields.indices.filter { def.fields[$0].type == .reference(def.name) }
        if own.isEmpty || state.rejected.isEmpty { return }
        var changed = true
        while changed {
            changed = false
            var gone: [Int64: Int] = [:]
            for r in state.rejected where !state.existing[r] && state.ids[r] != 0 { gone[state.ids[r]] = state.lines[r] }
            for r in 0..<state.rowCount where !state.isRejected(r) {
                for f in own {
                    guard let line = gone[state.integers[f - 1][r]] else { continue }
                    state.reject(r, column: def.fields[f].name, "it refers to line \(line), which is a bad row", hint: nil)
                    changed = true
                    break
                }
            }
        }
    }
}
