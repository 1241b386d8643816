/// Resolves a parsed statement against the schema: entities, fields and dot paths, enum values,
/// and literal types. Everything a user can get wrong about names and types is caught here,
/// before any data is touched.
public struct Binder {
    public let schema: Schema
    /// The day that `today`, `this month`, `within last 30 days` are relative to.
    public let today: Int64

    public init(schema: Schema, today: Int64) {
        self.schema = schema
        self.today = today
    }

    public func bind(_ statement: ParsedStatement) throws(Diagnostic) -> BoundStatement {
        switch statement.kind {
        case .find(let q): return .find(try bindFind(q))
        case .aggregate(let q): return .aggregate(try bindAggregate(q))
        case .shellCommand(let name, let args): return .shellCommand(name: name, arguments: args)
        }
    }

    // MARK: - Statements

    private func bindFind(_ q: FindQuery) throws(Diagnostic) -> BoundFind {
        let entity = try resolveEntity(q.entity)
        let filter = try q.filter.map { c throws(Diagnostic) in try bindCondition(c, entity) } ?? .all
        var columns: [BoundColumn] = []
        switch q.show {
        case nil:
            for text in entity.defaultColumns {
                let p = try resolve(syntheticPath(text), from: entity)
                columns.append(BoundColumn(path: p, header: p.text))
            }
        case .all:
            for f in entity.fields {
                let p = try resolve(syntheticPath(f.name), from: entity)
                columns.append(BoundColumn(path: p, header: p.text))
            }
        case .columns(let paths):
            for path in paths {
                let p = try resolve(path, from: entity)
                columns.append(BoundColumn(path: p, header: p.text))
            }
        }
        var order: [BoundOrderKey] = []
        for k in q.order {
            order.append(BoundOrderKey(path: try resolve(k.path, from: entity), descending: k.descending))
        }
        return BoundFind(entity: entity.name, filter: filter, columns: columns, order: order,
                         limit: q.limit, offset: q.offset ?? 0)
    }

    private func bindAggregate(_ q: AggregateQuery) throws(Diagnostic) -> BoundAggregate {
        let entity = try resolveEntity(q.entity)
        var field: BoundPath?
        if let f = q.field {
            let p = try resolve(f, from: entity)
            switch q.function {
            case .sum, .avg:
                guard p.type.isNumeric else {
                    throw Diagnostic(.binder, "cannot \(q.function.rawValue) \"\(p.text)\": it is \(article(p.type)) field",
                                     at: f.range, hint: "\(q.function.rawValue) works on int, money and percent fields")
                }
            case .min, .max:
                if p.type == .bool {
                    throw Diagnostic(.binder, "cannot take the \(q.function.rawValue) of \"\(p.text)\": it is a bool field",
                                     at: f.range, hint: "count it by \(p.text) instead")
                }
            case .count:
                break
            }
            field = p
        }
        let filter = try q.filter.map { c throws(Diagnostic) in try bindCondition(c, entity) } ?? .all
        var groups: [BoundPath] = []
        for g in q.groupBy { groups.append(try resolve(g, from: entity)) }
        let valueHeader = field.map { "\(q.function.rawValue)_\($0.text.replacingOccurrences(".", "_"))" }
            ?? q.function.rawValue
        var order: [AggregateOrderKey] = []
        for k in q.order {
            let text = k.path.text.lowercased()
            if k.path.components.count == 1, text == q.function.rawValue || text == valueHeader {
                order.append(.value(descending: k.descending))
                continue
            }
            let p = try resolve(k.path, from: entity)
            guard let i = groups.firstIndex(where: { $0.text == p.text }) else {
                throw Diagnostic(.binder, "cannot order by \"\(p.text)\": it is not one of the \"by\" fields",
                                 at: k.path.range,
                                 hint: "order by \(([valueHeader] + groups.map(\.text)).joined(separator: ", "))")
            }
            order.append(.group(i, descending: k.descending))
        }
        return BoundAggregate(entity: entity.name, function: q.function, field: field, filter: filter,
                              groupBy: groups, order: order, limit: q.limit, offset: q.offset ?? 0,
                              valueHeader: valueHeader)
    }

    // MARK: - Names

    func resolveEntity(_ name: Name) throws(Diagnostic) -> EntityDef {
        if let e = schema.entity(named: name.text) { return e }
        throw Diagnostic(.binder, "unknown entity \"\(name.text)\"", at: name.range, hint: schema.entityHint(for: name.text))
    }

    func resolve(_ path: Path, from root: EntityDef) throws(Diagnostic) -> BoundPath {
        var entity = root
        var hops: [FieldRef] = []
        var texts: [String] = []
        for (i, component) in path.components.enumerated() {
            guard let fi = entity.fieldIndex(component.text) else {
                let names = entity.fields.map(\.name)
                throw Diagnostic(.binder, "unknown field \"\(component.text)\" on \(entity.name)", at: component.range,
                                 hint: Suggestions.didYouMean(component.text, in: names)
                                     ?? "fields of \(entity.name): \(names.joined(separator: ", "))")
            }
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

    private func syntheticPath(_ text: String) -> Path {
        Path(components: text.split(separator: ".").map { Name(text: String($0), range: SourceRange(0, 0)) })
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
