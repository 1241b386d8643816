/// Files written before deals had pipelines (formats 1 and 2 of earlier crmq versions) open as if
/// written now: opportunities get their `pipeline` field (appended last, so no field moves), filled
/// with the standard pipeline; the standard pipeline, then named "default", is named "Sales"; the
/// `pipeline` enum is added. Saving writes the file in the new shape.
enum PipelineMigration {
    static let oldStandardName = "default"

    /// The schema a file's schema stands for today; the file's own when it needs nothing.
    static func schema(from file: Schema) -> Schema {
        var schema = file
        var pipelines = schema.pipelines
        if pipelines.isEmpty { pipelines = [.standard] }
        if pipelines[0].name.lowercased() == oldStandardName,
           !pipelines.contains(where: { $0.name.lowercased() == Pipeline.standard.name.lowercased() }) {
            pipelines[0].name = Pipeline.standard.name
        }
        schema.pipelines = pipelines
        if schema.enums["pipeline"] == nil || schema.enums["pipeline"] == [oldStandardName] {
            schema.enums["pipeline"] = pipelines.map(\.name)
        }
        if let e = schema.entities.firstIndex(where: { $0.name == Database.dealEntity }) {
            let deals = schema.entities[e]
            if deals.fieldIndex("pipeline") == nil, deals.fieldIndex("stage") != nil,
               let standard = Schema.standard.entity(named: Database.dealEntity),
               let field = standard.fields.first(where: { $0.name == "pipeline" }) {
                schema.entities[e] = EntityDef(name: deals.name, singular: deals.singular,
                                               fields: Array(deals.fields.dropFirst()) + [field],
                                               defaultColumns: deals.defaultColumns, titleField: deals.titleField)
            }
        }
        return schema
    }

    /// Why the schema's `stage` and `pipeline` values do not follow its pipelines (as
    /// `Schema.setPipelines` makes them), or nil: stored codes would name the wrong stages.
    static func problem(in schema: Schema) -> String? {
        guard schema.entity(named: Database.dealEntity) != nil, schema.enums["stage"] != nil else { return nil }
        if schema.enumValues("stage") != Schema.stageNames(of: schema.pipelines) {
            return "the stage values do not follow the pipelines' stages"
        }
        if schema.enumValues("pipeline") != schema.pipelines.map(\.name) {
            return "the pipeline values do not follow the pipelines"
        }
        return schema.pipelines.lazy.compactMap(\.shapeProblem).first
    }

    /// The columns of a collection for the entity `entity` when the file holds those of `file` (the
    /// same fields, maybe fewer): a field the migration added is filled, a pipeline with the standard one.
    static func columns(_ columns: [Column], file: EntityDef, entity: EntityDef, rows: Int) -> [Column] {
        guard entity.fields.count > file.fields.count else { return columns }
        var out = columns
        for f in entity.fields[file.fields.count...] {
            out.append(.integers(IntColumn(repeating: f.type == .enumeration("pipeline") ? 0 : nullInt, count: rows)))
        }
        return out
    }

    /// Whether a journal insert with `count` values fits `entity` once null is given for the fields
    /// the migration added: the journal of an old file was written before they existed.
    static func padding(for entity: EntityDef, values count: Int) -> Int {
        entity.name == Database.dealEntity && entity.fields.last?.name == "pipeline" && count == entity.fields.count - 2 ? 1 : 0
    }
}
