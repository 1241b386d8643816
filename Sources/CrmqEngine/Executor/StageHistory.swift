/// Where stage moves are recorded: an entity with a stage field (opportunities), its history entity
/// (stage_changes: a reference back, from_stage, to_stage, changed_at, changed_by) and the pipelines
/// that give each stage its probability. Found by field names, so a schema without them records nothing.
struct StageHistory {
    static let entityName = "stage_changes"

    let stageField: Int
    let probabilityField: Int
    /// The record's `pipeline` field, when it has one; without one every record is in the standard pipeline.
    let pipelineField: Int?
    let history: String
    /// Positions of the history entity's fields: subject (the reference back), from_stage,
    /// to_stage, changed_at and, when present, changed_by.
    let historyFields: [String: Int]
    let schema: Schema

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
        stageField = stage
        probabilityField = probability
        pipelineField = entity.fieldIndex("pipeline").flatMap { entity.fields[$0].type == .enumeration("pipeline") ? $0 : nil }
        self.history = history.name
        historyFields = fields
        self.schema = schema
    }

    /// The pipeline (index into `schema.pipelines`) a stored `pipeline` code stands for; null is the standard one.
    func pipelineIndex(_ code: Int64) -> Int {
        code >= 0 && code < Int64(schema.pipelines.count) ? Int(code) : 0
    }

    /// The place of a stored stage code in pipeline `pipeline`, or nil when the pipeline lacks it.
    func stageIndex(_ code: Int64, in pipeline: Int) -> Int? {
        let names = schema.enumValues("stage")
        guard code >= 0 && code < Int64(names.count) else { return nil }
        return schema.pipelines[pipeline].stageIndex(named: names[Int(code)])
    }

    /// The stage's probability in the pipeline, in hundredths; null when the pipeline lacks the stage.
    func probability(of stage: Int64, in pipeline: Int) -> StoredValue {
        stageIndex(stage, in: pipeline).map { .integer(Int64(schema.pipelines[pipeline].stages[$0].probability) * 100) } ?? .null
    }

    /// One history row per moved record, with consecutive ids from `firstId`.
    func records(ids: [Int64], from: [Int64], to: [Int64], at now: Int64, by user: Int64?, firstId: Int64,
                 fieldCount: Int) -> [DataChange] {
        ids.indices.map { i in
            var values = [StoredValue](repeating: .null, count: fieldCount - 1)
            values[historyFields["subject"]! - 1] = .integer(ids[i])
            values[historyFields["from_stage"]! - 1] = .integer(from[i])
            values[historyFields["to_stage"]! - 1] = .integer(to[i])
            values[historyFields["changed_at"]! - 1] = .integer(now)
            if let by = historyFields["changed_by"], let user { values[by - 1] = .integer(user) }
            return .insert(entity: history, id: firstId + Int64(i), values: values)
        }
    }
}
