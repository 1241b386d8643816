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
    /// The exit criteria a stage move must meet (`Binder.exitRules`); none when empty.
    public let rules: ExitRules
    /// Changes made earlier in the same unit (the steps of a lead conversion), not applied to `db`:
    /// new ids are handed out above the ids they created, references to the records they created are
    /// valid, and exit criteria are judged with them made. A `where` selects from `db` as it is, so a
    /// unit must not select by a field an earlier step of it sets. Keeping them apart is what spares a
    /// unit a copy of the data: applying a change to a shared copy copies every column it touches.
    public let pending: [DataChange]

    public init(db: Database, now: Int64, user: Int64? = nil, rules: ExitRules = ExitRules(entries: []),
                pending: [DataChange] = [], cancellation: Cancellation = .none) {
        self.db = db
        self.now = now
        self.user = user
        self.rules = rules
        self.pending = pending
        self.cancellation = cancellation
    }

    /// The id the next record of `entity` gets: above every id the data and the pending changes handed out.
    func nextId(of entity: String) -> Int64 {
        var next = db[entity].nextId
        for change in pending {
            switch change {
            case .insert(let e, let id, _) where e == entity: next = max(next, id + 1)
            case .insertBatch(let e, let batch) where e == entity: next = max(next, (batch.ids.max() ?? 0) + 1)
            default: break
            }
        }
        return next
    }

    /// Whether `entity` has a record with `id`, the pending changes made.
    func exists(_ entity: String, id: Int64) -> Bool {
        var present = db.collections[entity]?.row(ofId: id) != nil
        for change in pending {
            switch change {
            case .insert(let e, let i, _) where e == entity && i == id: present = true
            case .insertBatch(let e, let batch) where e == entity && batch.ids.contains(id): present = true
            case .delete(let e, let ids) where e == entity && ids.contains(id): present = false
            default: break
            }
        }
        return present
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
        case .move(let entity, let id, let idRange, let stage, let stageRange):
            return try move(entity, id: id, idRange: idRange, to: stage, at: stageRange)
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
        let id = nextId(of: entity)
        guard let stages = StageHistory(for: def, in: db.schema),
              let move = try newDeal(&values, id: id, assignments, def, stages) else {
            return Outcome(changes: [.insert(entity: entity, id: id, values: values)], summary: "created \(def.singular) \(id)")
        }
        var changes: [DataChange] = [.insert(entity: entity, id: id, values: values)]
        changes += moveChanges([move], entity: entity, assignments, stages, setProbability: false)
        try checkCriteria([move], after: changes, entity: entity, at: assignments.first { $0.field == stages.stageField }?.range)
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
        if let stages = StageHistory(for: def, in: db.schema) {
            // Only records that move get a history row and their probability from their pipeline.
            let moved = try moves(of: ids, assignments, collection, stages)
            if !moved.isEmpty {
                changes += moveChanges(moved, entity: entity, assignments, stages, setProbability: true)
                let range = assignments.first { $0.field == stages.stageField }?.range
                    ?? stages.pipelineField.flatMap { f in assignments.first { $0.field == f }?.range }
                try checkCriteria(moved, after: changes, entity: entity, at: range)
            }
        }
        return Outcome(changes: changes, summary: "\(verb) \(ids.count) \(noun)" + stageNote(changes))
    }

    /// `move opportunity 17 to "Negotiation"`: the stage is looked up in the record's own pipeline.
    private func move(_ entity: String, id: Int64, idRange: SourceRange, to stageName: String,
                      at stageRange: SourceRange) throws(Diagnostic) -> Outcome {
        let collection = db[entity]
        let def = collection.entity
        guard let row = collection.row(ofId: id) else {
            throw Diagnostic(.executor, "there is no \(def.singular) with id \(id)", at: idRange,
                             hint: "find \(def.name) where ... show id lists the ids")
        }
        guard let stages = StageHistory(for: def, in: db.schema) else {
            throw Diagnostic(.executor, "\(def.name) have no stages", at: stageRange)
        }
        let pipeline = stages.pipelineField.map { stages.pipelineIndex(collection.columns[$0].integers[row]) } ?? 0
        let p = db.schema.pipelines[pipeline]
        guard let k = p.stageIndex(named: stageName), let code = db.schema.stageCode(p.stages[k].name) else {
            let names = p.stages.map(\.name)
            throw Diagnostic(.executor, "\(def.singular) \(id) is in pipeline \"\(p.name)\", which has no stage \"\(stageName)\"",
                             at: stageRange,
                             hint: Suggestions.didYouMean(stageName, in: names) ?? "its stages: \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        let old = collection.columns[stages.stageField].integers[row]
        let stage = p.stages[k]
        if old == code {
            return Outcome(changes: [], summary: "\(def.singular) \(id) is already in stage \"\(stage.name)\"; nothing changed")
        }
        let assignment = BoundAssignment(field: stages.stageField, value: .integer(code), range: stageRange)
        var outcome = try update(entity, [assignment], ids: [id], verb: "moved")
        let from = old == nullInt ? "no stage" : "\"\(db.schema.enumValues("stage")[Int(old)])\""
        outcome.summary = "moved \(def.singular) \(id) from \(from) to \"\(stage.name)\" (probability \(stage.probability) %)"
        return outcome
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
            if !exists(target, id: id) {
                let singular = db[target].entity.singular
                throw Diagnostic(.executor, "there is no \(singular) with id \(id)", at: a.range,
                                 hint: "find \(target) where ... show id lists the ids")
            }
        }
    }
}
