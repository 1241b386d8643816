import Testing
@testable import CrmqEngine

/// Planning `any`/`no`/`all`: the child's condition is planned once per distinct condition, however
/// deep they nest (planned both as an access and as a residual test, it would double per level).
@Suite struct RelatedPlannerTests {
    static let today = Day.parse("2026-06-15")!
    static let db: Database = {
        var db = GoldenRun.demo
        db.buildIndexes()
        return db
    }()

    static func find(_ text: String) throws -> BoundFind {
        let statement = try Parser.parseAll(SourceText(name: "q", text: text))[0]
        guard case .find(let q) = try Binder(schema: db.schema, today: today).bind(statement) else {
            throw Diagnostic(.binder, "not a find", at: SourceRange(0, 0))
        }
        return q
    }

    @Test func nestedConditionsArePlannedOnce() throws {
        let depth = 60
        let text = "find opportunities where "
            + String(repeating: #"(value > 1 or all account.opportunities (stage != "Closed Lost" or any account.opportunities ("#, count: depth)
            + #"stage = "Closed Won""# + String(repeating: ")))", count: depth) + " show id"
        let planner = Planner(Self.db)
        let plan = planner.plan(try Self.find(text))
        // Two child conditions per level (the all's negation and the any's condition).
        #expect(planner.childPlans.plans.count <= 2 * depth)
        let rows = try FindExecutor(db: Self.db).run(plan).plainRows
        let scanned = try FindExecutor(db: Self.db).run(Planner(Self.db, passes: []).plan(try Self.find(text))).plainRows
        #expect(rows == scanned && !rows.isEmpty)
    }

    @Test func anyIsTheAccessWhenItIsSelective() throws {
        let q = try Self.find(#"find accounts where any opportunities (stage = "Closed Won" and value > 50000) and employees > 10"#)
        let plan = Planner(Self.db).plan(q)
        guard case .semiJoin(let c, let child) = plan.filter.access else {
            Issue.record("expected a semi-join, got \(plan.filter.access)"); return
        }
        #expect(c.child == "opportunities")
        if case .scan = child.access { Issue.record("the child's condition should use an index") }
        #expect(plan.filter.residual != .all)
        // no/all are tested on the rows, through the child's plan.
        let anti = Planner(Self.db).plan(try Self.find(#"find accounts where no cases (status = "open")"#))
        #expect(anti.filter.related.count == 1)
        if case .scan = anti.filter.related[0].child.access { Issue.record("the child's condition should use the status postings") }
    }
}
