/// Which records a time rule acts on at `run rules`: those that meet its condition now and that it
/// has not acted on while they went on meeting it. The rule's `fired` list (in the catalog)
/// becomes the records meeting it now, so a record that stops meeting it and comes back is a new
/// event, and a second run acts on nothing new.
enum TimeRules {
    static func due(_ rule: BoundRule, fired: [Int64], in db: Database,
                    cancellation: Cancellation) throws(Diagnostic) -> (matching: [Int64], fresh: [Int64]) {
        let all = db[rule.entity].ids.sorted()
        let matcher = RuleMatcher(before: db, after: db, cancellation: cancellation)
        let matching = try matcher.matching(rule.condition, rule.entity, all, inBefore: false)
        let done = Set(fired)
        return (matching, matching.filter { !done.contains($0) })
    }
}
