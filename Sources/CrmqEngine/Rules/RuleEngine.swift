/// Fires event rules for a change, as part of it: each rule the change sets off acts on the
/// records that meet its `when`, each action sees the changes before it, and the changes the
/// actions make set off rules in turn. A rule that comes back in its own chain is a loop: the
/// whole change is refused, naming the chain. A refused action refuses the whole change.
struct RuleEngine {
    /// The enabled event rules, in the order they were defined (the order they act in).
    let rules: [BoundRule]
    let actions: RuleActions
    var cancellation: Cancellation = .none

    /// What the rules did: their changes, and one line per action that did something.
    struct Firing {
        var changes: [DataChange] = []
        var notes: [String] = []
    }

    /// Fires the rules `batch` sets off. `before` is the data before the batch, `state` the data
    /// as it leaves it, updated here with every action's changes.
    func fire(_ batch: [DataChange], before: Database, state: inout Database, chain: [String],
              into out: inout Firing) throws(Diagnostic) {
        let events = RuleEvents(batch)
        if events.isEmpty { return }
        // Every rule judges the records as the batch leaves them, before any of them acts.
        let matcher = RuleMatcher(before: before, after: state, cancellation: cancellation)
        var due: [(rule: BoundRule, ids: [Int64])] = []
        for rule in rules {
            let ids = events.ids(rule.trigger, of: rule.entity)
            if ids.isEmpty { continue }
            let matched = try matcher.matching(rule.condition, rule.entity, ids, inBefore: rule.trigger == .delete)
            if !matched.isEmpty { due.append((rule, matched)) }
        }
        for (rule, ids) in due {
            if let k = chain.firstIndex(where: { $0.lowercased() == rule.name.lowercased() }) {
                let loop = (chain[k...] + [rule.name]).joined(separator: " -> ")
                throw Diagnostic(.executor, "the rules loop: \(loop)",
                                 hint: "give one of them a \"when\" that stops the chain, or disable rule \(rule.name)")
            }
            for action in rule.actions {
                try cancellation.check()
                let outcome: RuleActions.Outcome
                do {
                    outcome = try actions.perform(action, of: rule, for: ids, source: rule.trigger == .delete ? before : state,
                                                  on: state)
                } catch {
                    if error.cancelled != nil { throw error }
                    var d = error
                    d.message = "rule \(rule.name) (on \(rule.trigger.rawValue) \(rule.entity)) cannot act: \(error.message)"
                    d.range = nil
                    throw d
                }
                if outcome.changes.isEmpty { continue }
                let actionBefore = state
                state.apply(outcome.changes)
                out.changes += outcome.changes
                out.notes.append("rule \(rule.name): \(outcome.summary)")
                try fire(outcome.changes, before: actionBefore, state: &state, chain: chain + [rule.name], into: &out)
            }
        }
    }
}
