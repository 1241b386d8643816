/// Judging moved deals against the exit criteria of the stages they enter: what a change statement
/// and an import both do before their deals may move.
extension ExitRules {
    /// The criteria each moved deal does not meet, by id: each criterion's text, naming its stage
    /// when it belongs to an earlier stage than the one entered. `after` gives the data as the
    /// change leaves it; it is asked for only when some stage entered has criteria, since building
    /// it copies the columns the change touches.
    func unmet(_ moves: [DealMove], entity: String, schema: Schema, cancellation: Cancellation,
               after: () -> Database) throws(Diagnostic) -> [Int64: [String]] {
        var groups: [Int: [Int64]] = [:]
        for m in moves where m.pipeline < entries.count && m.stage < entries[m.pipeline].count
            && !entries[m.pipeline][m.stage].isEmpty {
            groups[m.pipeline << 16 | m.stage, default: []].append(m.id)
        }
        if groups.isEmpty { return [:] }
        let data = after()
        let def = data[entity].entity
        let idPath = BoundPath(root: entity, hops: [], field: FieldRef(entity: entity, field: 0), type: def.fields[0].type, text: "id")
        var unmet: [Int64: [String]] = [:]
        for key in groups.keys.sorted() {
            let ids = groups[key]!.sorted()
            let stage = schema.pipelines[key >> 16].stages[key & 0xFFFF].name
            for c in entries[key >> 16][key & 0xFFFF] {
                try cancellation.check()
                let filter = BoundFilter.and([.test(idPath, .oneOf(ids)), c.filter])
                let rows = try RowSelector(db: data, cancellation: cancellation).rows(Planner(data).planFilter(filter, on: entity))
                let allIds = data[entity].ids
                let passing = Set(rows.map { allIds[Int($0)] })
                for id in ids where !passing.contains(id) {
                    unmet[id, default: []].append(c.stage == stage ? c.text : "\(c.text) (for \"\(c.stage)\")")
                }
            }
        }
        return unmet
    }
}
