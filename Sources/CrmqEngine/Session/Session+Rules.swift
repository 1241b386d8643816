/// Workflow rules in a session: event rules fire inside `commit` (so every path that changes
/// records - create, update, upsert, delete, move, convert, import, `run rules` - fires them, and
/// their actions are journaled with the change as one unit), time rules fire on `run rules`, and
/// `explain rule` works out what a rule would do without doing it.
///
/// Actions run as the session's user (they stamp `changed_by` with it); the moment is the change's.
extension Session {
    /// The changes the event rules make for `changes`, with a line for each action; nothing when no
    /// enabled event rule watches an entity the changes touch.
    mutating func ruleActions(for changes: [DataChange], summary: String,
                              cancellation: Cancellation) throws(Diagnostic) -> RuleEngine.Firing {
        let defined = database.catalog.rules.filter { $0.enabled && $0.trigger.isEvent }
        let watched = Set(defined.map(\.entity))
        guard !defined.isEmpty, changes.contains(where: { $0.entity.map(watched.contains) ?? false }) else {
            return RuleEngine.Firing()
        }
        // Actions reach past the statement's entities: every collection is read.
        try read(nil)
        let now = changeTime
        let engine = RuleEngine(rules: try boundRules(defined, binder: binder, now: now),
                                actions: try ruleActions(now: now, cancellation: cancellation), cancellation: cancellation)
        var state = database.droppingBuiltIndexes()
        state.apply(changes)
        var firing = RuleEngine.Firing()
        do {
            try engine.fire(changes, before: database, state: &state, chain: [], into: &firing)
        } catch {
            if error.cancelled != nil { throw error }
            var d = error
            d.hint = (d.hint.map { $0 + "; " } ?? "") + "so the change (\(summary)) was refused too; nothing was changed"
            throw d
        }
        return firing
    }

    /// Each rule bound again from its text; a rule that no longer fits the data says so.
    func boundRules(_ defined: [RuleDefinition], binder: Binder, now: Int64) throws(Diagnostic) -> [BoundRule] {
        var out: [BoundRule] = []
        for r in defined {
            do {
                out.append(try binder.bindRule(Parser.storedRule(r.text, name: r.name), now: now))
            } catch {
                throw Diagnostic(.executor, "rule \(r.name) no longer fits the data: \(error.message)",
                                 hint: "drop rule \(r.name), or disable rule \(r.name) and define it again")
            }
        }
        return out
    }

    func ruleActions(now: Int64, cancellation: Cancellation) throws(Diagnostic) -> RuleActions {
        RuleActions(now: now, user: user, dealRules: try exitRules(for: Database.dealEntity), cancellation: cancellation)
    }

    /// A binder whose `today` is `day` (`run rules as of DATE`).
    func binder(today day: Int64) -> Binder {
        var b = Binder(schema: database.schema, today: day)
        b.fiscalYearStartMonth = database.catalog.fiscalYearStartMonth
        b.segments = database.catalog.segments
        b.rules = database.catalog.rules
        return b
    }

    mutating func executeRuleCommand(_ command: BoundRuleCommand, on console: inout some Console,
                                     cancellation: Cancellation) throws(Diagnostic) {
        try read(nil)
        switch command {
        case .run(let day):
            try runRules(asOf: day, on: &console, cancellation: cancellation)
        case .explain(let name):
            try explainRule(name, on: &console, cancellation: cancellation)
        }
    }

    /// `run rules [as of DATE]`: each enabled time rule acts on the records that meet its
    /// condition and that it has not acted on since they last came to meet it.
    private mutating func runRules(asOf day: Int64?, on console: inout some Console,
                                   cancellation: Cancellation) throws(Diagnostic) {
        let today = day ?? settings.today
        // As of a day, the moment is that day's noon, as a pinned `today` is.
        let now = day.map { $0 * 86_400 + 43_200 } ?? changeTime
        let defined = database.catalog.rules.filter { $0.enabled && $0.trigger == .daily }
        let bound = try boundRules(defined, binder: binder(today: today), now: now)
        let actions = try ruleActions(now: now, cancellation: cancellation)
        var state = database
        var changes: [DataChange] = []
        var lines = ["ran \(defined.count) time \(defined.count == 1 ? "rule" : "rules") as of \(Day.format(today))"]
        for (def, rule) in zip(defined, bound) {
            let (matching, fresh) = try TimeRules.due(rule, fired: def.fired, in: state, cancellation: cancellation)
            for action in rule.actions where !fresh.isEmpty {
                let outcome: RuleActions.Outcome
                do {
                    outcome = try actions.perform(action, of: rule, for: fresh, source: state, on: state)
                } catch {
                    if error.cancelled != nil { throw error }
                    var d = error
                    d.message = "rule \(rule.name) (every day on \(rule.entity)) cannot act: \(error.message)"
                    d.range = nil
                    d.hint = (d.hint.map { $0 + "; " } ?? "") + "no rule acted; nothing was changed"
                    throw d
                }
                state.apply(outcome.changes)
                changes += outcome.changes
                if !outcome.changes.isEmpty { lines.append("rule \(rule.name): \(outcome.summary)") }
            }
            if fresh.isEmpty {
                lines.append("rule \(rule.name): " + (matching.isEmpty ? "no \(rule.entity) meet its condition"
                    : "nothing new; it has acted on the \(matching.count) \(rule.entity) that meet its condition"))
            }
            if matching != def.fired { changes.append(.catalog(.rule(.fired(name: def.name, ids: matching)))) }
        }
        try commit(changes, summary: lines.joined(separator: "\n"), on: &console, cancellation: cancellation)
    }

    /// `explain rule NAME`: the rule, the records it would act on now, and the changes, made on a
    /// copy that is thrown away.
    private func explainRule(_ name: String, on console: inout some Console, cancellation: Cancellation) throws(Diagnostic) {
        guard let def = database.catalog.rule(named: name) else { return }
        let rule = try boundRules([def], binder: binder, now: changeTime)[0]
        let entity = database[rule.entity].entity
        console.write("rule \(def.name)\(def.enabled ? "" : " (disabled)"): \(def.text)\n")
        let ids: [Int64]
        if rule.trigger == .daily {
            let (matching, fresh) = try TimeRules.due(rule, fired: def.fired, in: database, cancellation: cancellation)
            console.write("\(count(matching.count, entity)) meet its condition now; \(matching.count - fresh.count) already acted on\n")
            ids = fresh
            if !ids.isEmpty { console.write("run rules would act on \(count(ids.count, entity)): \(list(ids))\n") }
        } else {
            let all = database[rule.entity].ids.sorted()
            let matcher = RuleMatcher(before: database, after: database, cancellation: cancellation, assumeChanges: true)
            ids = try matcher.matching(rule.condition, rule.entity, all, inBefore: false)
            let could = rule.condition.map(RuleExplainer.testsChanges) == true ? " (or could, by the change its changes tests ask for)" : ""
            console.write("\(count(ids.count, entity)) of \(all.count) meet its condition now\(could)\n")
            if !ids.isEmpty { console.write("on \(rule.trigger.rawValue) of \(ids.count == 1 ? "it" : "any of them"): \(list(ids))\n") }
        }
        if !ids.isEmpty {
            // An event rule acts on one record at a time: the first shows what it would do.
            let acting = rule.trigger == .daily ? ids : [ids[0]]
            if rule.trigger.isEvent { console.write("for \(entity.singular) \(ids[0]):\n") }
            var state = database
            let actions = try ruleActions(now: changeTime, cancellation: cancellation)
            for action in rule.actions {
                let outcome = try actions.perform(action, of: rule, for: acting, source: state, on: state)
                console.write("it would: \(outcome.summary)\n")
                for line in RuleExplainer.describe(outcome.changes, in: state, limit: 10) { console.write("  \(line)\n") }
                state.apply(outcome.changes)
            }
        }
        console.write("nothing was changed\n")
    }

    private func count(_ n: Int, _ e: EntityDef) -> String { "\(n) \(n == 1 ? e.singular : e.name)" }

    private func list(_ ids: [Int64]) -> String {
        ids.prefix(20).map(String.init).joined(separator: ", ") + (ids.count > 20 ? ", ... (\(ids.count - 20) more)" : "")
    }
}
