/// Resolves a parsed statement against the schema: entities, fields and dot paths, enum values,
/// and literal types. Everything a user can get wrong about names and types is caught here,
/// before any data is touched.
public struct Binder {
    public let schema: Schema
    /// The day that `today`, `this month`, `within last 30 days` are relative to.
    public let today: Int64
    /// The month (1-12) fiscal years start in: `this fiscal quarter`, `fiscal_year(d)`.
    public var fiscalYearStartMonth: Int = 1
    /// The segments defined (`define segment`), usable where their entity is (Binder+Segments.swift).
    public var segments: [SegmentDefinition] = []
    /// The workflow rules defined (`define rule`): a field they name cannot be dropped or renamed.
    public var rules: [RuleDefinition] = []
    /// The segments being expanded, innermost last: a stored definition that refers to itself is refused.
    var expandingSegments: [String] = []
    /// Set while an exit criterion is bound: `blocked` there would need the criteria themselves.
    var bindingCriterion = false
    /// The session's user, for `me` (Permissions/Binder+Permissions.swift); nil with none.
    public var me: MeContext?
    /// The fields the session's role may not read; nil for an admin.
    public var hidden: HiddenFields?
    /// The grants in force, for `grant` and `revoke` to check against.
    public var grants: Grants?

    public init(schema: Schema, today: Int64) {
        self.schema = schema
        self.today = today
    }

    public func bind(_ statement: ParsedStatement) throws(Diagnostic) -> BoundStatement {
        switch statement.kind {
        case .find(let q): return .find(try bindFind(q))
        case .aggregate(let q): return .aggregate(try bindAggregate(q))
        case .explain(let inner, let analyze):
            switch inner {
            case .find(let q): return .explain(BoundExplain(query: .find(try bindFind(q)), analyze: analyze))
            case .aggregate(let q): return .explain(BoundExplain(query: .aggregate(try bindAggregate(q)), analyze: analyze))
            case .view(let v): return .view(try bindView(v, explain: analyze))
            case .report(let r): return .explainReport(try bindReport(r), analyze: analyze)
            default: throw Diagnostic(.binder, "only queries can be explained", at: statement.range)
            }
        case .createIndex(let entityName, let fieldName):
            let (entity, field) = try resolveField(entityName, fieldName)
            return .createIndex(entity: entity.name, field: field)
        case .dropIndex(let entityName, let fieldName):
            let (entity, field) = try resolveField(entityName, fieldName)
            return .dropIndex(entity: entity.name, field: field)
        case .shellCommand(let name, let args): return .shellCommand(name: name, arguments: args)
        case .change(let change): return .change(try bindChange(change))
        case .transaction(let control): return .transaction(control)
        case .save(let path): return .save(path: path)
        case .sandbox(let control): return .sandbox(control)
        case .catalog(let c): return .catalog(try bindCatalog(c))
        case .convert(let c): return .convert(try bindConversion(c, range: statement.range))
        case .view(let v): return .view(try bindView(v, explain: nil))
        case .report(let r): return .report(try bindReport(r))
        case .export(let e): return .export(try bindExport(e))
        case .rule(let r): return try bindRuleStatement(r)
        case .importFile(let i): return .importFile(try bindImport(i))
        }
    }

    // MARK: - Statements

    func bindFind(_ q: FindQuery) throws(Diagnostic) -> BoundFind {
        let (entity, segment) = try resolveSource(q.entity)
        let filter = Binder.narrowed(segment, try q.filter.map { c throws(Diagnostic) in try bindCondition(c, entity) } ?? .all)
        var columns: [BoundColumn] = []
        switch q.show {
        case nil:
            for text in entity.defaultColumns where isShown(text, from: entity) {
                let p = try resolve(syntheticPath(text), from: entity)
                columns.append(BoundColumn(path: p, header: p.text))
            }
        case .all:
            for f in entity.fields where isShown(f.name, from: entity) {
                let p = try resolve(syntheticPath(f.name), from: entity)
                columns.append(BoundColumn(path: p, header: p.text))
            }
        case .columns(let items):
            for item in items {
                let value = try bindScalar(item.expr, entity)
                columns.append(BoundColumn(value: value, header: item.alias?.text ?? value.plainPath?.text ?? item.expr.text))
            }
        }
        var order: [BoundOrderKey] = []
        var ordered: Set<String> = []
        for k in q.order {
            let (value, text) = try orderValue(k.expr, columns: columns, entity)
            // A repeated key decides nothing (the first already ordered by it); a generated
            // `order by` may repeat one many times, and each key costs a pass over the rows.
            if ordered.insert(text).inserted {
                order.append(BoundOrderKey(value: value, descending: k.descending, text: text))
            }
        }
        return BoundFind(entity: entity.name, filter: filter, columns: columns, order: order,
                         limit: q.limit, offset: q.offset ?? 0, asOf: try cutoff(q.asOf))
    }

    func bindAggregate(_ q: AggregateQuery) throws(Diagnostic) -> BoundAggregate {
        let (entity, segment) = try resolveSource(q.entity)
        var calls: [BoundAggregateCall] = []
        for call in q.calls { calls.append(try bindCall(call, entity)) }
        let filter = Binder.narrowed(segment, try q.filter.map { c throws(Diagnostic) in try bindCondition(c, entity) } ?? .all)
        var groups: [BoundGroupKey] = []
        var groupIndex: [String: Int] = [:]
        for item in q.groupBy {
            let value = try bindScalar(item.expr, entity)
            let header = item.alias?.text ?? value.plainPath?.text ?? item.expr.text
            guard groupIndex[header.lowercased()] == nil else {
                throw Diagnostic(.binder, "\"\(header)\" is given twice after \"by\"", at: item.range,
                                 hint: item.alias == nil ? "group by each value once" : "give each key its own name")
            }
            groupIndex[header.lowercased()] = groups.count
            // An expression is also found by its text when an alias names it: `order by month(close_date)`.
            if item.alias != nil, groupIndex[item.expr.text.lowercased()] == nil {
                groupIndex[item.expr.text.lowercased()] = groups.count
            }
            groups.append(BoundGroupKey(value: value, header: header))
        }
        if q.withTotals && groups.isEmpty {
            throw Diagnostic(.binder, "\"with totals\" needs \"by\": totals add up groups", at: q.entity.range,
                             hint: "as in sum value of opportunities by owner.team, type with totals")
        }
        // `order by count`, `order by sum`, or a result column's name such as `sum_value`: the first call so named.
        var callIndex: [String: Int] = [:]
        for (i, call) in calls.enumerated() {
            // `count` names a count of rows, not a `count distinct` (whose name is its header).
            if call.isDistinct == false, callIndex[call.function.rawValue] == nil { callIndex[call.function.rawValue] = i }
            if callIndex[call.header.lowercased()] == nil { callIndex[call.header.lowercased()] = i }
        }
        let headers = (calls.map(\.header) + groups.map(\.header)).joined(separator: ", ")
        var order: [AggregateOrderKey] = []
        var orderedValues: Set<Int> = [], orderedGroups: Set<Int> = []
        for k in q.order {
            let text = k.expr.text.lowercased()
            if let i = callIndex[text] {
                // A repeated key decides nothing: keep the first.
                if orderedValues.insert(i).inserted { order.append(.value(i, descending: k.descending)) }
                continue
            }
            if let path = k.expr.asPath, path.components.count == 1, AggregateFunction(rawValue: text) != nil {
                throw Diagnostic(.binder, "no result column is named \"\(text)\"", at: path.range, hint: "order by \(headers)")
            }
            var index = groupIndex[text]
            if index == nil, let path = k.expr.asPath, let p = try? resolve(path, from: entity) {
                index = groupIndex[p.text.lowercased()]
            }
            guard let i = index else {
                if let path = k.expr.asPath, path.components.count == 1, Suggestions.didYouMean(path.text, in: calls.map(\.header) + groups.map(\.header)) != nil,
                   entity.fieldIndex(path.text) == nil {
                    throw Diagnostic(.binder, "no result column is named \"\(path.text)\"", at: path.range,
                                     hint: Suggestions.didYouMean(path.text, in: calls.map(\.header) + groups.map(\.header)))
                }
                _ = try bindScalar(k.expr, entity)
                throw Diagnostic(.binder, "cannot order by \"\(k.expr.text)\": it is not one of the \"by\" keys",
                                 at: k.expr.range, hint: "order by \(headers)")
            }
            if orderedGroups.insert(i).inserted { order.append(.group(i, descending: k.descending)) }
        }
        let having = try q.having.map { c throws(Diagnostic) in try bindHaving(c, calls: calls, groups: groups, entity) } ?? .all
        return BoundAggregate(entity: entity.name, calls: calls, filter: filter, groupBy: groups, order: order,
                              limit: q.limit, offset: q.offset ?? 0, having: having, withTotals: q.withTotals,
                              asOf: try cutoff(q.asOf))
    }

    private func bindCall(_ call: AggregateCall, _ entity: EntityDef) throws(Diagnostic) -> BoundAggregateCall {
        let f = call.function
        if call.distinct, case .path(let path) = call.argument {
            let p = try resolve(path, from: entity)
            return BoundAggregateCall(function: .count, input: .distinct(p),
                                      header: "count_distinct_\(p.text.replacingOccurrences(".", "_"))", resultType: .int)
        }
        guard let argument = call.argument else {
            return BoundAggregateCall(function: .count, input: .rows, header: "count", resultType: .int)
        }
        if case .path(let path) = argument {
            let p = try resolve(path, from: entity)
            let header = "\(f.rawValue)_\(p.text.replacingOccurrences(".", "_"))"
            if p.type.isNumeric {
                return BoundAggregateCall(function: f, input: .number(.path(p)), header: header,
                                          resultType: f == .avg && p.type == .int ? .decimal : ResultType(p.type))
            }
            switch f {
            case .sum, .avg:
                throw Diagnostic(.binder, "cannot \(f.rawValue) \"\(p.text)\": it is \(article(p.type)) field",
                                 at: path.range, hint: "\(f.rawValue) works on int, money and percent fields")
            case .min, .max:
                if p.type == .bool {
                    throw Diagnostic(.binder, "cannot take the \(f.rawValue) of \"\(p.text)\": it is a bool field",
                                     at: path.range, hint: "count it by \(p.text) instead")
                }
                return BoundAggregateCall(function: f, input: .ordinal(p), header: header, resultType: ResultType(p.type))
            case .count:
                preconditionFailure("count takes no argument")
            }
        }
        let value = try bindScalar(argument, entity)
        let type = value.type
        guard type.isNumeric else {
            throw Diagnostic(.binder, "cannot \(f.rawValue) \(argument.text): it is \(type.noun)", at: argument.range,
                             hint: "\(f.rawValue) of a computed value works on numbers")
        }
        return BoundAggregateCall(function: f, input: .number(value), header: "\(f.rawValue)(\(argument.text))",
                                  resultType: f == .avg && type == .int ? .decimal : type)
    }

    /// An `order by` key of a `find`: a column's alias or header, else a value on the entity.
    private func orderValue(_ e: Expr, columns: [BoundColumn], _ entity: EntityDef) throws(Diagnostic) -> (BoundScalar, String) {
        let text = e.text
        // An alias, or the header of a column shown: `order by weighted`, `order by value * 2`.
        if let c = columns.first(where: { $0.header.lowercased() == text.lowercased() }) {
            return (c.value, c.header)
        }
        let value = try bindScalar(e, entity)
        return (value, value.plainPath?.text ?? text)
    }

    // MARK: - Names

    /// `ENTITY.FIELD` of an index statement; `id` is always indexed.
    func resolveField(_ entityName: Name, _ fieldName: Name) throws(Diagnostic) -> (EntityDef, Int) {
        let entity = try resolveEntity(entityName)
        let path = try resolve(Path(components: [fieldName]), from: entity)
        if path.field.field == 0 {
            throw Diagnostic(.binder, "\"id\" needs no index: records are always found by id directly", at: fieldName.range)
        }
        return (entity, path.field.field)
    }

    func resolveEntity(_ name: Name) throws(Diagnostic) -> EntityDef {
        if let e = schema.entity(named: name.text) { return e }
        if let s = segment(named: name.text) { throw segmentNotEntity(s, at: name.range) }
        throw Diagnostic(.binder, "unknown entity \"\(name.text)\"", at: name.range, hint: schema.entityHint(for: name.text))
    }

    /// The most references a path may follow. The standard schema's longest chain is a few steps,
    /// but a data file's schema may refer to itself (`parent.parent...`), and the planner and
    /// executor follow a path one recursion per step.
    static let maximumPathSteps = 100

    func resolve(_ path: Path, from root: EntityDef) throws(Diagnostic) -> BoundPath {
        var entity = root
        var hops: [FieldRef] = []
        var texts: [String] = []
        for (i, component) in path.components.enumerated() {
            if i > Binder.maximumPathSteps {
                throw Diagnostic(.binder, "path too long (limit \(Binder.maximumPathSteps) steps)", at: component.range,
                                 hint: "each \".\" follows a reference to another record")
            }
            guard let fi = entity.fieldIndex(component.text) else {
                let names = entity.fields.map(\.name)
                throw Diagnostic(.binder, "unknown field \"\(component.text)\" on \(entity.name)", at: component.range,
                                 hint: Suggestions.didYouMean(component.text, in: names)
                                     ?? "fields of \(entity.name): \(names.joined(separator: ", "))")
            }
            try checkReadable(entity, fi, at: component.range)
            let field = entity.fields[fi]
            texts.append(field.name)
            let ref = FieldRef(entity: entity.name, field: fi)
            if i == path.components.count - 1 {
                return BoundPath(root: root.name, hops: hops, field: ref, type: field.type,
                                 text: texts.joined(separator: "."))
            }
            guard case .reference(let target) = field.type, let next = schema.entity(named: target) else {
                throw Diagnostic(.binder, "\"\(field.name)\" is \(article(field.type)) field, not a reference",
                                 at: path.components[i + 1].range.union(component.range),
                                 hint: "only references (such as account or owner) can be followed with \".\"")
            }
            hops.append(ref)
            entity = next
        }
        preconditionFailure("a path has at least one component")
    }

    func syntheticPath(_ text: String) -> Path {
        // A plain field name (every column of `show *`) needs no split.
        if !text.utf8.contains(UInt8(ascii: ".")) { return Path(components: [Name(text: text, range: SourceRange(0, 0))]) }
        return Path(components: text.split(separator: ".").map { Name(text: String($0), range: SourceRange(0, 0)) })
    }

    func article(_ t: FieldType) -> String {
        let n: String = switch t {
        case .enumeration: "an enum"
        case .reference: "a reference"
        case .int: "an int"
        default: "a \(t.name)"
        }
        return n
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
