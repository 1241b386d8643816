/// Pipeline statements in a session: what the data forbids (a pipeline deals use, a stage deals
/// stand in) is refused with the statement's place, and each change is reported in a line.
extension Session {
    /// Why the data forbids a pipeline change, as a diagnostic at the statement; nil when nothing does.
    func pipelineRefusal(_ change: PipelineChange, at range: SourceRange?) -> Diagnostic? {
        guard let problem = database.pipelineDataProblem(change) else { return nil }
        // Deals standing there can move; a stage history that names the stage is kept as it is.
        let history = problem.contains(" in from_stage") || problem.contains(" in to_stage")
        let what: String, hint: String
        switch change {
        case .drop(let p):
            what = "cannot drop pipeline \"\(p)\""
            hint = history ? "the stage history keeps the names of the stages deals went through"
                : "move its deals to another pipeline first: update opportunities set pipeline = \"\(database.schema.defaultPipeline.name)\", stage = \"...\" where pipeline = \"\(p)\""
        case .dropStage(let p, let s):
            what = "cannot drop stage \"\(s)\" of pipeline \"\(p)\""
            hint = history ? "the stage history keeps the names of the stages deals went through; rename the stage instead"
                : "move its deals to another stage first: find opportunities where pipeline = \"\(p)\" and stage = \"\(s)\""
        default:
            what = "cannot change pipeline \"\(change.pipelineName)\""
            hint = "nothing was changed"
        }
        return Diagnostic(.executor, "\(what): \(problem)", at: range, hint: hint)
    }

    func summary(of change: PipelineChange) -> String {
        switch change {
        case .define(let p):
            return "defined pipeline \"\(p.name)\" (\(p.stages.count) stages)"
        case .addStage(let p, let stage, let position):
            let pipeline = database.schema.pipeline(named: p)
            let place = position == 0 ? "first" : pipeline.map { "after \"\($0.stages[position - 1].name)\"" } ?? ""
            return "added stage \"\(stage.name)\" (\(stage.probability) %) to pipeline \"\(p)\", \(place)"
        case .renameStage(let p, let from, let to):
            return "renamed stage \"\(from)\" of pipeline \"\(p)\" to \"\(to)\""
        case .dropStage(let p, let s):
            return "dropped stage \"\(s)\" from pipeline \"\(p)\""
        case .drop(let p):
            return "dropped pipeline \"\(p)\""
        case .setCriteria(let p, let s, let criteria):
            if criteria.isEmpty { return "stage \"\(s)\" of pipeline \"\(p)\" requires nothing" }
            return "stage \"\(s)\" of pipeline \"\(p)\" requires: " + criteria.map(\.text).joined(separator: "; ")
        }
    }
}
