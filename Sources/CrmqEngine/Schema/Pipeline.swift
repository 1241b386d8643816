/// One stage of a pipeline, with the probability of winning a deal that stands in it.
public struct Stage: Hashable, Sendable {
    public var name: String
    /// 0 to 100.
    public var probability: Int
    public var isClosed: Bool
    public var isWon: Bool

    public init(_ name: String, _ probability: Int, closed: Bool = false, won: Bool = false) {
        self.name = name
        self.probability = probability
        self.isClosed = closed
        self.isWon = won
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
        stages.first { $0.name.lowercased() == name.lowercased() }
    }
}
