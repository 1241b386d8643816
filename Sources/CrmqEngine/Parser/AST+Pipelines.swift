/// The statements on pipelines and their exit criteria, as written.

/// One stage as written in `define pipeline` or `add stage`: `"Contract signed" 100 won`.
public struct StageSyntax: Equatable, Sendable {
    public enum Outcome: Equatable, Sendable { case open, won, lost }
    public var name: Name
    public var probability: Int64
    public var probabilityRange: SourceRange
    public var outcome: Outcome
}

/// Where `add stage` puts the new stage.
public enum StagePlacement: Equatable, Sendable {
    /// Nothing said: an open stage after the last open one, a closed one at the end.
    case end
    case after(Name)
    case before(Name)
}

/// One exit criterion as written: a field that must be filled, or a condition.
public enum CriterionSyntax: Equatable, Sendable {
    case filled(Name)
    /// The condition, and its canonical text (as it is stored and parsed again at each use).
    case condition(Condition, text: String)
}

public enum PipelineStatement: Equatable, Sendable {
    /// `define pipeline NAME stages (STAGE, ...)`
    case define(name: Name, stages: [StageSyntax])
    /// `alter pipeline NAME add stage STAGE [after S | before S]`
    case addStage(pipeline: Name, stage: StageSyntax, placement: StagePlacement)
    /// `alter pipeline NAME rename stage S to T`
    case renameStage(pipeline: Name, from: Name, to: Name)
    /// `alter pipeline NAME drop stage S`
    case dropStage(pipeline: Name, stage: Name)
    /// `drop pipeline NAME`
    case drop(pipeline: Name)
    /// `require CRITERION, ... for stage S [in pipeline P]`; no criteria for `require nothing ...`.
    case require(criteria: [CriterionSyntax], stage: Name, pipeline: Name?)
}
