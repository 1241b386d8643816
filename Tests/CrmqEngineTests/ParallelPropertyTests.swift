import Testing
@testable import CrmqEngine

/// The parallel path (inputs cut into chunks, each filtered, grouped and summed on its own core,
/// then joined) must give exactly what the serial path and the plain scan give. The threshold is
/// forced to one row so the small demo dataset takes the parallel path everywhere, with more
/// chunks than cores and chunks of uneven size.
@Suite struct ParallelPropertyTests {
    static let db = PlannerPropertyTests.db
    static let today = PlannerPropertyTests.today

    static let forced = [Parallelism(workers: 3, threshold: 1, rowsPerGroup: 0), Parallelism(workers: 7, threshold: 1, rowsPerGroup: 0)]

    static func run(_ text: String, passes: Set<Planner.Pass> = Planner.allPasses, parallelism: Parallelism) throws -> [[String]] {
        var parser = Parser(SourceText(name: "q", text: text))
        guard let statement = try parser.nextStatement() else { return [] }
        let planner = Planner(db, passes: passes)
        switch try Binder(schema: db.schema, today: today).bind(statement) {
        case .find(let q): return try FindExecutor(db: db, parallelism: parallelism).run(planner.plan(q)).plainRows
        case .aggregate(let q): return try AggregateExecutor(db: db, parallelism: parallelism).run(planner.plan(q)).plainRows
        default: return []
        }
    }

    @Test func randomQueriesAgreeWithSerialAndScan() throws {
        var gen = FilterGenerator(db: Self.db, seed: 20261130)
        var nonEmpty = 0
        for i in 0..<400 {
            let query = gen.query(i)
            let serial = try Self.run(query, parallelism: .serial)
            let scanned = try Self.run(query, passes: [], parallelism: .serial)
            #expect(serial == scanned, "serial plan and scan disagree on: \(query)")
            for p in Self.forced {
                #expect(try Self.run(query, parallelism: p) == serial, "\(p.workers) chunks disagree on: \(query)")
                #expect(try Self.run(query, passes: [], parallelism: p) == serial, "\(p.workers) chunks of a scan disagree on: \(query)")
            }
            if !serial.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 200, "only \(nonEmpty) queries returned rows")
    }

    /// Aggregate shapes the generator does not make: no filter (the fused pass), every function,
    /// computed inputs, hashed groups (dates), computed keys and totals (which stay serial).
    @Test(arguments: [
        "count opportunities",
        "count, sum value of opportunities by stage",
        "sum value of opportunities",
        "count, sum value, avg value, min value, max value, min close_date, max name of opportunities where value > 1000 by stage, owner.name",
        "sum value * probability of opportunities where close_date within last 400 days and stage not in (\"Closed Won\", \"Closed Lost\") by owner.name",
        "count activities where due_at >= 2026-01-01 and due_at < 2026-06-15 by owner.name, type",
        "count, max value of opportunities where value >= 0 by close_date",
        "count opportunities where value > 100 by month(close_date)",
        "count distinct account of opportunities where value > 100 by stage",
        "count, sum value of opportunities where value > 100 by stage with totals",
        "avg value of opportunities where value < 0 by owner.name",
        "count opportunities where value > 0 and account.industry = \"Retail\" by account.country",
        "min created_at, max due_at of activities where done = true or type = \"call\" by done",
    ])
    func aggregatesAgree(_ query: String) throws {
        let serial = try Self.run(query, parallelism: .serial)
        #expect(try Self.run(query, passes: [], parallelism: .serial) == serial)
        for p in Self.forced {
            #expect(try Self.run(query, parallelism: p) == serial, "\(p.workers) chunks disagree")
        }
    }

    @Test func chunksCoverTheInputOnceInOrder() {
        for n in [0, 1, 2, 63, 64, 65, 1000, 4097] {
            for chunks in 1...9 {
                for align in [1, 64] {
                    let parts = (0..<chunks).map { Parallelism.chunk($0, of: chunks, n, align: align) }
                    #expect(parts.first?.lowerBound == 0 && parts.last?.upperBound == n)
                    for (a, b) in zip(parts, parts.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
                    for p in parts.dropLast() { #expect(p.upperBound % align == 0) }
                }
            }
        }
    }

    @Test func bitmapChunksEqualOnePass() {
        for n in [0, 1, 64, 65, 1000, 4099] {
            let one = Bitmap(count: n) { $0 % 3 == 0 || $0 % 7 == 1 }
            for p in Self.forced {
                #expect(Bitmap(count: n, parallelism: p) { $0 % 3 == 0 || $0 % 7 == 1 } == one)
            }
        }
    }

    @Test func aChunkErrorIsThrownAfterAllStop() {
        let p = Parallelism(workers: 4, threshold: 1)
        #expect(throws: Diagnostic.self) {
            _ = try p.map(100) { (r: Range<Int>) throws(Diagnostic) -> Int in
                if r.lowerBound >= 50 { throw Diagnostic(.executor, "chunk \(r)") }
                return r.count
            }
        }
        let counts = try? p.map(100) { (r: Range<Int>) throws(Diagnostic) -> Int in r.count }
        #expect(counts == [25, 25, 25, 25])
    }
}

extension ParallelPropertyTests {
    /// A cancelled statement stops on the parallel path too: the filter's chunks check the token.
    @Test func aCancelledParallelFilterStops() throws {
        let token = CancellationToken()
        token.cancel()
        let stopped = Cancellation(token)
        let query = #"count activities where due_at >= 2026-01-01 and type = "call" by owner.name"#
        guard case .aggregate(let q) = try Binder(schema: Self.db.schema, today: Self.today)
            .bind(Parser.parseAll(SourceText(name: "q", text: query))[0]) else { Issue.record("not an aggregate"); return }
        let plan = Planner(Self.db).plan(q)
        for p in Self.forced {
            #expect(throws: Diagnostic.self) { try RowSelector(db: Self.db, cancellation: stopped, parallelism: p).rows(plan.filter) }
            #expect(throws: Diagnostic.self) { try AggregateExecutor(db: Self.db, cancellation: stopped, parallelism: p).run(plan) }
            #expect(try AggregateExecutor(db: Self.db, parallelism: p).run(plan).rowCount > 0)
        }
    }
}

/// `span` (both bounds in one descent) finds exactly what two separate searches find.
@Suite struct SortedIndexSpanTests {
    @Test func spanEqualsTwoSearches() throws {
        var rng = DiffRandom(seed: 1313)
        for n in [0, 1, 2, 3, 7, 64, 500] {
            let column = (0..<n).map { _ in rng.chance(0.1) ? nullInt : Int64(rng.int(in: -20...40)) }
            let index = try SortedIndex(column: IntColumn(column))
            for lo in Int64(-25)...45 {
                for hi in [lo - 1, lo, lo + 1, lo + 7, lo + 30, Int64.max] {
                    #expect(index.span(lo: lo, hi: hi) == index.positions(lo: lo, hi: hi), "n \(n), [\(lo), \(hi)]")
                }
            }
            #expect(index.span(lo: nullInt + 1, hi: .max) == index.positions(lo: nullInt + 1, hi: .max))
        }
    }
}
