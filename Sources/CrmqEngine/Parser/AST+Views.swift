/// The statements about one record: `convert lead 42 ...` and the 360° view `show account 42`.

/// Which record a statement is about, as written: its id, or a name or email in quotes.
public enum RecordKey: Equatable, Sendable {
    case id(Int64)
    /// `"Acme AS"`, `"Kari Nordmann"`, `"kari@acme.no"`: matched ignoring case, as `=` does.
    case name(String)
}

/// What a conversion does about an opportunity.
public enum OpportunityClause: Equatable, Sendable {
    /// Neither clause: an opportunity with the defaults (named after the company).
    case defaults
    /// `without opportunity`
    case none
    /// `with opportunity value 5000, name "Renewal"`: fields of the new opportunity, `FIELD value`
    /// or `FIELD = value`.
    case with([Assignment])
}

/// `convert lead 42 [with opportunity FIELD [=] value, ... | without opportunity]`
public struct ConvertLead: Equatable, Sendable {
    /// The entity as written (`lead`); the binder checks it is leads.
    public var entity: Name
    public var key: RecordKey
    public var keyRange: SourceRange
    public var opportunity: OpportunityClause
}

/// `show account 42`, `show contact "kari@acme.no"`: one record and everything around it.
public struct RecordView: Equatable, Sendable {
    public var entity: Name
    public var key: RecordKey
    public var keyRange: SourceRange
}
