/// One stage of a pipeline, with the probability of winning a deal that stands in it.
public struct Stage: Hashable, Sendable {
    public var name: String
    /// 0 to 100.
    public var probability: Int
    public var isClosed: Bool
    public var isWon: Bool
    /// What must hold before a deal may enter this stage (or any later one), in the order required.
    public var criteria: [ExitCriterion]

    public init(_ name: String, _ probability: Int, closed: Bool = false, won: Bool = false,
                criteria: [ExitCriterion] = []) {
        self.name = name
        self.probability = probability
        self.isClosed = closed
        self.isWon = won
        self.criteria = criteria
    }

    /// A closed stage that is not won: entering it needs only its own criteria.
    public var isLost: Bool { isClosed && !isWon }
}

/// One exit criterion of a stage: a field that must be filled (`require close_date for stage ...`) or
/// a condition of the language (`require any activities (type = "meeting") for stage ...`). A
/// condition is kept as canonical source text and bound at each use, as a segment's is.
public enum ExitCriterion: Hashable, Sendable {
    case filled(field: String)
    case condition(String)

    /// How messages and `.pipelines` show it: `close_date filled`, `any activities (type = "meeting")`.
    public var text: String {
        switch self {
        case .filled(let field): "\(field) filled"
        case .condition(let source): source
        }
    }
}

/// The ordered stages a deal moves through.
public struct Pipeline: Hashable, Sendable {
    public var name: String
    public var stages: [Stage]

    public init(name: String, stages: [Stage]) {
        self.name = name
        self.stages = stages
    }

    /// The standard sales pipeline, "Sales": the classic Salesforce-style stages.
    public static let standard = Pipeline(name: "Sales", stages: [
        Stage("Prospecting", 10),
        Stage("Qualification", 20),
        Stage("Needs Analysis", 30),
        Stage("Value Proposition", 40),
        Stage("Proposal", 60),
        Stage("Negotiation", 80),
        Stage("Closed Won", 100, closed: true, won: true),
        Stage("Closed Lost", 0, closed: true),
    ])

    public var openStages: [Stage] { stages.filter { !$0.isClosed } }

    public func stage(named name: String) -> Stage? {
        stageIndex(named: name).map { stages[$0] }
    }

    public func stageIndex(named name: String) -> Int? {
        let key = name.lowercased()
        return stages.firstIndex { $0.name.lowercased() == key }
    }
}

extension Pipeline {
    /// The demo data's second pipeline, with stages named as concrete, past-tense steps (the seed
    /// articles' example) and exit criteria; large new-business deals move through it.
    public static let enterprise = Pipeline(name: "Enterprise", stages: [
        Stage("Meeting booked", 10),
        Stage("Product evaluated", 30),
        Stage("Evaluated by team", 50, criteria: [.condition(#"any activities (type = "meeting" and done = true)"#)]),
        Stage("Contract received", 80, criteria: [.filled(field: "contact")]),
        Stage("Contract signed", 100, closed: true, won: true),
        Stage("Lost", 0, closed: true),
    ])
}
