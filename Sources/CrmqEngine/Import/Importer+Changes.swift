/// The changes an import makes, built in bulk: accounts a vCard's ORG creates, new records in
/// ascending id order (a reference to a record of the file further down is set after it exists),
/// updates grouped by field and value, and for deals what `create` gives them (pipeline, first
/// stage, probability, owner, created_at) with one stage change each unless `without history`.
extension Importer {
    struct Built {
        var outcome: Outcome
        var moves: [DealMove] = []
        /// The row of each deal that moved, by its id.
        var rowOfDeal: [Int64: Int] = [:]
        /// Rows found bad while building (a stage outside its pipeline).
        var rejects: [(row: Int, column: String?, reason: String, hint: String?)] = []
    }

    private struct Assign: Hashable {
        var field: Int
        var value: StoredValue
    }

    func build(_ state: ImportState) throws(Diagnostic) -> Built {
        let def = state.def
        let entity = def.name
        var built = Built(outcome: Outcome(changes: []))
        var changes: [DataChange] = []
        if !state.newAccounts.isEmpty, let accounts = db.schema.entity(named: "accounts"), let name = accounts.fieldIndex("name") {
            let createdAt = accounts.fieldIndex("created_at").flatMap { accounts.fields[$0].type == .datetime ? $0 : nil }
            for (text, id) in state.newAccounts {
                var values = [StoredValue](repeating: .null, count: accounts.fields.count - 1)
                values[name - 1] = .text(text)
                if let createdAt { values[createdAt - 1] = .integer(now) }
                changes.append(.insert(entity: accounts.name, id: id, values: values))
            }
            built.outcome.accountsCreated = state.newAccounts.count
        }
        var creates: [Int] = []
        var updates: [Int] = []
        for r in state.rows.indices where !state.rejected.contains(r) {
            if state.rows[r].existing { updates.append(r) } else { creates.append(r) }
        }
        creates.sort { state.rows[$0].id < state.rows[$1].id }
        changes.reserveCapacity(changes.count + creates.count * (StageHistory(for: def, in: db.schema) == nil ? 1 : 2) + 16)
        let selfRefs = def.fields.indices.filter { def.fields[$0].type == .reference(def.name) }
        var deferred: [Assign: [Int64]] = [:]
        let deals = DealDefaults(self, def)
        var history: [(id: Int64, from: Int64, to: Int64, at: Int64)] = []
        for (n, r) in creates.enumerated() {
            if n & 4095 == 0 { try cancellation.check() }
            let row = state.rows[r]
            var values = row.values
            for f in selfRefs {
                if case .integer(let v) = values[f - 1], v != nullInt, v >= row.id {
                    deferred[Assign(field: f, value: values[f - 1]), default: []].append(row.id)
                    values[f - 1] = .null
                }
            }
            if deals != nil {
                switch deals!.fill(&values, id: row.id) {
                case .none: break
                case .move(let move, let at):
                    built.moves.append(move)
                    built.rowOfDeal[row.id] = r
                    if !bound.withoutHistory { history.append((row.id, nullInt, move.to, at)) }
                case .bad(let reason, let hint):
                    built.rejects.append((r, "stage", reason, hint))
                    continue
                }
            }
            changes.append(.insert(entity: entity, id: row.id, values: values))
        }
        var assigns: [Assign: [Int64]] = [:]
        var order: [Assign] = []
        for r in updates {
            let row = state.rows[r]
            var moved: (move: DealMove, probability: StoredValue?)?
            if deals != nil {
                switch deals!.update(row.values, id: row.id) {
                case .success(let m): moved = m
                case .failure(let bad):
                    built.rejects.append((r, "stage", bad.reason, nil))
                    continue
                }
            }
            for (i, v) in row.values.enumerated() where v != .null {
                let a = Assign(field: i + 1, value: v)
                if assigns[a] == nil { order.append(a) }
                assigns[a, default: []].append(row.id)
            }
            if let move = moved {
                built.moves.append(move.move)
                built.rowOfDeal[row.id] = r
                if !bound.withoutHistory { history.append((row.id, move.move.from, move.move.to, now)) }
                if let p = move.probability {
                    let a = Assign(field: deals!.stages.probabilityField, value: p)
                    if assigns[a] == nil { order.append(a) }
                    assigns[a, default: []].append(row.id)
                }
            }
        }
        for a in order { changes.append(.assign(entity: entity, field: a.field, value: a.value, ids: assigns[a]!)) }
        for (a, ids) in deferred.sorted(by: { $0.value[0] < $1.value[0] }) {
            changes.append(.assign(entity: entity, field: a.field, value: a.value, ids: ids))
        }
        if let stages = deals?.stages, !history.isEmpty {
            let fields = db[stages.history].entity.fields.count
            var id = db[stages.history].nextId
            let h = stages.historyFields
            let subject = h["subject"]! - 1, from = h["from_stage"]! - 1, to = h["to_stage"]! - 1, at = h["changed_at"]! - 1
            var blank = [StoredValue](repeating: .null, count: fields - 1)
            if let by = h["changed_by"], let u = deals!.user { blank[by - 1] = .integer(u) }
            for m in history {
                var values = blank
                values[subject] = .integer(m.id)
                values[from] = .integer(m.from)
                values[to] = .integer(m.to)
                values[at] = .integer(m.at)
                changes.append(.insert(entity: stages.history, id: id, values: values))
                id += 1
            }
        }
        built.outcome.changes = changes
        built.outcome.created = creates.count - built.rejects.count
        built.outcome.updated = updates.count
        return built
    }
}

/// What `create` gives a new deal, precomputed once for every row of an import.
struct DealDefaults {
    enum Filled {
        case none
        case move(DealMove, at: Int64)
        case bad(String, String?)
    }

    let stages: StageHistory
    let schema: Schema
    let now: Int64
    /// The session's user, when it exists (the owner of new deals).
    let user: Int64?
    let createdAt: Int?
    let owner: Int?
    let db: Database
    let entity: String
    /// Per pipeline, the code of its first stage.
    private let firstStage: [Int64?]
    /// Per pipeline and stage code: the stage's place in the pipeline and its probability (a
    /// million rows look these up).
    private let places: [[(index: Int, probability: StoredValue)?]]

    init?(_ importer: Importer, _ def: EntityDef) {
        guard let stages = StageHistory(for: def, in: importer.db.schema) else { return nil }
        self.stages = stages
        schema = importer.db.schema
        now = importer.now
        db = importer.db
        entity = def.name
        createdAt = def.fieldIndex("created_at").flatMap { def.fields[$0].type == .datetime ? $0 : nil }
        var owner: Int?
        var user: Int64?
        if let f = def.fieldIndex("owner"), case .reference(let users) = def.fields[f].type {
            owner = f
            if let u = importer.user, importer.db[users].row(ofId: u) != nil { user = u }
        }
        self.owner = owner
        self.user = user
        let s = importer.db.schema
        firstStage = s.pipelines.map { p in p.stages.first.flatMap { s.stageCode($0.name) } }
        let codes = Int64(s.enumValues("stage").count)
        places = s.pipelines.indices.map { p in
            (0..<codes).map { code in stages.stageIndex(code, in: p).map { ($0, stages.probability(of: code, in: p)) } }
        }
    }

    /// Fills a new deal's defaults into `values`; its move into its first stage, at its created_at.
    func fill(_ values: inout [StoredValue], id: Int64) -> Filled {
        var pipeline = 0
        if let f = stages.pipelineField {
            if case .integer(let code) = values[f - 1], code != nullInt {
                pipeline = stages.pipelineIndex(code)
            } else if !schema.pipelines.isEmpty {
                values[f - 1] = .integer(0)
            }
        }
        guard pipeline < schema.pipelines.count, let first = firstStage[pipeline] else { return .none }
        if values[stages.stageField - 1] == .null { values[stages.stageField - 1] = .integer(first) }
        if let createdAt, values[createdAt - 1] == .null { values[createdAt - 1] = .integer(now) }
        if let owner, let user, values[owner - 1] == .null { values[owner - 1] = .integer(user) }
        guard case .integer(let stage) = values[stages.stageField - 1] else { return .none }
        guard stage >= 0, stage < Int64(places[pipeline].count), let place = places[pipeline][Int(stage)] else {
            return .bad(outside(stage, pipeline), nil)
        }
        let k = place.index
        if values[stages.probabilityField - 1] == .null { values[stages.probabilityField - 1] = place.probability }
        var at = now
        if let createdAt, case .integer(let t) = values[createdAt - 1], t != nullInt { at = t }
        return .move(DealMove(id: id, pipeline: pipeline, stage: k, from: nullInt, to: stage), at: at)
    }

    /// A stage an updated deal cannot move to: not one of its pipeline's.
    struct OutsideStage: Error {
        var reason: String
    }

    /// An updated deal that moves to another stage: the move, and its probability unless the row
    /// gives one; nil when it stays; a failure when the stage is not in its pipeline (as `update` refuses it).
    func update(_ values: [StoredValue], id: Int64) -> Result<(move: DealMove, probability: StoredValue?)?, OutsideStage> {
        let c = db[entity]
        guard let row = c.row(ofId: id) else { return .success(nil) }
        let old = c.columns[stages.stageField].integers[row]
        var stage = old
        if case .integer(let s) = values[stages.stageField - 1], s != nullInt { stage = s }
        var pipeline = stages.pipelineField.map { stages.pipelineIndex(c.columns[$0].integers[row]) } ?? 0
        if let f = stages.pipelineField, case .integer(let p) = values[f - 1], p != nullInt { pipeline = stages.pipelineIndex(p) }
        guard stage != nullInt, let k = stages.stageIndex(stage, in: pipeline) else {
            return stage == nullInt ? .success(nil) : .failure(OutsideStage(reason: outside(stage, pipeline)))
        }
        guard stage != old else { return .success(nil) }
        let probability = values[stages.probabilityField - 1] == .null ? stages.probability(of: stage, in: pipeline) : nil
        return .success((DealMove(id: id, pipeline: pipeline, stage: k, from: old, to: stage), probability))
    }

    private func outside(_ stage: Int64, _ pipeline: Int) -> String {
        let p = schema.pipelines[pipeline]
        return "pipeline \"\(p.name)\" has no stage \"\(schema.enumValues("stage")[Int(stage)])\""
    }
}
