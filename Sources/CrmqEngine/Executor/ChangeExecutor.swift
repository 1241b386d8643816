/// Turns a bound change statement into the `DataChange`s that carry it out, checking what only the
/// data can tell: that referenced records exist, that an upsert's key picks at most one record.
/// It changes nothing itself: the session applies the changes once they are checked and journaled,
/// so a statement that fails here leaves the data as it was.
///
/// A `where` selects rows exactly as a query's does (planner, then `RowSelector`). Changing an
/// opportunity's stage also records a `stage_changes` row and sets its probability from the
/// pipeline; deleting records clears every reference to them, so nothing points at a missing record.
public struct ChangeExecutor {
    public let db: Database
    /// The moment written into `stage_changes.changed_at`, in seconds.
    public let now: Int64
    /// The user written into `stage_changes.changed_by`, when the session knows one.
    public let user: Int64?
    /// Checked while rows are selected and changes built: a cancelled change builds nothing.
    public let cancellation: Cancellation

    public init(db: Database, now: Int64, user: Int64? = nil, cancellation: Cancellation = .none) {
        self.db = db
        self.now = now
        self.user = user
        self.cancellation = cancellation
    }

    /// What a statement does: its changes and the line that reports it (`updated 3 opportunities`).
    public struct Outcome: Sendable {
        public var changes: [DataChange]
        public var summary: String
    }

    public func run(_ change: BoundChange) throws(Diagnostic) -> Outcome {
        switch change {
        case .create(let entity, let assignments):
            return try create(entity, assignments)
        case .update(let entity, let assignments, let filter):
            let ids = try selectIds(filter, entity)
            return try update(entity, assignments, ids: ids, verb: "updated")
        case .delete(let entity, let filter):
            return try delete(entity, ids: selectIds(filter, entity))
        case .upsert(let entity, let keyFilter, let keyRange, let assignments):
            let ids = try selectIds(keyFilter, entity)
            let def = db[entity].entity
            if ids.count > 1 {
                throw Diagnostic(.executor, "\(ids.count) \(def.name) have this key, so upsert cannot tell which to update",
                                 at: keyRange, hint: "a key must pick one record: add fields to it (by a, b) or use update")
            }
            if let id = ids.first {
                var outcome = try update(entity, assignments, ids: [id], verb: "updated")
                outcome.summary = "updated \(def.singular) \(id)" + stageNote(outcome.changes)
                return outcome
            }
            return try create(entity, assignments)
        }
    }

    /// The ids of the rows `filter` keeps, in row order.
    private func selectIds(_ filter: BoundFilter, _ entity: String) throws(Diagnostic) -> [Int64] {
        try cancellation.holdIfTesting()
        let rows = try RowSelector(db: db, cancellation: cancellation).rows(Planner(db).planFilter(filter, on: entity))
        let ids = db[entity].ids
        return rows.map { ids[Int($0)] }
    }

    // MARK: - create, update, delete

    private func create(_ entity: String, _ assignments: [BoundAssignment]) throws(Diagnostic) -> Outcome {
        try checkReferences(entity, assignments)
        let collection = db[entity]
        let def = collection.entity
        var values = [StoredValue](repeating: .null, count: def.fields.count - 1)
        for a in assignments { values[a.field - 1] = a.value }
        let id = collection.nextId
        var changes: [DataChange] = []
        if let stages = StageHistory(for: def, in: db.schema),
           case .integer(let stage) = values[stages.stageField - 1], stage != nullInt {
            if !assignments.contains(where: { $0.field == stages.probabilityField }) {
                values[stages.probabilityField - 1] = stages.probability(of: stage)
            }
            changes.append(.insert(entity: entity, id: id, values: values))
            changes += stages.records(ids: [id], from: [nullInt], to: stage, at: now, by: user,
                                      firstId: db[stages.history].nextId, fieldCount: db[stages.history].entity.fields.count)
        } else {
            changes.append(.insert(entity: entity, id: id, values: values))
        }
        return Outcome(changes: changes, summary: "created \(def.singular) \(id)")
    }

    private func update(_ entity: String, _ assignments: [BoundAssignment], ids: [Int64],
                        verb: String) throws(Diagnostic) -> Outcome {
        try checkReferences(entity, assignments)
        let collection = db[entity]
        let def = collection.entity
        let noun = ids.count == 1 ? def.singular : def.name
        if ids.isEmpty { return Outcome(changes: [], summary: "\(verb) 0 \(def.name)") }
        var changes = assignments.map { DataChange.assign(entity: entity, field: $0.field, value: $0.value, ids: ids) }
        if let stages = StageHistory(for: def, in: db.schema),
           let a = assignments.first(where: { $0.field == stages.stageField }),
           case .integer(let stage) = a.value, stage != nullInt {
            // Only records that move get a history row and their probability from the pipeline.
            let current = collection.columns[stages.stageField].integers
            var moved: [Int64] = [], from: [Int64] = []
            for (n, id) in ids.enumerated() {
                if n & Cancellation.blockMask == 0 { try cancellation.check() }
                let old = current[collection.row(ofId: id)!]
                if old != stage {
                    moved.append(id)
                    from.append(old)
                }
            }
            if !moved.isEmpty {
                if !assignments.contains(where: { $0.field == stages.probabilityField }) {
                    changes.append(.assign(entity: entity, field: stages.probabilityField,
                                           value: stages.probability(of: stage), ids: moved))
                }
                changes += stages.records(ids: moved, from: from, to: stage, at: now, by: user,
                                          firstId: db[stages.history].nextId,
                                          fieldCount: db[stages.history].entity.fields.count)
            }
        }
        return Outcome(changes: changes, summary: "\(verb) \(ids.count) \(noun)" + stageNote(changes))
    }

    private func delete(_ entity: String, ids: [Int64]) throws(Diagnostic) -> Outcome {
        let def = db[entity].entity
        if ids.isEmpty { return Outcome(changes: [], summary: "deleted 0 \(def.name)") }
        var gone = IdSet(highest: ids.max() ?? 0, records: db[entity].count)
        for id in ids { gone.insert(id) }
        var changes: [DataChange] = []
        var cleared: [(String, Int)] = []
        for (source, fieldName) in db.schema.references(to: entity) {
            try cancellation.check()
            let c = db[source]
            let field = c.entity.fieldIndex(fieldName)!
            let refs = c.columns[field].integers
            let sourceIds = c.ids
            var pointing: [Int64] = []
            for (row, ref) in refs.enumerated() where ref > 0 && gone.contains(ref) {
                // A record deleted along with its target needs no clearing.
                if source == entity && gone.contains(sourceIds[row]) { continue }
                pointing.append(sourceIds[row])
            }
            if !pointing.isEmpty {
                changes.append(.assign(entity: source, field: field, value: .null, ids: pointing))
                cleared.append(("\(source).\(fieldName)", pointing.count))
            }
        }
        changes.append(.delete(entity: entity, ids: ids))
        var summary = "deleted \(ids.count) \(ids.count == 1 ? def.singular : def.name)"
        if !cleared.isEmpty {
            let total = cleared.reduce(0) { $0 + $1.1 }
            summary += "; cleared \(total) \(total == 1 ? "reference" : "references") to \(ids.count == 1 ? "it" : "them")"
                + " (\(cleared.map { "\($0.1) \($0.0)" }.joined(separator: ", ")))"
        }
        return Outcome(changes: changes, summary: summary)
    }

    /// `, recording 2 stage changes` when an update moved deals through the pipeline.
    private func stageNote(_ changes: [DataChange]) -> String {
        let recorded = changes.reduce(0) { n, c in
            if case .insert(let e, _, _) = c, e == StageHistory.entityName { return n + 1 }
            return n
        }
        return recorded == 0 ? "" : "; recorded \(recorded) stage \(recorded == 1 ? "change" : "changes")"
    }

    /// A reference must name a record that exists.
    private func checkReferences(_ entity: String, _ assignments: [BoundAssignment]) throws(Diagnostic) {
        let def = db[entity].entity
        for a in assignments {
            guard case .reference(let target) = def.fields[a.field].type, case .integer(let id) = a.value,
                  id != nullInt else { continue }
            if db[target].row(ofId: id) == nil {
                let singular = db[target].entity.singular
                throw Diagnostic(.executor, "there is no \(singular) with id \(id)", at: a.range,
                                 hint: "find \(target) where ... show id lists the ids")
            }
        }
    }
}

/// Where stage moves are recorded: an entity with a stage field (opportunities), its history entity
/// (stage_changes: a reference back, from_stage, to_stage, changed_at, changed_by) and the pipeline
/// that gives each stage its probability. Found by field names, so a schema without them records nothing.
struct StageHistory {
    static let entityName = "stage_changes"

    let stageField: Int
    let probabilityField: Int
    let history: String
    /// Positions of the history entity's fields: subject (the reference back), from_stage,
    /// to_stage, changed_at and, when present, changed_by.
    let historyFields: [String: Int]
    let probabilities: [Int64]

    init?(for entity: EntityDef, in schema: Schema) {
        guard let stage = entity.fieldIndex("stage"), case .enumeration(let enumName) = entity.fields[stage].type,
              let probability = entity.fieldIndex("probability"), entity.fields[probability].type == .percent,
              let history = schema.entity(named: StageHistory.entityName) else { return nil }
        var fields: [String: Int] = [:]
        for name in ["from_stage", "to_stage", "changed_at", "changed_by"] { fields[name] = history.fieldIndex(name) }
        guard let subject = history.fields.firstIndex(where: { $0.type == .reference(entity.name) }),
              let to = fields["to_stage"], history.fields[to].type == .enumeration(enumName),
              fields["from_stage"] != nil, fields["changed_at"] != nil else { return nil }
        fields["subject"] = subject
        // Each stage's probability from the pipeline, by the enum's value order.
        let pipeline = schema.defaultPipeline
        probabilities = schema.enumValues(enumName).map { name in
            pipeline.stage(named: name).map { Int64($0.probability) * 100 } ?? nullInt
        }
        stageField = stage
        probabilityField = probability
        self.history = history.name
        historyFields = fields
    }

    func probability(of stage: Int64) -> StoredValue {
        stage >= 0 && stage < probabilities.count ? .integer(probabilities[Int(stage)]) : .null
    }

    /// One history row per moved record, with consecutive ids from `firstId`.
    func records(ids: [Int64], from: [Int64], to: Int64, at now: Int64, by user: Int64?, firstId: Int64,
                 fieldCount: Int) -> [DataChange] {
        ids.indices.map { i in
            var values = [StoredValue](repeating: .null, count: fieldCount - 1)
            values[historyFields["subject"]! - 1] = .integer(ids[i])
            values[historyFields["from_stage"]! - 1] = .integer(from[i])
            values[historyFields["to_stage"]! - 1] = .integer(to)
            values[historyFields["changed_at"]! - 1] = .integer(now)
            if let by = historyFields["changed_by"], let user { values[by - 1] = .integer(user) }
            return .insert(entity: history, id: firstId + Int64(i), values: values)
        }
    }
}
