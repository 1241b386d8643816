/// One change to the pipelines, as statements make it and the journal records it (a catalog change).
/// Applying one gives the new list of pipelines and, for a renamed stage, the old name and the new
/// one in that pipeline, so that stored stage codes can be re-coded (`Database+Pipelines.swift`).
public enum PipelineChange: Hashable, Sendable {
    /// `define pipeline "Enterprise" stages (...)`: appended after the others.
    case define(Pipeline)
    /// `alter pipeline P add stage S N [after|before T]`: inserted at `position` of the pipeline's stages.
    case addStage(pipeline: String, stage: Stage, position: Int)
    /// `alter pipeline P rename stage S to T`
    case renameStage(pipeline: String, from: String, to: String)
    /// `alter pipeline P drop stage S`
    case dropStage(pipeline: String, stage: String)
    /// `drop pipeline P`
    case drop(pipeline: String)
    /// `require ... for stage S in pipeline P`, `require nothing for stage S`: the stage's whole list
    /// of criteria after the statement.
    case setCriteria(pipeline: String, stage: String, criteria: [ExitCriterion])

    /// The pipeline it changes, as named.
    public var pipelineName: String {
        switch self {
        case .define(let p): p.name
        case .addStage(let p, _, _), .renameStage(let p, _, _), .dropStage(let p, _), .drop(let p),
             .setCriteria(let p, _, _): p
        }
    }

    /// The longest name a pipeline or a stage may have, in bytes.
    public static let maximumNameLength = 200

    /// The pipelines after the change, and the stages it renamed (old name lowercased -> new name) in
    /// the changed pipeline (its index in the old list). Nil when `problem(in:)` would refuse it.
    public func applied(to pipelines: [Pipeline]) -> (pipelines: [Pipeline], renamed: [Int: [String: String]])? {
        var list = pipelines
        func index(_ name: String) -> Int? {
            let key = name.lowercased()
            return list.firstIndex { $0.name.lowercased() == key }
        }
        switch self {
        case .define(let p):
            guard index(p.name) == nil else { return nil }
            list.append(p)
            return (list, [:])
        case .addStage(let name, let stage, let position):
            guard let i = index(name), (0...list[i].stages.count).contains(position) else { return nil }
            list[i].stages.insert(stage, at: position)
            return (list, [:])
        case .renameStage(let name, let from, let to):
            guard let i = index(name), let s = list[i].stageIndex(named: from) else { return nil }
            list[i].stages[s].name = to
            return (list, [i: [from.lowercased(): to]])
        case .dropStage(let name, let stage):
            guard let i = index(name), let s = list[i].stageIndex(named: stage) else { return nil }
            list[i].stages.remove(at: s)
            return (list, [:])
        case .drop(let name):
            guard let i = index(name) else { return nil }
            list.remove(at: i)
            return (list, [:])
        case .setCriteria(let name, let stage, let criteria):
            guard let i = index(name), let s = list[i].stageIndex(named: stage) else { return nil }
            list[i].stages[s].criteria = criteria
            return (list, [:])
        }
    }

    /// Why the change cannot be made to these pipelines, judged by the pipelines alone (whether deals
    /// use a pipeline or stand in a stage, the database checks). Statements check the same with better
    /// words in the binder; this guards replaying a journal.
    public func problem(in schema: Schema) -> String? {
        let pipelines = schema.pipelines
        switch self {
        case .define(let p):
            if schema.pipeline(named: p.name) != nil { return "pipeline \"\(p.name)\" is defined twice" }
        case .addStage(let name, _, _), .renameStage(let name, _, _), .dropStage(let name, _), .setCriteria(let name, _, _):
            guard let p = schema.pipeline(named: name) else { return "pipeline \"\(name)\" is not defined" }
            switch self {
            case .renameStage(_, let from, let to):
                guard let s = p.stageIndex(named: from) else { return "pipeline \"\(p.name)\" has no stage \"\(from)\"" }
                if let other = p.stageIndex(named: to), other != s { return "pipeline \"\(p.name)\" already has a stage \"\(to)\"" }
            case .dropStage(_, let stage), .setCriteria(_, let stage, _):
                guard p.stageIndex(named: stage) != nil else { return "pipeline \"\(p.name)\" has no stage \"\(stage)\"" }
            case .addStage(_, let stage, let position):
                if p.stageIndex(named: stage.name) != nil { return "pipeline \"\(p.name)\" already has a stage \"\(stage.name)\"" }
                if !(0...p.stages.count).contains(position) { return "stage \"\(stage.name)\" is added outside the pipeline" }
            default:
                break
            }
        case .drop(let name):
            guard let i = schema.pipelineIndex(named: name) else { return "pipeline \"\(name)\" is not defined" }
            if i == 0 { return "pipeline \"\(pipelines[0].name)\" is the standard pipeline and cannot be dropped" }
        }
        guard let after = applied(to: pipelines) else { return "the change does not fit the pipelines" }
        if case .setCriteria(_, _, let criteria) = self {
            let fields = schema.entity(named: "opportunities")?.fields.map(\.name) ?? []
            for case .filled(let f) in criteria where !fields.contains(f) {
                return "a criterion names the field \"\(f)\", which opportunities lack"
            }
        }
        if case .drop = self { return nil }
        if let conflict = Pipeline.outcomeConflict(among: after.pipelines) { return conflict }
        guard let changed = after.pipelines.first(where: { $0.name.lowercased() == pipelineName.lowercased() }) else {
            return nil
        }
        return changed.shapeProblem
    }
}

extension Pipeline {
    /// Why the pipelines cannot stand together: a stage name (in any case) that is open in one and
    /// won or lost in another. Reports and `blocked` tell won, lost and open deals by stage name, so a
    /// name must mean one outcome wherever it is used. Nil when every shared name agrees.
    public static func outcomeConflict(among pipelines: [Pipeline]) -> String? {
        func outcome(_ s: Stage) -> String { s.isWon ? "won" : s.isClosed ? "lost" : "open" }
        var first: [String: (pipeline: String, stage: Stage)] = [:]
        for p in pipelines {
            for s in p.stages {
                let key = s.name.lowercased()
                if let (other, seen) = first[key], outcome(seen) != outcome(s) {
                    return "stage \"\(s.name)\" would be \(outcome(s)) in pipeline \"\(p.name)\" but is \(outcome(seen)) in pipeline \"\(other)\""
                }
                if first[key] == nil { first[key] = (p.name, s) }
            }
        }
        return nil
    }

    /// Why the pipeline's stages cannot stand as they are: names empty, too long or repeated, a
    /// probability outside 0-100, no open stage to start in, no won stage, an open stage after a
    /// closed one. Nil when they can.
    public var shapeProblem: String? {
        if name.isEmpty || name.utf8.count > PipelineChange.maximumNameLength {
            return "a pipeline's name must have 1 to \(PipelineChange.maximumNameLength) bytes"
        }
        var seen: Set<String> = []
        for s in stages {
            if s.name.isEmpty || s.name.utf8.count > PipelineChange.maximumNameLength {
                return "a stage's name must have 1 to \(PipelineChange.maximumNameLength) bytes"
            }
            if !seen.insert(s.name.lowercased()).inserted { return "pipeline \"\(name)\" has two stages named \"\(s.name)\"" }
            if !(0...100).contains(s.probability) { return "stage \"\(s.name)\" has probability \(s.probability), outside 0 to 100" }
            if s.isWon && !s.isClosed { return "stage \"\(s.name)\" is won but not closed" }
        }
        guard let first = stages.first, !first.isClosed else {
            return "pipeline \"\(name)\" must start with an open stage, where new deals start"
        }
        if !stages.contains(where: \.isWon) { return "pipeline \"\(name)\" has no won stage" }
        if let closed = stages.firstIndex(where: \.isClosed),
           let late = stages[closed...].first(where: { !$0.isClosed }) {
            return "open stage \"\(late.name)\" comes after closed stage \"\(stages[closed].name)\""
        }
        return nil
    }
}
