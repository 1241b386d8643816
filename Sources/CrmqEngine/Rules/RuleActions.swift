/// Carries out one action of a rule for its triggering records: the values are worked out from
/// each record, then the change is built by `ChangeExecutor`, as the same statement typed by hand
/// would be (a stage change records its history and must meet the stage's exit criteria).
struct RuleActions {
    let now: Int64
    let user: Int64?
    /// The exit criteria of deals (`ChangeExecutor.rules`).
    let dealRules: ExitRules
    var cancellation: Cancellation = .none

    /// What an action did: its changes and a line that reports them.
    struct Outcome {
        var changes: [DataChange] = []
        var summary = ""
    }

    /// `action` of `rule` for records `ids`, whose values are read in `source`; the changes are
    /// built against `state` (the data as every change before this one leaves it).
    func perform(_ action: BoundRuleAction, of rule: BoundRule, for ids: [Int64], source: Database,
                 on state: Database) throws(Diagnostic) -> Outcome {
        let present = ids.filter { source[rule.entity].row(ofId: $0) != nil }
        var out = Outcome()
        switch action {
        case .create(let entity, let assignments):
            let rows = try values(assignments, rule.entity, present, source, target: state[entity].entity)
            if StageHistory(for: state[entity].entity, in: state.schema) == nil {
                out.changes = try plainInserts(entity, rows, on: state)
            } else {
                // A deal's creation records its stage and meets its criteria: as `create` does.
                for row in rows {
                    let outcome = try executor(state, entity, pending: out.changes).run(.create(entity: entity, assignments: row))
                    out.changes += outcome.changes
                }
            }
            let def = state[entity].entity
            out.summary = rows.count == 1 ? "created \(def.singular) \(firstInsert(out.changes, entity))"
                : "created \(rows.count) \(def.name)"
        case .updateRecord(let assignments):
            let rows = try values(assignments, rule.entity, present, source, target: state[rule.entity].entity)
            var count = present.count
            if !movesStage(rule.entity, assignments, in: state) {
                out.changes = try plainAssignments(rule.entity, rows, present, on: state)
            } else {
                count = 0
            }
            for (values, group) in movesStage(rule.entity, assignments, in: state) ? grouped(rows, present) : [] {
                let filter = RuleMatcher.idTest(state[rule.entity].entity, group)
                let outcome = try executor(state, rule.entity, pending: out.changes)
                    .run(.update(entity: rule.entity, assignments: values, filter: filter))
                out.changes += outcome.changes
                count += group.count
            }
            let def = state[rule.entity].entity
            out.summary = "updated \(count) \(count == 1 ? def.singular : def.name)"
        case .update(let entity, let assignments, let filter):
            let rows = try values(assignments, rule.entity, present, source, target: state[entity].entity)
            var summaries: [String] = []
            for (values, _) in grouped(rows, present) {
                let outcome = try executor(state, entity, pending: out.changes)
                    .run(.update(entity: entity, assignments: values, filter: filter))
                out.changes += outcome.changes
                summaries.append(outcome.summary)
            }
            out.summary = summaries.joined(separator: "; ")
        }
        return out
    }

    /// Whether the assignments set a stage or a pipeline: then `ChangeExecutor` records the history.
    private func movesStage(_ entity: String, _ assignments: [RuleAssignment], in db: Database) -> Bool {
        guard let stages = StageHistory(for: db[entity].entity, in: db.schema) else { return false }
        return assignments.contains { $0.field == stages.stageField || $0.field == stages.pipelineField }
    }

    /// One insert per row, ids handed out in order, references checked: what `create` builds for an
    /// entity without stages, without a pass over the earlier inserts for each one.
    private func plainInserts(_ entity: String, _ rows: [[BoundAssignment]], on db: Database) throws(Diagnostic) -> [DataChange] {
        let def = db[entity].entity
        var next = db[entity].nextId
        var out: [DataChange] = []
        out.reserveCapacity(rows.count)
        for (k, row) in rows.enumerated() {
            if k & 4095 == 0 { try cancellation.check() }
            try checkReferences(def, row, in: db)
            var values = [StoredValue](repeating: .null, count: def.fields.count - 1)
            for a in row { values[a.field - 1] = a.value }
            out.append(.insert(entity: entity, id: next, values: values))
            next += 1
        }
        return out
    }

    /// Per field, one assignment per distinct value, references checked.
    private func plainAssignments(_ entity: String, _ rows: [[BoundAssignment]], _ ids: [Int64],
                                  on db: Database) throws(Diagnostic) -> [DataChange] {
        guard let first = rows.first else { return [] }
        let def = db[entity].entity
        var out: [DataChange] = []
        for k in first.indices {
            var order: [StoredValue] = []
            var groups: [StoredValue: [Int64]] = [:]
            for (row, id) in zip(rows, ids) {
                let v = row[k].value
                if groups[v] == nil { order.append(v); groups[v] = [] }
                groups[v]!.append(id)
            }
            for v in order {
                try checkReferences(def, [BoundAssignment(field: first[k].field, value: v, range: first[k].range)], in: db)
                out.append(.assign(entity: entity, field: first[k].field, value: v, ids: groups[v]!))
            }
        }
        return out
    }

    private func checkReferences(_ def: EntityDef, _ row: [BoundAssignment], in db: Database) throws(Diagnostic) {
        for a in row {
            guard case .reference(let target) = def.fields[a.field].type, case .integer(let id) = a.value, id != nullInt else { continue }
            if db[target].row(ofId: id) == nil {
                throw Diagnostic(.executor, "there is no \(db[target].entity.singular) with id \(id)",
                                 hint: "find \(target) where ... show id lists the ids")
            }
        }
    }

    private func executor(_ db: Database, _ entity: String, pending: [DataChange]) -> ChangeExecutor {
        ChangeExecutor(db: db, now: now, user: user,
                       rules: entity == Database.dealEntity ? dealRules : ExitRules(entries: []),
                       pending: pending, cancellation: cancellation)
    }

    private func firstInsert(_ changes: [DataChange], _ entity: String) -> Int64 {
        for case .insert(let e, let id, _) in changes where e == entity { return id }
        return 0
    }

    /// The triggering records grouped by the values the action gives them, in first-seen order.
    private func grouped(_ rows: [[BoundAssignment]], _ ids: [Int64]) -> [([BoundAssignment], [Int64])] {
        var order: [[StoredValue]] = []
        var groups: [[StoredValue]: ([BoundAssignment], [Int64])] = [:]
        for (row, id) in zip(rows, ids) {
            let key = row.map(\.value)
            if groups[key] == nil { order.append(key); groups[key] = (row, []) }
            groups[key]!.1.append(id)
        }
        return order.map { groups[$0]! }
    }

    /// Per triggering record, the action's assignments with their values worked out.
    private func values(_ assignments: [RuleAssignment], _ entity: String, _ ids: [Int64], _ source: Database,
                        target: EntityDef) throws(Diagnostic) -> [[BoundAssignment]] {
        let collection = source[entity]
        let rows = ids.map { Int32(collection.row(ofId: $0)!) }
        var columns: [[StoredValue]] = []
        for a in assignments {
            switch a.value {
            case .stored(let v):
                columns.append([StoredValue](repeating: v, count: rows.count))
            case .computed(let s):
                let evaluator = try ScalarEvaluator(db: source, cancellation: cancellation, scalars: [s])
                let computed = try evaluator.values(s, rows: rows)
                var column: [StoredValue] = []
                column.reserveCapacity(rows.count)
                for i in rows.indices {
                    column.append(try RuleActions.stored(computed, i, s, target.fields[a.field], source.schema))
                }
                columns.append(column)
            }
        }
        let none = SourceRange(0, 0)
        return rows.indices.map { i in
            assignments.indices.map { k in BoundAssignment(field: assignments[k].field, value: columns[k][i], range: none) }
        }
    }

    /// A computed value as `field` stores it, or why it does not fit.
    static func stored(_ values: ScalarValues, _ i: Int, _ s: BoundScalar, _ field: FieldDef,
                       _ schema: Schema) throws(Diagnostic) -> StoredValue {
        if values.isNull(i) { return .null }
        switch values {
        case .texts(let codes, let dictionary):
            let text = dictionary[Int(codes[i])]
            guard case .enumeration(let name) = field.type else { return .text(text) }
            let names = schema.enumValues(name)
            guard let code = names.firstIndex(where: { $0.lowercased() == text.lowercased() }) else {
                throw Diagnostic(.executor, "\"\(text)\" is not a value of \(field.name)",
                                 hint: "values: \(names.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            return .integer(Int64(code))
        case .numbers(let v, _):
            let x = v[i]
            let n: Int128
            switch field.type {
            case .int, .reference: n = BoundExpr.rescale(x, from: s.scale, to: 0)
            case .money, .percent: n = BoundExpr.rescale(x, from: s.scale, to: 2)
            case .date: n = s.type == .datetime ? (x >= 0 ? x / 86_400 : (x - 86_399) / 86_400) : x
            case .datetime: n = s.type == .date ? x * 86_400 : x
            case .bool: n = x == 0 ? 0 : 1
            case .text, .enumeration: n = x
            }
            guard n > Int128(nullInt), n <= Int128(Int64.max) else {
                throw Diagnostic(.executor, "the value for \(field.name) is out of range")
            }
            let stored = Int64(n)
            if let range = field.type.storedRange(in: schema), !range.contains(stored) {
                throw Diagnostic(.executor, "the value for \(field.name) does not fit a \(field.type.name)",
                                 hint: field.type == .percent ? "a percent is from 0 to 100" : nil)
            }
            return .integer(stored)
        }
    }
}
