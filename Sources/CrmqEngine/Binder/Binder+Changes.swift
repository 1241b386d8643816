/// Binding `create`, `update`, `delete` and `upsert`: every field named must exist on the entity and
/// every value must fit its field (its type, an enum's values, a percent's range), before any
/// record is touched. A `where` is bound exactly as a query's is.
extension Binder {
    func bindChange(_ change: ChangeStatement) throws(Diagnostic) -> BoundChange {
        switch change {
        case .create(let name, let list):
            let entity = try resolveEntity(name)
            return .create(entity: entity.name, assignments: try bindAssignments(list, entity, creating: true))
        case .update(let name, let list, let filter):
            let entity = try resolveEntity(name)
            let assignments = try bindAssignments(list, entity, creating: false)
            let bound = try filter.map { c throws(Diagnostic) in try bindCondition(c, entity) } ?? .all
            return .update(entity: entity.name, assignments: assignments, filter: bound)
        case .delete(let name, let filter):
            let entity = try resolveEntity(name)
            let bound = try filter.map { c throws(Diagnostic) in try bindCondition(c, entity) } ?? .all
            return .delete(entity: entity.name, filter: bound)
        case .upsert(let name, let keys, let list):
            let entity = try resolveEntity(name)
            let assignments = try bindAssignments(list, entity, creating: true)
            // The key is matched as `key = value and ...` would be in a query.
            var tests: [Condition] = []
            for key in keys {
                let field = try resolve(Path(components: [key]), from: entity).field.field
                guard let given = list.first(where: { entity.fieldIndex($0.field.text) == field }) else {
                    throw Diagnostic(.binder, "the key \"\(key.text)\" is not given a value", at: key.range,
                                     hint: "add \(key.text) = ... after \"set\"")
                }
                if case .literal(.null, let range) = given.value {
                    throw Diagnostic(.binder, "a key cannot be null", at: range, hint: "give \(key.text) a value")
                }
                let test = Condition(kind: .compare(.path(Path(components: [key])), .equal, given.value),
                                     range: given.range)
                tests.append(test)
            }
            let keyRange = keys.first!.range.union(keys.last!.range)
            let condition = tests.count == 1 ? tests[0] : Condition(kind: .and(tests), range: keyRange)
            return .upsert(entity: entity.name, keyFilter: try bindCondition(condition, entity), keyRange: keyRange,
                           assignments: assignments)
        case .move(let name, let id, let stage):
            return try bindMove(name, id, stage)
        }
    }

    func bindAssignments(_ list: [Assignment], _ entity: EntityDef,
                                 creating: Bool) throws(Diagnostic) -> [BoundAssignment] {
        var out: [BoundAssignment] = []
        for a in list {
            if a.field.components.count > 1 {
                let head = try resolve(Path(components: [a.field.components[0]]), from: entity)
                var hint = "\"\(head.text)\" is not a reference"
                if case .reference = head.type { hint = "set the reference to another record's id: \(head.text) = ID" }
                throw Diagnostic(.binder, "only fields of \(entity.name) itself can be set here, not \"\(a.field.text)\"",
                                 at: a.field.range, hint: hint)
            }
            let field = try resolve(a.field, from: entity).field.field
            if field == 0 {
                throw Diagnostic(.binder, "ids cannot be set", at: a.field.range,
                                 hint: creating ? "leave it out: a new record gets the next id" : "ids never change")
            }
            if out.contains(where: { $0.field == field }) {
                throw Diagnostic(.binder, "\"\(entity.fields[field].name)\" is set twice", at: a.field.range,
                                 hint: "give each field one value")
            }
            // `owner = me`: the session's user (Permissions/Binder+Permissions.swift).
            let value = try storedValue(isMe(a.value, entity) ? try meLiteral(a.value) : a.value, for: entity.fields[field])
            out.append(BoundAssignment(field: field, value: value, range: a.value.range))
        }
        return out
    }

    /// The stored form of a literal given for `field`, or why it does not fit.
    func storedValue(_ e: Expr, for field: FieldDef) throws(Diagnostic) -> StoredValue {
        guard case .literal(let lit, let range) = e else {
            throw Diagnostic(.binder, "expected a value for \"\(field.name)\", not a field", at: e.range,
                             hint: "setting a field from another field is not supported yet")
        }
        if lit == .null { return .null }
        func refuse(_ hint: String) -> Diagnostic {
            Diagnostic(.binder, "\"\(field.name)\" is \(article(field.type)) field; \(lit.phrase) does not fit it",
                       at: range, hint: hint)
        }
        switch field.type {
        case .text:
            guard case .string(let s) = lit else { throw refuse("put text in quotes") }
            return .text(s)
        case .int:
            guard case .integer(let n) = lit else { throw refuse("use a whole number") }
            return .integer(n)
        case .money, .percent:
            let scaled: Int64
            switch lit {
            case .integer(let n):
                let (v, overflow) = n.multipliedReportingOverflow(by: 100)
                guard !overflow else { throw refuse("the number is too large") }
                scaled = v
            case .decimal(let digits, let places) where places <= 2:
                let (v, overflow) = digits.multipliedReportingOverflow(by: places == 1 ? 10 : 1)
                guard !overflow else { throw refuse("the number is too large") }
                scaled = v
            case .decimal:
                throw refuse("\(field.type.name) has two decimal places")
            default:
                throw refuse("use a number, such as 12500 or 12500.50")
            }
            if field.type == .percent, !(0...10_000).contains(scaled) {
                throw Diagnostic(.binder, "\"\(field.name)\" is a percent, from 0 to 100", at: range,
                                 hint: "write 60 for 60 %")
            }
            return .integer(scaled)
        case .bool:
            guard case .bool(let b) = lit else { throw refuse("use true or false") }
            return .integer(b ? 1 : 0)
        case .date:
            switch lit {
            case .date(let d): return .integer(d)
            case .relativeDay(let offset): return .integer(today + Int64(offset))
            case .string(let s):
                guard let d = Day.parse(s) else { throw refuse("write dates as YYYY-MM-DD") }
                return .integer(d)
            default: throw refuse("use a date such as 2026-03-31, or today")
            }
        case .datetime:
            switch lit {
            case .datetime(let s): return .integer(s)
            // A day alone stands for its first moment.
            case .date(let d): return .integer(d * 86_400)
            case .relativeDay(let offset): return .integer((today + Int64(offset)) * 86_400)
            case .string(let s):
                guard let t = Day.parseDateTime(s) ?? Day.parse(s).map({ $0 * 86_400 }) else {
                    throw refuse("write it as YYYY-MM-DDTHH:MM")
                }
                return .integer(t)
            default: throw refuse("use a time such as 2026-03-31T14:00, or a date")
            }
        case .enumeration(let name):
            guard case .string(let s) = lit else { throw refuse("use one of its values in quotes") }
            let values = schema.enumValues(name)
            guard let code = values.firstIndex(where: { $0.lowercased() == s.lowercased() }) else {
                throw Diagnostic(.binder, "\"\(s)\" is not a value of \(field.name)", at: range,
                                 hint: Suggestions.didYouMean(s, in: values)
                                     ?? "values: \(values.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            return .integer(Int64(code))
        case .reference(let target):
            guard case .integer(let id) = lit else {
                throw refuse("use the id of a record of \(target), e.g. find \(target) where ... show id")
            }
            guard id >= 1 else {
                throw Diagnostic(.binder, "\(id) is not an id: ids start at 1", at: range, hint: "use the id of a record of \(target)")
            }
            return .integer(id)
        }
    }
}
