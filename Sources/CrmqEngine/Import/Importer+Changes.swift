/// The changes an import makes, built in bulk: accounts a vCard's ORG creates, new records in
/// ascending id order (a reference to a record of the file further down is set after it exists),
/// updates grouped by field and value, and for deals what `create` gives them (pipeline, first
/// stage, probability, owner, created_at) with one stage change each unless `without history`.
extension Importer {
    struct Built {
        var outcome: Outcome
        /// The deals' moves into a stage, when exit criteria are to be checked, and each one's row.
        var moves: [DealMove] = []
        var moveRows: [Int] = []
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
        var creates: [Int32] = []
        var updates: [Int] = []
        creates.reserveCapacity(state.rowCount)
        for r in 0..<state.rowCount where !state.isRejected(r) {
            if state.existing[r] { updates.append(r) } else { creates.append(Int32(r)) }
        }
        let ordered = zip(creates, creates.dropFirst()).allSatisfy { state.ids[Int($0)] < state.ids[Int($1)] }
        if !ordered { creates.sort { state.ids[Int($0)] < state.ids[Int($1)] } }
        try cancellation.check()
        // The new records, column by column; the state's own columns when every row is one, in order.
        let whole = ordered && creates.count == state.rowCount
        let ids = whole ? state.ids : ColumnCompaction.gather(state.ids, creates)
        var integers = state.integers.map { $0.isEmpty || whole ? $0 : ColumnCompaction.gather($0, creates) }
        let texts = state.texts.indices.map { f in state.isText[f] && !whole ? state.texts[f].picking(creates) : state.texts[f] }
        // A reference to a record of the file further down is set once that record exists.
        var deferred: [Assign: [Int64]] = [:]
        for f in def.fields.indices where def.fields[f].type == .reference(def.name) {
            for k in ids.indices {
                let v = integers[f - 1][k]
                if v != nullInt, v >= ids[k] {
                    deferred[Assign(field: f, value: .integer(v)), default: []].append(ids[k])
                    integers[f - 1][k] = nullInt
                }
            }
        }
        let deals = DealDefaults(self, def)
        var history = HistoryRows()
        if let deals {
            let keepMoves = !rules.isEmpty
            for k in ids.indices {
                if k & 65535 == 0 { try cancellation.check() }
                switch deals.fill(&integers, k, id: ids[k]) {
                case .none: break
                case .move(let move, let at):
                    if keepMoves {
                        built.moves.append(move)
                        built.moveRows.append(Int(creates[k]))
                    }
                    if !bound.withoutHistory { history.append(ids[k], nullInt, move.to, at) }
                case .bad(let reason, let hint):
                    built.rejects.append((Int(creates[k]), "stage", reason, hint))
                }
            }
        }
        if !ids.isEmpty {
            let columns = state.isText.indices.map { f in state.isText[f] ? BatchColumn.texts(texts[f]) : .integers(integers[f]) }
            changes.append(.insertBatch(entity: entity, batch: InsertBatch(ids: ids, columns: columns)))
        }
        var assigns: [Assign: [Int64]] = [:]
        var order: [Assign] = []
        for r in updates {
            let values = (1..<def.fields.count).map { state.value(r, $0) }
            let id = state.ids[r]
            var moved: (move: DealMove, probability: StoredValue?)?
            if let deals {
                switch deals.update(values, id: id) {
                case .success(let m): moved = m
                case .failure(let bad):
                    built.rejects.append((r, "stage", bad.reason, nil))
                    continue
                }
            }
            for (i, v) in values.enumerated() where v != .null {
                let a = Assign(field: i + 1, value: v)
                if assigns[a] == nil { order.append(a) }
                assigns[a, default: []].append(id)
            }
            if let move = moved, let deals {
                if !rules.isEmpty {
                    built.moves.append(move.move)
                    built.moveRows.append(r)
                }
                if !bound.withoutHistory { history.append(id, move.move.from, move.move.to, now) }
                if let p = move.probability {
                    let a = Assign(field: deals.stages.probabilityField, value: p)
                    if assigns[a] == nil { order.append(a) }
                    assigns[a, default: []].append(id)
                }
            }
        }
        for a in order { changes.append(.assign(entity: entity, field: a.field, value: a.value, ids: assigns[a]!)) }
        for (a, ids) in deferred.sorted(by: { $0.value[0] < $1.value[0] }) {
            changes.append(.assign(entity: entity, field: a.field, value: a.value, ids: ids))
        }
        if let deals, history.count > 0 {
            changes.append(.insertBatch(entity: deals.stages.history, batch: history.batch(deals, in: db)))
        }
        built.outcome.changes = changes
        built.outcome.created = ids.count - built.rejects.count
        built.outcome.updated = updates.count
        return built
    }
}

/// The stage changes an import records, one per deal that enters a stage: made into records of
/// the stage history in one batch.
private struct HistoryRows {
    var subject: [Int64] = []
    var from: [Int64] = []
    var to: [Int64] = []
    var at: [Int64] = []

    var count: Int { subject.count }

    mutating func append(_ id: Int64, _ from: Int64, _ to: Int64, _ at: Int64) {
        subject.append(id)
        self.from.append(from)
        self.to.append(to)
        self.at.append(at)
    }

    func batch(_ deals: DealDefaults, in db: Database) -> InsertBatch {
        let stages = deals.stages
        let history = db[stages.history]
        let n = count
        let first = history.nextId
        var columns: [BatchColumn] = history.entity.fields.dropFirst().map { f in
            f.type.isText ? .texts(TextRun([String?](repeating: nil, count: n))) : .integers([Int64](repeating: nullInt, count: n))
        }
        let h = stages.historyFields
        columns[h["subject"]! - 1] = .integers(subject)
        columns[h["from_stage"]! - 1] = .integers(from)
        columns[h["to_stage"]! - 1] = .integers(to)
        columns[h["changed_at"]! - 1] = .integers(at)
        if let by = h["changed_by"], let u = deals.user { columns[by - 1] = .integers([Int64](repeating: u, count: n)) }
        return InsertBatch(ids: Array(first..<first + Int64(n)), columns: columns)
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

    /// Fills a new deal's defaults into record `k` of `integers` (one column per field after id);
    /// its move into its first stage, at its created_at.
    func fill(_ integers: inout [[Int64]], _ k: Int, id: Int64) -> Filled {
        var pipeline = 0
        if let f = stages.pipelineField {
            let code = integers[f - 1][k]
            if code != nullInt {
                pipeline = stages.pipelineIndex(code)
            } else if !schema.pipelines.isEmpty {
                integers[f - 1][k] = 0
            }
        }
        guard pipeline < schema.pipelines.count, let first = firstStage[pipeline] else { return .none }
        let s = stages.stageField - 1
        if integers[s][k] == nullInt { integers[s][k] = first }
        if let createdAt, integers[createdAt - 1][k] == nullInt { integers[createdAt - 1][k] = now }
        if let owner, let user, integers[owner - 1][k] == nullInt { integers[owner - 1][k] = user }
        let stage = integers[s][k]
        guard stage >= 0, stage < Int64(places[pipeline].count), let place = places[pipeline][Int(stage)] else {
            return .bad(outside(stage, pipeline), nil)
        }
        let p = stages.probabilityField - 1
        if integers[p][k] == nullInt, case .integer(let v) = place.probability { integers[p][k] = v }
        var at = now
        if let createdAt, integers[createdAt - 1][k] != nullInt { at = integers[createdAt - 1][k] }
        return .move(DealMove(id: id, pipeline: pipeline, stage: place.index, from: nullInt, to: stage), at: at)
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
