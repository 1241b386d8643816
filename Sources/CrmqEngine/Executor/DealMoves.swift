/// What a change does to deals moving through their pipelines: a new deal's defaults (its
/// pipeline, its first stage, the probability, when and by whom it was created), every move
/// checked against the deal's own pipeline, the probability from that pipeline, one history row per
/// move, and the exit criteria of the stage entered, checked on the data as the change leaves it.
/// A move past an unmet criterion refuses the whole statement.
struct DealMove {
    var id: Int64
    /// Index into `schema.pipelines`.
    var pipeline: Int
    /// Index into that pipeline's stages.
    var stage: Int
    var from: Int64
    var to: Int64
}

extension ChangeExecutor {
    /// Fills a new deal's defaults into `values` (one per field after id): the standard pipeline,
    /// the pipeline's first stage, the stage's probability, `created_at` now and the session's user
    /// as owner, each unless given. Returns its first move (from nothing), or nil without a stage.
    func newDeal(_ values: inout [StoredValue], id: Int64, _ assignments: [BoundAssignment], _ def: EntityDef,
                 _ stages: StageHistory) throws(Diagnostic) -> DealMove? {
        let schema = db.schema
        let given = Set(assignments.map(\.field))
        var pipeline = 0
        if let f = stages.pipelineField {
            if case .integer(let code) = values[f - 1], code != nullInt {
                pipeline = stages.pipelineIndex(code)
            } else if !given.contains(f), !schema.pipelines.isEmpty {
                values[f - 1] = .integer(0)
            }
        }
        guard pipeline < schema.pipelines.count, let first = schema.pipelines[pipeline].stages.first else { return nil }
        if !given.contains(stages.stageField), let code = schema.stageCode(first.name) {
            values[stages.stageField - 1] = .integer(code)
        }
        if let f = def.fieldIndex("created_at"), def.fields[f].type == .datetime, !given.contains(f) {
            values[f - 1] = .integer(now)
        }
        if let user, let f = def.fieldIndex("owner"), case .reference(let users) = def.fields[f].type,
           !given.contains(f), exists(users, id: user) {
            values[f - 1] = .integer(user)
        }
        guard case .integer(let stage) = values[stages.stageField - 1], stage != nullInt else { return nil }
        guard let k = stages.stageIndex(stage, in: pipeline) else {
            let range = assignments.first { $0.field == stages.stageField }?.range
            throw stageOutside(stage, pipeline: pipeline, what: "a new \(def.singular)", at: range)
        }
        if !given.contains(stages.probabilityField) {
            values[stages.probabilityField - 1] = stages.probability(of: stage, in: pipeline)
        }
        return DealMove(id: id, pipeline: pipeline, stage: k, from: nullInt, to: stage)
    }

    /// The records of `ids` an update moves to another stage, each checked against its pipeline
    /// after the update (a `pipeline` set in the same statement counts).
    func moves(of ids: [Int64], _ assignments: [BoundAssignment], _ collection: Collection,
               _ stages: StageHistory) throws(Diagnostic) -> [DealMove] {
        let stageSet = assignments.first { $0.field == stages.stageField }
        let pipelineSet = stages.pipelineField.flatMap { f in assignments.first { $0.field == f } }
        if stageSet == nil && pipelineSet == nil { return [] }
        let stageColumn = collection.columns[stages.stageField].integers
        let pipelineColumn = stages.pipelineField.map { collection.columns[$0].integers }
        var out: [DealMove] = []
        for (n, id) in ids.enumerated() {
            if n & Cancellation.blockMask == 0 { try cancellation.check() }
            let row = collection.row(ofId: id)!
            let old = stageColumn[row]
            var pipeline = pipelineColumn.map { stages.pipelineIndex($0[row]) } ?? 0
            if case .integer(let code)? = pipelineSet?.value { pipeline = stages.pipelineIndex(code) }
            var stage = old
            if case .integer(let code)? = stageSet?.value { stage = code }
            if stage == nullInt { continue }
            guard let k = stages.stageIndex(stage, in: pipeline) else {
                let what = "\(collection.entity.singular) \(id)"
                if stageSet == nil {
                    let p = db.schema.pipelines[pipeline]
                    let name = db.schema.enumValues("stage")[Int(stage)]
                    throw Diagnostic(.executor, "\(what) stands in stage \"\(name)\", which pipeline \"\(p.name)\" lacks",
                                     at: pipelineSet?.range,
                                     hint: "set its stage too: set pipeline = \"\(p.name)\", stage = \"\(p.stages[0].name)\"")
                }
                throw stageOutside(stage, pipeline: pipeline, what: what, at: stageSet?.range)
            }
            if stage != old { out.append(DealMove(id: id, pipeline: pipeline, stage: k, from: old, to: stage)) }
        }
        return out
    }

    /// "opportunity 17 is in pipeline "Sales", which has no stage "Meeting booked"", with did-you-mean
    /// from that pipeline.
    func stageOutside(_ stage: Int64, pipeline: Int, what: String, at range: SourceRange?) -> Diagnostic {
        let p = db.schema.pipelines[pipeline]
        let name = db.schema.enumValues("stage")[Int(stage)]
        let names = p.stages.map(\.name)
        return Diagnostic(.executor, "\(what) is in pipeline \"\(p.name)\", which has no stage \"\(name)\"", at: range,
                          hint: Suggestions.didYouMean(name, in: names) ?? "its stages: \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
    }

    /// The probability each moved record gets from its pipeline (unless the statement sets it), grouped
    /// by value, then one history row per move.
    func moveChanges(_ moves: [DealMove], entity: String, _ assignments: [BoundAssignment],
                     _ stages: StageHistory, setProbability: Bool) -> [DataChange] {
        var changes: [DataChange] = []
        if setProbability && !assignments.contains(where: { $0.field == stages.probabilityField }) {
            var order: [StoredValue] = []
            var groups: [StoredValue: [Int64]] = [:]
            for m in moves {
                let p = stages.probability(of: m.to, in: m.pipeline)
                if groups[p] == nil { order.append(p) }
                groups[p, default: []].append(m.id)
            }
            for p in order { changes.append(.assign(entity: entity, field: stages.probabilityField, value: p, ids: groups[p]!)) }
        }
        changes += stages.records(ids: moves.map(\.id), from: moves.map(\.from), to: moves.map(\.to), at: now, by: user,
                                  firstId: nextId(of: stages.history), fieldCount: db[stages.history].entity.fields.count)
        return changes
    }

    /// Refuses the statement when a moved record does not meet a criterion of the stage it enters (or
    /// of an open stage before it), judged on the data as `changes` leave it.
    func checkCriteria(_ moves: [DealMove], after changes: [DataChange], entity: String,
                       at range: SourceRange?) throws(Diagnostic) {
        guard !rules.isEmpty, !moves.isEmpty else { return }
        // Judged on a copy with the changes made: it copies the columns they touch (what issue #13's
        // changes in place will spare); only a move into a stage with criteria pays it.
        let unmet = try rules.unmet(moves, entity: entity, schema: db.schema, cancellation: cancellation) {
            var after = db.droppingBuiltIndexes()
            after.apply(pending + changes)
            return after
        }
        let def = db[entity].entity
        if unmet.isEmpty { return }
        let byId = Dictionary(moves.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let failing = unmet.keys.sorted()
        func line(_ id: Int64) -> String {
            let m = byId[id]!
            let stage = db.schema.pipelines[m.pipeline].stages[m.stage].name
            let deal = id >= db[entity].nextId ? "the new \(def.singular)" : "\(def.singular) \(id)"
            return "\(deal) may not enter \"\(stage)\" (not met: " + unmet[id]!.joined(separator: ", ") + ")"
        }
        var message = failing.prefix(5).map(line).joined(separator: "; ")
        if failing.count > 1 { message = "\(failing.count) \(def.name) may not move: " + message }
        if failing.count > 5 { message += "; and \(failing.count - 5) more" }
        throw Diagnostic(.executor, message, at: range,
                         hint: "nothing was changed; meet the criteria first (.pipelines lists them), or require nothing for stage ... drops them")
    }
}
