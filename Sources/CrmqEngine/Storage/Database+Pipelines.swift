/// Pipeline changes on the data: what deals and their histories forbid (dropping a pipeline in use,
/// a stage deals stand in), and re-coding the stored stage and pipeline codes when the enums that
/// `Schema.setPipelines` derives change. Re-coding is a pure function of the data and the change,
/// so a statement and the replay of its journal record give the same codes.
extension Database {
    /// The entity whose records move through pipelines: it has a `pipeline` field and a `stage` field.
    static let dealEntity = "opportunities"

    /// Each deal's pipeline as an index into `schema.pipelines` (null, the standard one, is 0); nil
    /// when the schema has no deals with pipelines.
    func dealPipelineIndexes() -> [Int]? {
        guard let def = schema.entity(named: Database.dealEntity), collections[def.name] != nil,
              let f = def.fieldIndex("pipeline"), def.fields[f].type == .enumeration("pipeline") else { return nil }
        let count = Int64(schema.pipelines.count)
        return self[def.name].columns[f].integers.map { $0 >= 0 && $0 < count ? Int($0) : 0 }
    }

    /// Why the data forbids the change: deals use the pipeline to drop, or stand in the stage to drop,
    /// or stage changes record a stage that would be left without a name. Nil when nothing does.
    public func pipelineDataProblem(_ change: PipelineChange) -> String? {
        switch change {
        case .drop(let name):
            guard let i = schema.pipelineIndex(named: name) else { return nil }
            let p = schema.pipelines[i]
            let using = dealPipelineIndexes()?.filter { $0 == i }.count ?? 0
            if using > 0 { return "pipeline \"\(p.name)\" is used by \(using) \(using == 1 ? "opportunity" : "opportunities")" }
            return vanishingStageProblem(change, pipeline: p)
        case .dropStage(let name, let stage):
            guard let i = schema.pipelineIndex(named: name), let code = schema.stageCode(stage) else { return nil }
            let p = schema.pipelines[i]
            if let def = schema.entity(named: Database.dealEntity), let f = def.fieldIndex("stage"),
               let pipelines = dealPipelineIndexes() {
                let codes = self[def.name].columns[f].integers
                let standing = codes.indices.filter { codes[$0] == code && pipelines[$0] == i }.count
                if standing > 0 {
                    return "\(standing) \(standing == 1 ? "opportunity stands" : "opportunities stand") in stage \"\(p.stage(named: stage)!.name)\" of pipeline \"\(p.name)\""
                }
            }
            return vanishingStageProblem(change, pipeline: p)
        default:
            return nil
        }
    }

    /// Stage changes that record a stage whose name the change removes from every pipeline.
    private func vanishingStageProblem(_ change: PipelineChange, pipeline: Pipeline) -> String? {
        guard let after = change.applied(to: schema.pipelines) else { return nil }
        let remaining = Set(Schema.stageNames(of: after.pipelines).map { $0.lowercased() })
        let old = schema.enumValues("stage")
        let gone = Set(old.indices.filter { !remaining.contains(old[$0].lowercased()) }.map(Int64.init))
        if gone.isEmpty { return nil }
        for e in schema.entities where collections[e.name] != nil {
            for (f, field) in e.fields.enumerated() where field.type == .enumeration("stage") {
                let n = self[e.name].columns[f].integers.filter { gone.contains($0) }.count
                if n > 0 {
                    let names = gone.sorted().map { "\"\(old[Int($0)])\"" }.joined(separator: ", ")
                    let what = (n == 1 ? e.singular : e.name).split(separator: "_").joined(separator: " ")
                    return "\(n) \(what) \(n == 1 ? "records" : "record") \(names) in \(field.name)"
                }
            }
        }
        return nil
    }

    /// Makes a pipeline change that `PipelineChange.problem(in:)` and `pipelineDataProblem` accepted:
    /// the schema's pipelines and enums, then every stage and pipeline code stored.
    public mutating func applyPipeline(_ change: PipelineChange) {
        guard let (pipelines, renamed) = change.applied(to: schema.pipelines) else { return }
        replacePipelines(pipelines, renamed: renamed)
    }

    /// Sets the pipelines and re-codes what is stored: a stage by its name (renamed in its deal's
    /// pipeline when the change renamed it there), a pipeline by its name.
    mutating func replacePipelines(_ pipelines: [Pipeline], renamed: [Int: [String: String]] = [:]) {
        let old = schema
        var new = schema
        new.setPipelines(pipelines)
        let oldStages = old.enumValues("stage")
        // One table per old pipeline (index = old code), and one for rows with no pipeline to go by.
        func table(_ pipeline: Int?) -> [Int64] {
            oldStages.map { name -> Int64 in
                var target = name
                if let p = pipeline, let r = renamed[p]?[name.lowercased()] {
                    target = r
                } else if pipeline == nil, new.stageCode(name) == nil,
                          let r = renamed.values.first(where: { $0[name.lowercased()] != nil })?[name.lowercased()] {
                    target = r
                }
                return new.stageCode(target) ?? nullInt
            }
        }
        let tables = old.pipelines.indices.map { table($0) }
        let loose = table(nil)
        let dealPipelines = dealPipelineIndexes()

        var stageColumns: [(entity: String, field: Int, values: [Int64])] = []
        for e in old.entities where collections[e.name] != nil {
            let stageFields = e.fields.indices.filter { e.fields[$0].type == .enumeration("stage") }
            if stageFields.isEmpty { continue }
            let context = rowPipelines(of: e, dealPipelines: dealPipelines)
            for f in stageFields {
                let codes = self[e.name].columns[f].integers
                var out = codes.int64Array()
                for row in codes.indices where codes[row] >= 0 && codes[row] < Int64(oldStages.count) {
                    let t = context?[row].map { tables[$0] } ?? loose
                    out[row] = t[Int(codes[row])]
                }
                stageColumns.append((e.name, f, out))
            }
        }
        let pipelineCodes = old.pipelines.map { p in new.pipelineIndex(named: p.name).map(Int64.init) ?? nullInt }
        schema = new
        for (entity, field, values) in stageColumns {
            modify(entity) { $0.replaceIntegers(field, with: values) }
        }
        for e in new.entities where collections[e.name] != nil {
            for f in e.fields.indices where e.fields[f].type == .enumeration("pipeline") {
                let codes = self[e.name].columns[f].integers
                let out = codes.map { $0 >= 0 && $0 < Int64(pipelineCodes.count) ? pipelineCodes[Int($0)] : $0 }
                modify(e.name) { $0.replaceIntegers(f, with: out) }
            }
        }
    }

    /// The pipeline (old index) each row of `e` belongs to: its own `pipeline` field for deals, its
    /// deal's for a record that refers to one (a stage change); nil per row without one, nil for an
    /// entity with neither.
    private func rowPipelines(of e: EntityDef, dealPipelines: [Int]?) -> [Int?]? {
        guard let dealPipelines else { return nil }
        if e.name == Database.dealEntity { return dealPipelines.map { $0 } }
        guard let ref = e.fields.firstIndex(where: { $0.type == .reference(Database.dealEntity) }) else { return nil }
        let deals = self[Database.dealEntity]
        return self[e.name].columns[ref].integers.map { id in
            id == nullInt ? nil : deals.row(ofId: id).map { dealPipelines[$0] }
        }
    }
}
