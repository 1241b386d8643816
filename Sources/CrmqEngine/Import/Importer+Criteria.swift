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
        let stageOf = Dictionary(built.moves.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return unmet.keys.sorted().map { id in
            let m = stageOf[id]!
            let stage = db.schema.pipelines[m.pipeline].stages[m.stage].name
            return (built.rowOfDeal[id]!, "the \(def.singular) may not enter \"\(stage)\" (not met: \(unmet[id]!.joined(separator: ", ")))")
        }
    }
}
