/// `explain` and `explain analyze`: the plan as a tree, in the manner of SQLite's EXPLAIN QUERY PLAN.
///
/// ```
/// QUERY PLAN
/// `--SEARCH opportunities USING INDEX stage (stage = "Negotiation") ~52,340 rows
///    `--FILTER value >= 10000.01
/// ```
/// With `analyze` the query also runs, and each step shows its actual rows and time.
struct Explainer {
    let db: Database
    /// Stops `explain analyze` (Ctrl-C, `.timeout`).
    var cancellation: Cancellation = .none
    /// For `as of`: the moment, then how each collection read was rebuilt as it stood then (AsOfView).
    var asOfSteps: [String] = []

    private struct Node {
        var text: String
        var children: [Node] = []
    }

    func explain(_ e: BoundExplain) throws(Diagnostic) -> String {
        let planner = Planner(db)
        var root: [Node] = []
        if let moment = asOfSteps.first {
            root.append(Node(text: moment, children: asOfSteps.dropFirst().map { Node(text: $0) }))
        }
        switch e.query {
        case .find(let q):
            let plan = planner.plan(q)
            root.append(try filterNode(plan.filter, analyze: e.analyze))
            // The aggregates over related records that the columns and the order compute, once each.
            let inFilter = plan.filter.residual.childAggregates
            var computed: [BoundChildAggregate] = []
            for s in q.columns.map(\.value) + q.order.map(\.value) { ScalarEvaluator.collectChildren(s, into: &computed) }
            var shown: [BoundChildAggregate] = []
            for a in computed where !inFilter.contains(a) && !shown.contains(a) {
                shown.append(a)
                root.append(try aggregateNode(a, analyze: e.analyze))
            }
            if let order = orderNode(q, plan.order) { root.append(order) }
            if e.analyze {
                let (result, time) = try measure { () throws(Diagnostic) in try FindExecutor(db: db, cancellation: cancellation).run(plan) }
                root.append(Node(text: "RESULT \(rows(result.rowCount)) (total \(time))"))
            }
        case .aggregate(let q):
            let plan = planner.plan(q)
            var node = Node(text: "AGGREGATE \(q.calls.map(\.header).joined(separator: ", "))"
                + (q.groupBy.isEmpty ? "" : " BY \(q.groupBy.map(\.value.text).joined(separator: ", "))")
                + (q.withTotals ? " WITH TOTALS" : ""))
            node.children.append(try filterNode(plan.filter, analyze: e.analyze))
            if q.having != .all {
                // The groups' filter runs on the aggregated rows, so it sits above the aggregate.
                root.append(Node(text: "HAVING \(HavingText(query: q).text(q.having))", children: [node]))
            } else {
                root.append(node)
            }
            if e.analyze {
                let start = ContinuousClock.now
                let result = try AggregateExecutor(db: db, cancellation: cancellation).run(plan)
                let time = StatementTiming.milliseconds(ContinuousClock.now - start) + " ms"
                root.append(Node(text: "RESULT \(rows(result.rowCount)) (total \(time))"))
            }
        }
        var out = "QUERY PLAN\n"
        render(root, prefix: "", into: &out)
        return out
    }

    private func filterNode(_ plan: FilterPlan, analyze: Bool) throws(Diagnostic) -> Node {
        let text = FilterText(db: db)
        var node: Node
        switch plan.access {
        case .scan:
            node = Node(text: "SCAN \(plan.entity)")
        case .ids:
            node = Node(text: "SEARCH \(plan.entity) USING PRIMARY KEY (\(condition(plan, text)))")
        case .postings(let f, _, _), .textEquals(let f, _), .textPrefix(let f, _), .range(let f, _, _):
            node = Node(text: "SEARCH \(plan.entity) USING INDEX \(fieldName(plan.entity, f)) (\(condition(plan, text)))")
        case .reverse(let f, let target):
            node = Node(text: "SEARCH \(plan.entity) USING REVERSE INDEX \(fieldName(plan.entity, f)) (\(condition(plan, text)))")
            node.children.append(try filterNode(target, analyze: analyze))
        case .union(let branches):
            node = Node(text: "MULTI-INDEX OR \(plan.entity)")
            node.children = try branches.map { (b) throws(Diagnostic) in try filterNode(b, analyze: analyze) }
        case .semiJoin(let c, let child):
            node = Node(text: joinText(.any, c))
            node.children.append(try filterNode(child, analyze: analyze))
        }
        node.text += " ~\(rows(plan.estimate))"
        if analyze {
            let (kept, time) = try measure { () throws(Diagnostic) in try RowSelector(db: db, cancellation: cancellation).rows(plan).count }
            node.text += " (actual \(rows(kept)), \(time))"
        }
        if plan.residual != .all {
            var filter = Node(text: "FILTER \(text.text(plan.residual))")
            // Each any/no/all the filter tests runs as a join of its own, planned on the child.
            let tested = relatedKeys(plan.residual)
            for r in plan.related where tested.contains(r.key) {
                var join = Node(text: joinText(r.quantifier, r.collection))
                join.children.append(try filterNode(r.child, analyze: analyze))
                filter.children.append(join)
            }
            // Each aggregate over related records a computed condition reads runs once, over the children.
            for a in plan.residual.childAggregates { filter.children.append(try aggregateNode(a, analyze: analyze)) }
            node.children.append(filter)
            // A segment tested row by row is evaluated once on its own collection: show how.
            for segment in plan.residual.segmentsTested {
                let inner = Planner(db).planFilter(segment.filter, on: segment.entity)
                node.children.append(Node(text: "SEGMENT \(segment.name)", children: [try filterNode(inner, analyze: analyze)]))
            }
        }
        return node
    }

    /// `SEMI JOIN opportunities USING REVERSE INDEX account` (`ANTI JOIN` for `no` and `all`),
    /// and the dot path that reaches the parent.
    private func joinText(_ q: Quantifier, _ c: BoundChildCollection) -> String {
        let through = c.hops.isEmpty ? "" : " THROUGH \(c.hops.map { fieldName($0.entity, $0.field) }.joined(separator: "."))"
        return "\(q == .any ? "SEMI" : "ANTI") JOIN \(c.child) USING REVERSE INDEX \(fieldName(c.child, c.reference))\(through)"
    }

    /// The `any`/`no`/`all` the residual tests (not counting those nested in a child's condition).
    private func relatedKeys(_ f: BoundFilter) -> Set<RelatedKey> {
        var out: Set<RelatedKey> = []
        var pending = [f]
        while let next = pending.popLast() {
            switch next {
            case .and(let parts), .or(let parts): pending.append(contentsOf: parts)
            case .not(let inner): pending.append(inner)
            case .related(let q, let c, let inner): out.insert(RelatedKey(quantifier: q, collection: c, filter: inner))
            case .all, .none, .test, .scalar: break
            }
        }
        return out
    }

    /// One pass over the children that computes an aggregate over related records, with the
    /// children's plan; a plain count reads each parent's count from the reverse index instead.
    private func aggregateNode(_ a: BoundChildAggregate, analyze: Bool) throws(Diagnostic) -> Node {
        let c = a.collection
        let reference = fieldName(c.child, c.reference)
        if ChildAggregator.countsFromIndex(a, in: db) {
            return Node(text: "AGGREGATE \(BoundScalar.child(a).text) FROM REVERSE INDEX \(c.child).\(reference)")
        }
        var pass = Node(text: "AGGREGATE \(BoundScalar.child(a).text) OVER \(c.child) BY \(reference)")
        pass.children.append(try filterNode(Planner(db).planFilter(a.filter, on: c.child), analyze: analyze))
        return pass
    }

    private func condition(_ plan: FilterPlan, _ text: FilterText) -> String {
        plan.accessCondition.map { text.text($0) } ?? ""
    }

    private func orderNode(_ q: BoundFind, _ order: OrderStrategy) -> Node? {
        let keys = q.order.map { $0.text + ($0.descending ? " DESC" : "") }.joined(separator: ", ")
        switch order {
        case .none: return nil
        case .sort: return Node(text: "ORDER BY \(keys): SORT")
        case .heap(let keep): return Node(text: "ORDER BY \(keys): TOP \(keep) BY HEAP")
        case .indexWalk(let f, _, let keep):
            return Node(text: "ORDER BY \(keys): TOP \(keep) IN INDEX ORDER \(fieldName(q.entity, f))")
        }
    }

    private func fieldName(_ entity: String, _ f: Int) -> String { db[entity].entity.fields[f].name }

    private func rows(_ n: Int) -> String { "\(CellText.grouped(String(n))) \(n == 1 ? "row" : "rows")" }

    private func measure<T>(_ body: () throws(Diagnostic) -> T) throws(Diagnostic) -> (T, String) {
        let start = ContinuousClock.now
        let value = try body()
        return (value, StatementTiming.milliseconds(ContinuousClock.now - start) + " ms")
    }

    private func render(_ nodes: [Node], prefix: String, into out: inout String) {
        for (i, node) in nodes.enumerated() {
            let last = i == nodes.count - 1
            out += prefix + (last ? "`--" : "|--") + node.text + "\n"
            render(node.children, prefix: prefix + (last ? "   " : "|  "), into: &out)
        }
    }
}
