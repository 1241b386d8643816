/// The bound forms of `convert lead ...` and `show ENTITY KEY`. Which record a key names is left
/// to the executor (it depends on the data); everything about names and values is checked here.

/// A record named by id or by a name, in an entity.
public struct BoundRecordKey: Sendable {
    public var entity: String
    public var key: RecordKey
    /// Where the key was written: lookup errors point there.
    public var range: SourceRange
}

/// What a conversion does about an opportunity, with the fields given checked against opportunities.
public enum BoundOpportunityChoice: Sendable {
    case defaults
    case none
    case with([BoundAssignment])
}

/// `convert lead 42 ...`
public struct BoundConversion: Sendable {
    public var lead: BoundRecordKey
    public var opportunity: BoundOpportunityChoice
    public var range: SourceRange
}

/// `show account 42`, and with `explain` the statements it runs.
public struct BoundView: Sendable {
    public var record: BoundRecordKey
    /// nil for the view itself; for `explain [analyze] show ...`, whether to run the plans too.
    public var explain: Bool?
}
