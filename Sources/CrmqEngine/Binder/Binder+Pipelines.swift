/// Pipelines and exit criteria in the binder: `define`/`alter`/`drop pipeline` and `require ... for
/// stage` checked against the pipelines (with did-you-mean for every name), the criteria bound for
/// each use (they are stored as text, as segments are), and `blocked` expanded into a plain filter.
extension Binder {
    // MARK: - Names

    /// The pipeline named `name`, with its index, or an error with did-you-mean.
    func resolvePipeline(_ name: Name) throws(Diagnostic) -> (Int, Pipeline) {
        if let i = schema.pipelineIndex(named: name.text) { return (i, schema.pipelines[i]) }
        let names = schema.pipelines.map(\.name)
        throw Diagnostic(.binder, "unknown pipeline \"\(name.text)\"", at: name.range,
                         hint: Suggestions.didYouMean(name.text, in: names) ?? "pipelines: \(Binder.quotedList(names))")
    }

    /// The stage of `pipeline` named `name`, with its index, or an error with did-you-mean from that pipeline.
    func resolveStage(_ name: Name, in pipeline: Pipeline) throws(Diagnostic) -> (Int, Stage) {
        if let i = pipeline.stageIndex(named: name.text) { return (i, pipeline.stages[i]) }
        let names = pipeline.stages.map(\.name)
        throw Diagnostic(.binder, "pipeline \"\(pipeline.name)\" has no stage \"\(name.text)\"", at: name.range,
                         hint: Suggestions.didYouMean(name.text, in: names) ?? "its stages: \(Binder.quotedList(names))")
    }

    static func quotedList(_ names: [String]) -> String {
        names.map { "\"\($0)\"" }.joined(separator: ", ")
    }

    // MARK: - Statements

    func bindPipeline(_ statement: PipelineStatement) throws(Diagnostic) -> PipelineChange {
        switch statement {
        case .define(let name, let list):
            if let existing = schema.pipeline(named: name.text) {
                throw Diagnostic(.binder, "pipeline \"\(existing.name)\" is already defined", at: name.range,
                                 hint: "alter pipeline \"\(existing.name)\" changes its stages; or give the new one another name")
            }
            if name.text.isEmpty || name.text.utf8.count > PipelineChange.maximumNameLength {
                throw Diagnostic(.binder, "a pipeline's name must have 1 to \(PipelineChange.maximumNameLength) bytes", at: name.range)
            }
            var stages: [Stage] = []
            for s in list {
                let stage = try bindStage(s)
                if stages.contains(where: { $0.name.lowercased() == stage.name.lowercased() }) {
                    throw Diagnostic(.binder, "stage \"\(s.name.text)\" is named twice", at: s.name.range,
                                     hint: "each stage of a pipeline needs a name of its own")
                }
                stages.append(stage)
            }
            let pipeline = Pipeline(name: name.text, stages: stages)
            try checkShape(pipeline, at: name.range)
            return try checkedOutcomes(.define(pipeline), at: name.range)

        case .addStage(let pipelineName, let syntax, let placement):
            let (_, pipeline) = try resolvePipeline(pipelineName)
            let stage = try bindStage(syntax)
            if let existing = pipeline.stage(named: stage.name) {
                throw Diagnostic(.binder, "pipeline \"\(pipeline.name)\" already has a stage \"\(existing.name)\"",
                                 at: syntax.name.range, hint: "give the new stage a name of its own")
            }
            let position: Int
            switch placement {
            case .end:
                position = stage.isClosed ? pipeline.stages.count : (pipeline.stages.lastIndex { !$0.isClosed }.map { $0 + 1 } ?? 0)
            case .after(let other):
                position = try resolveStage(other, in: pipeline).0 + 1
            case .before(let other):
                position = try resolveStage(other, in: pipeline).0
            }
            var changed = pipeline
            changed.stages.insert(stage, at: position)
            try checkShape(changed, at: syntax.name.range)
            return try checkedOutcomes(.addStage(pipeline: pipeline.name, stage: stage, position: position), at: syntax.name.range)

        case .renameStage(let pipelineName, let from, let to):
            let (_, pipeline) = try resolvePipeline(pipelineName)
            let (i, stage) = try resolveStage(from, in: pipeline)
            if let j = pipeline.stageIndex(named: to.text), j != i {
                throw Diagnostic(.binder, "pipeline \"\(pipeline.name)\" already has a stage \"\(pipeline.stages[j].name)\"",
                                 at: to.range, hint: "pick another name")
            }
            if to.text.isEmpty || to.text.utf8.count > PipelineChange.maximumNameLength {
                throw Diagnostic(.binder, "a stage's name must have 1 to \(PipelineChange.maximumNameLength) bytes", at: to.range)
            }
            return try checkedOutcomes(.renameStage(pipeline: pipeline.name, from: stage.name, to: to.text), at: to.range)

        case .dropStage(let pipelineName, let name):
            let (_, pipeline) = try resolvePipeline(pipelineName)
            let (i, stage) = try resolveStage(name, in: pipeline)
            var changed = pipeline
            changed.stages.remove(at: i)
            try checkShape(changed, at: name.range)
            return .dropStage(pipeline: pipeline.name, stage: stage.name)

        case .drop(let name):
            let (i, pipeline) = try resolvePipeline(name)
            if i == 0 {
                throw Diagnostic(.binder, "pipeline \"\(pipeline.name)\" is the standard pipeline and cannot be dropped",
                                 at: name.range, hint: "deals without a pipeline move through it")
            }
            return .drop(pipeline: pipeline.name)

        case .require(let list, let stageName, let pipelineName):
            let (pipeline, stage) = try resolveCriteriaStage(stageName, pipelineName)
            var criteria = list.isEmpty ? [] : stage.criteria
            guard let deals = schema.entity(named: Database.dealEntity) else {
                throw Diagnostic(.binder, "there are no opportunities to require anything of", at: stageName.range)
            }
            for c in list {
                let criterion: ExitCriterion
                switch c {
                case .filled(let field):
                    if field.text.lowercased() == "blocked" && deals.fieldIndex(field.text) == nil {
                        var inner = self
                        inner.bindingCriterion = true
                        _ = try inner.blockedFilter(deals, at: field.range)
                    }
                    let path = try resolve(Path(components: [field]), from: deals)
                    criterion = .filled(field: deals.fields[path.field.field].name)
                case .condition(let condition, let text):
                    // Bound now to catch mistakes; stored as text and bound again at each use.
                    var inner = self
                    inner.bindingCriterion = true
                    _ = try inner.bindCondition(condition, deals)
                    criterion = .condition(text)
                }
                if !criteria.contains(criterion) { criteria.append(criterion) }
            }
            return .setCriteria(pipeline: pipeline.name, stage: stage.name, criteria: criteria)
        }
    }

    /// The stage of `require ... for stage S [in pipeline P]`: without a pipeline, the one pipeline
    /// that has a stage so named.
    private func resolveCriteriaStage(_ stageName: Name, _ pipelineName: Name?) throws(Diagnostic) -> (Pipeline, Stage) {
        if let pipelineName {
            let (_, pipeline) = try resolvePipeline(pipelineName)
            return (pipeline, try resolveStage(stageName, in: pipeline).1)
        }
        let having = schema.pipelines(withStage: stageName.text)
        if having.count == 1 { return (having[0], having[0].stage(named: stageName.text)!) }
        if having.isEmpty {
            let names = Schema.stageNames(of: schema.pipelines)
            throw Diagnostic(.binder, "no pipeline has a stage \"\(stageName.text)\"", at: stageName.range,
                             hint: Suggestions.didYouMean(stageName.text, in: names) ?? "stages: \(Binder.quotedList(names))")
        }
        throw Diagnostic(.binder, "stage \"\(stageName.text)\" is in pipelines \(Binder.quotedList(having.map(\.name)))",
                         at: stageName.range, hint: "say which: ... for stage \"\(stageName.text)\" in pipeline \"\(having[1].name)\"")
    }

    private func bindStage(_ s: StageSyntax) throws(Diagnostic) -> Stage {
        guard (0...100).contains(s.probability) else {
            throw Diagnostic(.binder, "stage \"\(s.name.text)\" has probability \(s.probability); a probability is 0 to 100",
                             at: s.probabilityRange, hint: "a won stage has 100, a lost one 0")
        }
        if s.name.text.isEmpty || s.name.text.utf8.count > PipelineChange.maximumNameLength {
            throw Diagnostic(.binder, "a stage's name must have 1 to \(PipelineChange.maximumNameLength) bytes", at: s.name.range)
        }
        return Stage(s.name.text, Int(s.probability), closed: s.outcome != .open, won: s.outcome == .won)
    }

    /// A stage name shared by two pipelines must mean the same outcome (open, won or lost) in both.
    private func checkedOutcomes(_ change: PipelineChange, at range: SourceRange) throws(Diagnostic) -> PipelineChange {
        guard let after = change.applied(to: schema.pipelines),
              let conflict = Pipeline.outcomeConflict(among: after.pipelines) else { return change }
        throw Diagnostic(.binder, conflict, at: range,
                         hint: "reports tell won, lost and open deals by stage name: give this stage another name")
    }

    /// The pipeline's stages must start open, have a won stage and keep open stages before closed ones.
    private func checkShape(_ p: Pipeline, at range: SourceRange) throws(Diagnostic) {
        guard let problem = p.shapeProblem else { return }
        let hint: String
        if !p.stages.contains(where: \.isWon) {
            hint = "mark the stage that closes a deal won, as in \"Contract signed\" 100 won"
        } else if p.stages.first?.isClosed ?? true {
            hint = "new deals start in the first stage: put an open stage first"
        } else {
            hint = "list the open stages first, then the won and lost ones"
        }
        throw Diagnostic(.binder, problem, at: range, hint: hint)
    }

    // MARK: - Criteria, bound for each use

    /// The criteria a deal must meet to enter stage `stage` of pipeline `pipeline`: the stage's own
    /// and, unless it is a lost stage, those of every open stage before it; in pipeline order.
    public func entryCriteria(pipeline: Int, stage: Int) -> [(stage: String, criterion: ExitCriterion)] {
        let p = schema.pipelines[pipeline]
        let target = p.stages[stage]
        var out: [(String, ExitCriterion)] = []
        if !target.isLost {
            for s in p.stages[..<stage] where !s.isClosed { out += s.criteria.map { (s.name, $0) } }
        }
        out += target.criteria.map { (target.name, $0) }
        return out
    }

    /// One criterion as a filter on deals. A stored condition that no longer binds (a field since
    /// renamed) is an error naming the stage, as a stored segment's is.
    func criterionFilter(_ c: ExitCriterion, stage: String, _ deals: EntityDef, at range: SourceRange) throws(Diagnostic) -> BoundFilter {
        switch c {
        case .filled(let field):
            let path = try resolve(Path(components: [Name(text: field, range: range)]), from: deals)
            return .not(.test(path, .isNull))
        case .condition(let text):
            do {
                let parsed = try Parser.storedCondition(text, name: "criterion of \(stage)")
                var inner = self
                inner.bindingCriterion = true
                return try inner.bindCondition(parsed, deals)
            } catch {
                throw Diagnostic(.binder, "the criterion \"\(text)\" of stage \"\(stage)\" no longer fits the data: \(error.message)",
                                 at: range, hint: "require nothing for stage \"\(stage)\" removes its criteria")
            }
        }
    }

    /// Every pipeline's entry criteria, bound: what the change executor checks a stage move against.
    public func exitRules(at range: SourceRange? = nil) throws(Diagnostic) -> ExitRules {
        guard let deals = schema.entity(named: Database.dealEntity) else { return ExitRules(entries: []) }
        let at = range ?? SourceRange(0, 0)
        var entries: [[[ExitRules.Criterion]]] = []
        for (i, p) in schema.pipelines.enumerated() {
            var stages: [[ExitRules.Criterion]] = []
            for k in p.stages.indices {
                var list: [ExitRules.Criterion] = []
                for (stage, c) in entryCriteria(pipeline: i, stage: k) {
                    list.append(ExitRules.Criterion(stage: stage, text: c.text,
                                                    filter: try criterionFilter(c, stage: stage, deals, at: at)))
                }
                stages.append(list)
            }
            entries.append(stages)
        }
        return ExitRules(entries: entries)
    }

    // MARK: - blocked

    /// `blocked`: open deals whose next stage (the one after theirs, unless it is a lost stage) they
    /// may not enter yet, because a criterion of it or of a stage before it is not met. Expanded into
    /// a plain filter: for each such stage, `pipeline = P and stage = S and not (criteria)`.
    func blockedFilter(_ entity: EntityDef, at range: SourceRange) throws(Diagnostic) -> BoundFilter {
        if bindingCriterion {
            throw Diagnostic(.binder, "an exit criterion cannot use \"blocked\", which is made of the criteria", at: range,
                             hint: "require the fields or conditions themselves")
        }
        guard entity.name == Database.dealEntity, entity.fieldIndex("pipeline") != nil, entity.fieldIndex("stage") != nil else {
            throw Diagnostic(.binder, "\"blocked\" is a condition on opportunities, not on \(entity.name)", at: range,
                             hint: "find opportunities where blocked; or any opportunities (blocked)")
        }
        func path(_ name: String) throws(Diagnostic) -> BoundPath {
            try resolve(Path(components: [Name(text: name, range: range)]), from: entity)
        }
        let pipelinePath = try path("pipeline"), stagePath = try path("stage")
        var parts: [BoundFilter] = []
        for (i, p) in schema.pipelines.enumerated() {
            let inPipeline: BoundFilter = i == 0
                ? .or([.test(pipelinePath, .oneOf([0])), .test(pipelinePath, .isNull)])
                : .test(pipelinePath, .oneOf([Int64(i)]))
            for k in p.stages.indices.dropLast() where !p.stages[k].isClosed && !p.stages[k + 1].isLost {
                let criteria = entryCriteria(pipeline: i, stage: k + 1)
                if criteria.isEmpty { continue }
                guard let code = schema.stageCode(p.stages[k].name) else { continue }
                var met: [BoundFilter] = []
                for (stage, c) in criteria { met.append(try criterionFilter(c, stage: stage, entity, at: range)) }
                parts.append(.and([inPipeline, .test(stagePath, .oneOf([code])), .not(met.count == 1 ? met[0] : .and(met))]))
            }
        }
        switch parts.count {
        case 0: return .none
        case 1: return parts[0]
        default: return .or(parts)
        }
    }
}

/// Each pipeline's entry criteria, bound: `entries[pipeline][stage]` lists what a deal must meet to
/// enter that stage (Binder.entryCriteria), each with the stage it belongs to and its text.
public struct ExitRules: Sendable {
    public struct Criterion: Sendable {
        public var stage: String
        public var text: String
        public var filter: BoundFilter
    }
    public var entries: [[[Criterion]]]

    public init(entries: [[[Criterion]]]) { self.entries = entries }

    public var isEmpty: Bool { entries.allSatisfy { $0.allSatisfy(\.isEmpty) } }
}

extension Binder {
    /// `move ENTITY ID to "STAGE"`: an entity that records stage moves, a whole id, a stage's name.
    func bindMove(_ name: Name, _ id: Expr, _ stage: Expr) throws(Diagnostic) -> BoundChange {
        let entity = try resolveEntity(name)
        guard StageHistory(for: entity, in: schema) != nil else {
            throw Diagnostic(.binder, "\(entity.name) have no stages to move through", at: name.range,
                             hint: "move opportunity 17 to \"Negotiation\"")
        }
        guard case .literal(.integer(let n), let idRange) = id else {
            throw Diagnostic(.binder, "expected the id of the \(entity.singular) to move", at: id.range,
                             hint: "move \(entity.singular) 17 to \"Negotiation\"")
        }
        guard case .literal(.string(let text), let stageRange) = stage else {
            throw Diagnostic(.binder, "expected the stage's name in quotes", at: stage.range,
                             hint: "move \(entity.singular) \(n) to \"Negotiation\"")
        }
        return .move(entity: entity.name, id: n, idRange: idRange, stage: text, stageRange: stageRange)
    }
}
