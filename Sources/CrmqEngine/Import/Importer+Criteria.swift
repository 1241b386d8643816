/// A pipeline's exit criteria apply to imported deals as to created ones: each deal is judged on
/// the data as the whole import leaves it; one that does not meet them is a bad row.
extension Importer {
    func unmetCriteria(_ built: Built) throws(Diagnostic) -> [(Int, String)] {
        guard !rules.isEmpty, !built.moves.isEmpty else { return [] }
        let entity = bound.entity
        let unmet = try rules.unmet(built.moves, entity: entity, schema: db.schema, cancellation: cancellation) {
            var after = db.droppingBuiltIndexes()
            after.apply(built.outcome.changes)
            return after
        }
        if unmet.isEmpty { return [] }
        let def = db[entity].entity
        // The unmet are few: their moves are found by a pass over all.
        var moveOf: [Int64: Int] = [:]
        for (k, m) in built.moves.enumerated() where unmet[m.id] != nil && moveOf[m.id] == nil { moveOf[m.id] = k }
        return unmet.keys.sorted().map { id in
            let k = moveOf[id]!
            let m = built.moves[k]
            let stage = db.schema.pipelines[m.pipeline].stages[m.stage].name
            return (built.moveRows[k], "the \(def.singular) may not enter \"\(stage)\" (not met: \(unmet[id]!.joined(separator: ", ")))")
        }
    }
}
