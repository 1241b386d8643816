/// Binding workflow rules: `define rule` is bound in full (so a mistake is found when the rule is
/// defined, not when it first fires) and kept as text; the session binds it again each time it
/// acts, with the moment of the change as `now`.
extension Binder {
    func bindRuleStatement(_ s: RuleStatement) throws(Diagnostic) -> BoundStatement {
        switch s {
        case .define(let syntax):
            guard SegmentDefinition.isValidName(syntax.name.text) else {
                throw Diagnostic(.binder, "\"\(syntax.name.text)\" cannot name a rule", at: syntax.name.range,
                                 hint: "use letters, digits and _, starting with a letter")
            }
            if let existing = rule(named: syntax.name.text) {
                throw Diagnostic(.binder, "rule \"\(existing.name)\" is already defined", at: syntax.name.range,
                                 hint: "drop rule \(existing.name) first, or pick another name")
            }
            let bound = try bindRule(syntax, now: 0)
            return .catalog(.rule(.define(RuleDefinition(name: syntax.name.text, trigger: syntax.trigger,
                                                         entity: bound.entity, text: syntax.text))))
        case .drop(let name):
            return .catalog(.rule(.drop(name: try resolveRule(name).name)))
        case .enable(let name, let on):
            return .catalog(.rule(.enable(name: try resolveRule(name).name, on)))
        case .run(let asOf):
            guard let asOf else { return .rules(.run(asOf: nil)) }
            let day = FieldDef("day", .date, "")
            guard case .integer(let d) = try storedValue(asOf, for: day), d != nullInt else {
                throw Diagnostic(.binder, "\"run rules as of\" needs a day", at: asOf.range, hint: "as in run rules as of 2026-03-31")
            }
            return .rules(.run(asOf: d))
        case .explain(let name):
            return .rules(.explain(name: try resolveRule(name).name))
        }
    }

    /// The rule named `name`, or an error with a did-you-mean.
    func resolveRule(_ name: Name) throws(Diagnostic) -> RuleDefinition {
        let key = name.text.lowercased()
        if let r = rules.first(where: { $0.name.lowercased() == key }) { return r }
        throw Diagnostic(.binder, "unknown rule \"\(name.text)\"", at: name.range,
                         hint: Suggestions.didYouMean(name.text, in: rules.map(\.name)) ?? ".rules lists the rules")
    }

    func rule(named name: String) -> RuleDefinition? {
        let key = name.lowercased()
        return rules.first { $0.name.lowercased() == key }
    }

    /// A rule bound in full; `now` is what `now` means in its values (the moment of the change).
    public func bindRule(_ syntax: RuleSyntax, now: Int64) throws(Diagnostic) -> BoundRule {
        let entity = try resolveEntity(syntax.entity)
        let condition = try syntax.condition.map { c throws(Diagnostic) in try bindRuleCondition(c, entity, syntax.trigger) }
        var actions: [BoundRuleAction] = []
        for action in syntax.actions {
            switch action {
            case .create(let name, let list):
                let target = try resolveEntity(name)
                actions.append(.create(entity: target.name, assignments: try bindRuleAssignments(list, target, from: entity, now: now)))
            case .updateRecord(let list, let range):
                if syntax.trigger == .delete {
                    throw Diagnostic(.binder, "a rule on delete cannot update the record: it is gone", at: range,
                                     hint: "update another entity: update ENTITY set ... where ...")
                }
                actions.append(.updateRecord(assignments: try bindRuleAssignments(list, entity, from: entity, now: now)))
            case .update(let name, let list, let filter):
                let target = try resolveEntity(name)
                let assignments = try bindRuleAssignments(list, target, from: entity, now: now)
                let bound = try filter.map { c throws(Diagnostic) in try bindCondition(c, target) } ?? .all
                actions.append(.update(entity: target.name, assignments: assignments, filter: bound))
            }
        }
        return BoundRule(name: syntax.name.text, trigger: syntax.trigger, entity: entity.name, condition: condition,
                         actions: actions)
    }

    private func bindRuleCondition(_ c: Condition, _ entity: EntityDef, _ trigger: RuleTrigger) throws(Diagnostic) -> RuleCondition {
        guard Binder.testsChanges(c) else { return .filter(try bindCondition(c, entity)) }
        switch c.kind {
        case .and(let parts):
            var out: [RuleCondition] = []
            for p in parts { out.append(try bindRuleCondition(p, entity, trigger)) }
            return .and(out)
        case .or(let parts):
            var out: [RuleCondition] = []
            for p in parts { out.append(try bindRuleCondition(p, entity, trigger)) }
            return .or(out)
        case .not(let inner):
            return .not(try bindRuleCondition(inner, entity, trigger))
        case .changes(let e, let from, let to):
            guard trigger == .update else {
                let what = trigger == .daily ? "a time rule looks at records as they are" : "this rule is on \(trigger.rawValue)"
                throw Diagnostic(.binder, "\"changes\" tests an update, and \(what)", at: c.range,
                                 hint: "use it in a rule on update \(entity.name)")
            }
            guard case .path(let p) = e, p.components.count == 1 else {
                throw Diagnostic(.binder, "\"changes\" follows a field of \(entity.name) itself", at: e.range,
                                 hint: "as in stage changes to \"Won\"")
            }
            let field = try resolve(p, from: entity).field.field
            let def = entity.fields[field]
            return .changes(field: field, from: try from.map { v throws(Diagnostic) in try storedValue(v, for: def) },
                            to: try to.map { v throws(Diagnostic) in try storedValue(v, for: def) })
        default:
            return .filter(try bindCondition(c, entity))
        }
    }

    /// Whether a condition holds a `changes` test anywhere but inside a child collection's condition.
    static func testsChanges(_ c: Condition) -> Bool {
        switch c.kind {
        case .and(let parts), .or(let parts): parts.contains(where: testsChanges)
        case .not(let inner): testsChanges(inner)
        case .changes: true
        default: false
        }
    }

    /// `FIELD = value` of an action: the field is on `target`, a value that is not a literal is
    /// computed from the triggering record (of `source`).
    private func bindRuleAssignments(_ list: [Assignment], _ target: EntityDef, from source: EntityDef,
                                     now: Int64) throws(Diagnostic) -> [RuleAssignment] {
        var out: [RuleAssignment] = []
        for a in list {
            if a.field.components.count > 1 {
                throw Diagnostic(.binder, "only fields of \(target.name) itself can be set here, not \"\(a.field.text)\"",
                                 at: a.field.range, hint: "set a reference to an id: account = account")
            }
            let field = try resolve(a.field, from: target).field.field
            if field == 0 {
                throw Diagnostic(.binder, "ids cannot be set", at: a.field.range, hint: "a new record gets the next id")
            }
            if out.contains(where: { $0.field == field }) {
                throw Diagnostic(.binder, "\"\(target.fields[field].name)\" is set twice", at: a.field.range,
                                 hint: "give each field one value")
            }
            let def = target.fields[field]
            let value = Binder.replacingNow(a.value, with: now, in: source)
            if case .literal = value {
                out.append(RuleAssignment(field: field, value: .stored(try storedValue(value, for: def))))
                continue
            }
            let scalar = try bindScalar(value, source)
            try checkRuleValue(scalar, fits: def, of: target, at: a.value.range, source: source)
            out.append(RuleAssignment(field: field, value: .computed(scalar)))
        }
        return out
    }

    private func checkRuleValue(_ s: BoundScalar, fits field: FieldDef, of target: EntityDef, at range: SourceRange,
                                source: EntityDef) throws(Diagnostic) {
        let fits: Bool
        switch field.type {
        case .text, .enumeration: fits = s.type == .text
        case .int: fits = s.type == .int
        case .money, .percent: fits = s.type.isNumeric
        case .bool: fits = s.type == .bool
        case .date, .datetime: fits = s.type.isTemporal
        case .reference(let to):
            // Another reference to the same entity, or the id of a record of it.
            if case .path(let p) = s { fits = p.type == .reference(to) || (p.field.field == 0 && p.field.entity == to) } else { fits = false }
        }
        guard fits else {
            var hint = "give \(field.name) \(article(field.type)) value"
            if case .reference(let to) = field.type {
                hint = to == source.name ? "use id for the record itself, or a reference field to \(to)"
                    : "use a field of \(source.name) that refers to \(to), such as \(to == "users" ? "owner" : schema.entity(named: to)?.singular ?? to)"
            }
            throw Diagnostic(.binder, "\"\(field.name)\" of \(target.name) is \(article(field.type)) field, and this value is \(s.type.noun)",
                             at: range, hint: hint)
        }
    }

    /// `now` in an action's value is the moment of the change, unless the entity has a field of that name.
    static func replacingNow(_ e: Expr, with now: Int64, in entity: EntityDef) -> Expr {
        switch e {
        case .path(let p) where p.components.count == 1 && p.components[0].text.lowercased() == "now" && entity.field("now") == nil:
            return .literal(.datetime(now), p.range)
        case .binary(let op, let l, let r):
            return .binary(op, replacingNow(l, with: now, in: entity), replacingNow(r, with: now, in: entity))
        case .negate(let inner, let range):
            return .negate(replacingNow(inner, with: now, in: entity), range)
        case .call(let name, let args, let range):
            return .call(name, args.map { replacingNow($0, with: now, in: entity) }, range)
        default:
            return e
        }
    }
}
