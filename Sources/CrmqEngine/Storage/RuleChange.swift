/// A workflow rule as the catalog keeps it: its name, what sets it off, and the rest of its
/// definition as canonical source text, parsed and bound again at each use (as a segment's
/// condition is), so that it means the same to any backend.
public struct RuleDefinition: Hashable, Sendable {
    public var name: String
    public var trigger: RuleTrigger
    /// The entity it watches, as the schema spells it.
    public var entity: String
    /// Everything after the name: `on update opportunities when stage changes to "Won" do ...`.
    public var text: String
    public var enabled: Bool
    /// For a time rule: the records it has acted on that still met its condition at the last
    /// `run rules`. A record acts again only after it has stopped meeting the condition.
    public var fired: [Int64]

    public init(name: String, trigger: RuleTrigger, entity: String, text: String, enabled: Bool = true, fired: [Int64] = []) {
        self.name = name
        self.trigger = trigger
        self.entity = entity
        self.text = text
        self.enabled = enabled
        self.fired = fired
    }
}

/// One change to the rules, as the journal records it.
public enum RuleChange: Hashable, Sendable {
    case define(RuleDefinition)
    case drop(name: String)
    /// `enable rule` (true) or `disable rule` (false).
    case enable(name: String, Bool)
    /// The records a time rule has acted on and that still meet its condition, after `run rules`.
    case fired(name: String, ids: [Int64])

    /// The change in words, as a statement reports it and `sandbox diff` lists it.
    public var summary: String {
        switch self {
        case .define(let d): "defined rule \(d.name) (\(d.trigger == .daily ? "every day on" : "on \(d.trigger.rawValue)") \(d.entity))"
        case .drop(let name): "dropped rule \(name)"
        case .enable(let name, let on): "\(on ? "enabled" : "disabled") rule \(name)"
        case .fired(let name, let ids): "rule \(name) has acted on \(ids.count) \(ids.count == 1 ? "record" : "records") that meet its condition"
        }
    }

    public var name: String {
        switch self {
        case .define(let r): r.name
        case .drop(let n), .enable(let n, _), .fired(let n, _): n
        }
    }
}

extension Catalog {
    /// The rule named `name` in any case.
    public func rule(named name: String) -> RuleDefinition? {
        let key = name.lowercased()
        return rules.first { $0.name.lowercased() == key }
    }

    func problem(_ change: RuleChange, schema: Schema) -> String? {
        switch change {
        case .define(let r):
            guard SegmentDefinition.isValidName(r.name) else { return "rule name \"\(r.name)\" is not a name" }
            if rule(named: r.name) != nil { return "rule \"\(r.name)\" is defined twice" }
            guard let e = schema.entity(named: r.entity), e.name == r.entity else {
                return "rule \"\(r.name)\" is on an unknown entity \"\(r.entity)\""
            }
            return nil
        case .drop(let name), .enable(let name, _):
            return rule(named: name) == nil ? "rule \"\(name)\" is changed but not defined" : nil
        case .fired(let name, _):
            guard let r = rule(named: name) else { return "rule \"\(name)\" is changed but not defined" }
            return r.trigger == .daily ? nil : "rule \"\(name)\" is not a time rule"
        }
    }

    mutating func apply(_ change: RuleChange) {
        let key = change.name.lowercased()
        switch change {
        case .define(let r):
            rules.append(r)
        case .drop:
            rules.removeAll { $0.name.lowercased() == key }
        case .enable(_, let on):
            if let i = rules.firstIndex(where: { $0.name.lowercased() == key }) { rules[i].enabled = on }
        case .fired(_, let ids):
            if let i = rules.firstIndex(where: { $0.name.lowercased() == key }) { rules[i].fired = ids }
        }
    }
}
