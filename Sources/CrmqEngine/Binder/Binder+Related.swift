/// Binding related records: child collections (`opportunities` of an account, `account.opportunities`
/// of a contact), `any`/`no`/`all` over them, and aggregates such as `count(contacts)` or
/// `sum(opportunities.value where stage = "Closed Won")`.
///
/// A child collection of an entity E is every entity with a reference field to E, named by that
/// entity's name; it is derived from the schema, so a custom entity's references make collections too.
extension Binder {
    /// One child collection of an entity: the child entity and its references to the parent.
    struct ChildCollectionDef {
        var child: EntityDef
        /// The child's fields that refer to the parent (more than one needs `via`).
        var references: [Int]
    }

    /// The child collections of `entity`, in schema order.
    func childCollections(of entity: EntityDef) -> [ChildCollectionDef] {
        schema.entities.compactMap { e in
            let refs = e.fields.indices.filter { i in
                if case .reference(let t) = e.fields[i].type, t == entity.name { return true }
                return false
            }
            return refs.isEmpty ? nil : ChildCollectionDef(child: e, references: refs)
        }
    }

    /// A collection as resolved: where it is, and the child's path after it (`value` in
    /// `opportunities.value`), still unresolved.
    struct ResolvedChild {
        var collection: BoundChildCollection
        var child: EntityDef
        var rest: [Name]
        /// When the collection is named by a segment of the child entity (`any big_deals (...)`),
        /// the segment's condition; else everything.
        var segment: BoundFilter = .all
    }

    /// Resolves `ref` from the statement's entity: reference fields first, then the collection, then
    /// (for aggregates) the rest, a path in the child.
    func resolveChild(_ ref: ChildRef, from root: EntityDef, usage: String) throws(Diagnostic) -> ResolvedChild {
        var entity = root
        var hops: [FieldRef] = []
        var texts: [String] = []
        let components = ref.path.components
        for (i, component) in components.enumerated() {
            if i > Binder.maximumPathSteps {
                throw Diagnostic(.binder, "path too long (limit \(Binder.maximumPathSteps) steps)", at: component.range,
                                 hint: "each \".\" follows a reference to another record")
            }
            let collections = childCollections(of: entity)
            let name = component.text.lowercased()
            if let c = collections.first(where: { $0.child.name == name }) {
                let reference = try chooseReference(c, parent: entity, ref: ref, at: component)
                texts.append(c.child.name)
                var text = texts.joined(separator: ".")
                if let via = ref.via { text += " via \(via.text.lowercased())" }
                let bound = BoundChildCollection(root: root.name, hops: hops, parent: entity.name, child: c.child.name,
                                                 reference: reference, text: text)
                return ResolvedChild(collection: bound, child: c.child, rest: Array(components[(i + 1)...]))
            }
            if let found = try segmentCollection(component, collections, parent: entity, ref: ref, root: root, hops: hops, texts: texts) {
                return ResolvedChild(collection: found.collection, child: found.child,
                                     rest: Array(components[(i + 1)...]), segment: found.filter)
            }
            let listing = collections.isEmpty
                ? "\(entity.name) has no child collections: no entity refers to it"
                : "child collections of \(entity.name): \(collections.map(\.child.name).joined(separator: ", "))"
            guard let fi = entity.fieldIndex(name) else {
                let segmentNames = segments.filter { s in collections.contains { $0.child.name == s.entity } }.map(\.name)
                let names = collections.map(\.child.name) + segmentNames + entity.fields.map(\.name)
                throw Diagnostic(.binder, "unknown child collection \"\(component.text)\" on \(entity.name)",
                                 at: component.range,
                                 hint: Suggestions.didYouMean(component.text, in: names) ?? listing)
            }
            let field = entity.fields[fi]
            guard i < components.count - 1, case .reference(let target) = field.type,
                  let next = schema.entity(named: target) else {
                let isReference = isReferenceType(field.type)
                let what = isReference
                    ? "\"\(field.name)\" refers to one record, it is not a child collection"
                    : "\"\(field.name)\" is \(article(field.type)) field of \(entity.name), not a child collection"
                let follow = isReference && i == components.count - 1
                    ? "test the record it refers to with a dot path (\(field.name).\(schema.entity(named: referenceTarget(field.type))?.titleField ?? "id") = ...); "
                    : ""
                throw Diagnostic(.binder, what, at: component.range,
                                 hint: "\(usage) needs a child collection, the records of another entity that refer to this one; "
                                     + follow + listing)
            }
            hops.append(FieldRef(entity: entity.name, field: fi))
            texts.append(field.name)
            entity = next
        }
        let last = components.last!
        throw Diagnostic(.binder, "\"\(ref.path.text)\" does not end in a child collection", at: last.range,
                         hint: "child collections of \(entity.name): \(childCollections(of: entity).map(\.child.name).joined(separator: ", "))")
    }

    /// A segment of a child entity named where a collection goes: `any big_deals (...)` with
    /// `define segment big_deals as opportunities where value > 100000` is the account's
    /// opportunities that are in the segment.
    private func segmentCollection(_ component: Name, _ collections: [ChildCollectionDef], parent: EntityDef,
                                   ref: ChildRef, root: EntityDef, hops: [FieldRef],
                                   texts: [String]) throws(Diagnostic) -> (collection: BoundChildCollection, child: EntityDef, filter: BoundFilter)? {
        guard let s = segment(named: component.text),
              let c = collections.first(where: { $0.child.name == s.entity }) else { return nil }
        let reference = try chooseReference(c, parent: parent, ref: ref, at: component)
        var text = (texts + [s.name]).joined(separator: ".")
        if let via = ref.via { text += " via \(via.text.lowercased())" }
        let bound = BoundChildCollection(root: root.name, hops: hops, parent: parent.name, child: c.child.name,
                                         reference: reference, text: text)
        return (bound, c.child, try segmentFilter(s, at: component.range))
    }

    /// The child's reference to the parent: the only one, or the one `via` names.
    private func chooseReference(_ c: ChildCollectionDef, parent: EntityDef, ref: ChildRef,
                                 at component: Name) throws(Diagnostic) -> Int {
        let choices = c.references.map { "\(c.child.name) via \(c.child.fields[$0].name)" }
        guard let via = ref.via else {
            // A custom reference added beside the one standard reference leaves it the default, so
            // queries, segments and reports written before it keep their meaning; the custom one takes `via`.
            let standard = c.references.filter { SchemaChange.isStandard(c.child.fields[$0].name, of: c.child.name) }
            if c.references.count > 1, standard.count == 1 { return standard[0] }
            guard c.references.count == 1 else {
                throw Diagnostic(.binder, "\(c.child.name) refer to \(parent.name) in \(c.references.count) ways",
                                 at: component.range,
                                 hint: "name the reference: " + choices.map { "\"\($0)\"" }.joined(separator: " or "))
            }
            return c.references[0]
        }
        if let fi = c.child.fieldIndex(via.text), c.references.contains(fi) { return fi }
        let names = c.references.map { "\"\(c.child.fields[$0].name)\"" }.joined(separator: " or ")
        let hint = "\(c.child.name) refer to \(parent.name) through \(names)"
        guard let fi = c.child.fieldIndex(via.text) else {
            throw Diagnostic(.binder, "unknown field \"\(via.text)\" on \(c.child.name)", at: via.range,
                             hint: Suggestions.didYouMean(via.text, in: c.references.map { c.child.fields[$0].name }) ?? hint)
        }
        let field = c.child.fields[fi]
        throw Diagnostic(.binder, "\"\(field.name)\" is not a reference from \(c.child.name) to \(parent.name)",
                         at: via.range, hint: hint)
    }

    private func referenceTarget(_ t: FieldType) -> String {
        if case .reference(let target) = t { return target }
        return ""
    }

    private func isReferenceType(_ t: FieldType) -> Bool {
        if case .reference = t { return true }
        return false
    }

    // MARK: - any / no / all

    /// `any C (c)`, `no C (c)`, `all C (c)`: the child's condition is bound on the child entity.
    func bindQuantified(_ q: Quantifier, _ ref: ChildRef, _ inner: Condition?, _ entity: EntityDef,
                        at range: SourceRange) throws(Diagnostic) -> BoundFilter {
        let r = try resolveChild(ref, from: entity, usage: "\"\(q.rawValue)\"")
        if let extra = r.rest.first {
            throw Diagnostic(.binder, "\"\(q.rawValue)\" takes a child collection, not a field of it",
                             at: extra.range.union(r.rest.last!.range),
                             hint: "put the condition in parentheses: \(q.rawValue) \(r.collection.text) (\(r.rest.map(\.text).joined(separator: ".")) ...)")
        }
        let filter = try inner.map { c throws(Diagnostic) in try bindCondition(c, r.child) } ?? .all
        return .related(q, r.collection, Binder.narrowed(r.segment, filter))
    }

    // MARK: - Aggregates

    /// `count(C [where c])`, `sum(C.F [where c])`, `avg`, `min`, `max`: one value per row of `entity`.
    public func bindChildAggregate(_ syntax: ChildAggregateSyntax, _ entity: EntityDef) throws(Diagnostic) -> BoundChildAggregate {
        let f = syntax.function
        let r = try resolveChild(syntax.collection, from: entity, usage: "\(f.rawValue)(...)")
        let filter = Binder.narrowed(r.segment,
                                     try syntax.filter.map { c throws(Diagnostic) in try bindCondition(c, r.child) } ?? .all)
        let collection = r.collection.text
        if f == .count {
            if let extra = r.rest.first {
                throw Diagnostic(.binder, "count takes just the collection, not a field of it",
                                 at: extra.range.union(r.rest.last!.range),
                                 hint: "count(\(collection)), or count(\(collection) where \(r.rest.map(\.text).joined(separator: ".")) is not null)")
            }
            return BoundChildAggregate(function: .count, collection: r.collection, field: nil, filter: filter, resultType: .int)
        }
        guard !r.rest.isEmpty else {
            let example = (r.child.fields.first { $0.type == .money } ?? r.child.fields.first { $0.type.isNumeric && $0.name != "id" })?.name ?? "FIELD"
            throw Diagnostic(.binder, "\(f.rawValue) needs a field of \(r.child.name)", at: syntax.collection.range,
                             hint: "name it after the collection: \(f.rawValue)(\(r.collection.child).\(example))")
        }
        let path = try resolve(Path(components: r.rest), from: r.child)
        let range = r.rest.first!.range.union(r.rest.last!.range)
        switch f {
        case .sum, .avg:
            guard path.type.isNumeric else {
                throw Diagnostic(.binder, "cannot \(f.rawValue) \"\(path.text)\": it is \(article(path.type)) field",
                                 at: range, hint: "\(f.rawValue) works on int, money and percent fields")
            }
        case .min, .max:
            guard path.type.isNumeric || path.type.isTemporal else {
                let hint = path.type == .bool
                    ? "count them instead: count(\(collection) where \(path.text) = true)"
                    : "over related records, min and max work on int, money, percent, date and datetime fields"
                throw Diagnostic(.binder, "cannot take the \(f.rawValue) of \"\(path.text)\": it is \(article(path.type)) field",
                                 at: range, hint: hint)
            }
        case .count:
            preconditionFailure("count is bound above")
        }
        let type: ResultType = f == .avg && path.type == .int ? .decimal : ResultType(path.type)
        return BoundChildAggregate(function: f, collection: r.collection, field: path, filter: filter, resultType: type)
    }
}
