/// The pipelines as the schema's enums see them: `stage` holds every stage name once
/// (case-insensitively), pipeline by pipeline in stage order, so that `order by stage` and `by stage`
/// follow the pipelines; a name two pipelines share sits where the first one has it. `pipeline` holds
/// the pipeline names in order. Stored stage and pipeline codes are indexes into these lists.
extension Schema {
    /// The `stage` enum's values for these pipelines.
    public static func stageNames(of pipelines: [Pipeline]) -> [String] {
        var seen: Set<String> = []
        var names: [String] = []
        for p in pipelines {
            for s in p.stages where seen.insert(s.name.lowercased()).inserted { names.append(s.name) }
        }
        return names
    }

    /// Replaces the pipelines and recomputes the `stage` and `pipeline` enums from them. Stored codes
    /// are not touched: `Database.replacePipelines` re-codes the columns.
    public mutating func setPipelines(_ pipelines: [Pipeline]) {
        self.pipelines = pipelines
        enums["stage"] = Schema.stageNames(of: pipelines)
        enums["pipeline"] = pipelines.map(\.name)
    }

    /// The pipeline named `name` in any case.
    public func pipeline(named name: String) -> Pipeline? {
        pipelineIndex(named: name).map { pipelines[$0] }
    }

    public func pipelineIndex(named name: String) -> Int? {
        let key = name.lowercased()
        return pipelines.firstIndex { $0.name.lowercased() == key }
    }

    /// The pipeline a stored `pipeline` code names; null or out of range means the standard (first) one.
    public func pipeline(code: Int64) -> Pipeline {
        code >= 0 && code < Int64(pipelines.count) ? pipelines[Int(code)] : defaultPipeline
    }

    /// The `stage` enum code of a stage name, if the enum has it.
    public func stageCode(_ name: String) -> Int64? {
        let key = name.lowercased()
        return enumValues("stage").firstIndex { $0.lowercased() == key }.map(Int64.init)
    }

    /// The pipelines that have a stage named `name`, in order.
    public func pipelines(withStage name: String) -> [Pipeline] {
        pipelines.filter { $0.stage(named: name) != nil }
    }
}

extension Schema {
    /// Whether any stage has exit criteria.
    public var hasExitCriteria: Bool { pipelines.contains { $0.stages.contains { !$0.criteria.isEmpty } } }
}
