/// A pipeline's exit criteria apply to imported deals as to created ones: each deal is judged on
/// the data as the whole import leaves it; one that does not meet them is a bad row.
extension Importer {
    func unmetCriteria(_ built: Built) throws(Diagnostic) -> [(Int, String)] {
        guard !rules.isEmpty, !built.moves.isEmpty else { return [] }
        let entity = bound.entity
        var groups: [Int: [DealMove]] = [:]
        for m in built.moves where m.pipeline < rules.entries.count && m.stage < rules.entries[m.pipeline].count
            && !rules.entries[m.pipeline][m.stage].isEmpty {
            groups[m.pipeline << 16 | m.stage, default: []].append(m)
        }
        if groups.isEmpty { return [] }
        var after = db
        after.apply(built.outcome.changes)
        let def = after[entity].entity
        let idPath = BoundPath(root: entity, hops: [], field: FieldRef(entity: entity, field: 0), type: def.fields[0].type, text: "id")
        var unmet: [Int64: [String]] = [:]
        for key in groups.keys.sorted() {
            let ids = groups[key]!.map(\.id).sorted()
            let stage = db.schema.pipelines[key >> 16].stages[key & 0xFFFF].name
            for c in rules.entries[key >> 16][key & 0xFFFF] {
                try cancellation.check()
                let filter = BoundFilter.and([.test(idPath, .oneOf(ids)), c.filter])
                let rows = try RowSelector(db: after, cancellation: cancellation).rows(Planner(after).planFilter(filter, on: entity))
                let allIds = after[entity].ids
                let passing = Set(rows.map { allIds[Int($0)] })
                for id in ids where !passing.contains(id) {
                    unmet[id, default: []].append(c.stage == stage ? c.text : "\(c.text) (for \"\(c.stage)\")")
                }
            }
        }
        let stageOf = Dictionary(built.moves.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return unmet.keys.sorted().map { id in
            let m = stageOf[id]!
            let stage = db.schema.pipelines[m.pipeline].stages[m.stage].name
            return (built.rowOfDeal[id]!, "the \(def.singular) may not enter \"\(stage)\" (not met: \(unmet[id]!.joined(separator: ", ")))")
        }
    }
}
