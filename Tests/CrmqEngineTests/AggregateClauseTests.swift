import Testing
@testable import CrmqEngine

/// `count distinct PATH` and `having`: what the parser builds, what the binder resolves, and each
/// mistake's diagnostic (message, position, hint).
@Suite struct AggregateClauseTests {
    static func parse(_ text: String) throws(Diagnostic) -> AggregateQuery? {
        var parser = Parser(SourceText(name: "q", text: text))
        guard case .aggregate(let q)? = try parser.nextStatement()?.kind else { return nil }
        return q
    }

    static func bind(_ text: String) throws(Diagnostic) -> BoundAggregate? {
        var parser = Parser(SourceText(name: "q", text: text))
        guard let statement = try parser.nextStatement() else { return nil }
        guard case .aggregate(let q) = try Binder(schema: Schema.standard, today: TinyCRM.today).bind(statement) else { return nil }
        return q
    }

    @Test func countDistinctParsesAPath() throws {
        let q = try #require(try Self.parse("count distinct account.country of opportunities by owner"))
        #expect(q.calls.count == 1 && q.calls[0].distinct && q.calls[0].function == .count)
        #expect(q.calls[0].argument.map { if case .path(let p) = $0 { p.text } else { "" } } == "account.country")
        #expect(q.groupBy.map(\.expr.text) == ["owner"])
    }

    @Test func countDistinctBindsToItsColumn() throws {
        let q = try #require(try Self.bind(#"count, count distinct account of opportunities where stage = "Closed Won""#))
        #expect(q.calls.map(\.header) == ["count", "count_distinct_account"])
        guard case .distinct(let p) = q.calls[1].input else { Issue.record("not a distinct input"); return }
        #expect(p.text == "account")
        #expect(q.calls[1].resultType == .int)
    }

    @Test func havingNamesResultColumnsByHeaderOrFunction() throws {
        let q = try #require(try Self.bind("sum value of opportunities by account having sum_value > 1000000 or sum < 5.5"))
        #expect(q.having == .or([.compare(.value(0), .greater, .decimal(100_000_000)),
                                 .compare(.value(0), .less, .decimal(550))]))
        let k = try #require(try Self.bind(#"count opportunities by stage having not stage in ("Proposal") and 3 < count"#))
        #expect(k.having == .and([.not(.compare(.group(0), .equal, .text("Proposal"))),
                                  .compare(.value(0), .greater, .decimal(300))]))
    }

    @Test func havingWithoutByFiltersTheSingleRow() throws {
        let q = try #require(try Self.bind("count leads having count >= 1"))
        #expect(q.groupBy.isEmpty && q.having == .compare(.value(0), .greaterEqual, .decimal(100)))
        let rows = try TinyCRM.session().query("count leads having count > 1000000")
        #expect(rows.rowCount == 0)
    }

    @Test(arguments: [
        ("count opportunities by owner having cuont > 150", "unknown result column \"cuont\" in \"having\"",
         "did you mean \"count\"?", 36),
        ("sum value of opportunities by account having sum_vaule > 1", "unknown result column \"sum_vaule\" in \"having\"",
         "did you mean \"sum_value\"?", 45),
        ("count opportunities by stage having count > \"x\"", "cannot compare \"count\" (an int) with the text \"x\"",
         "compare it with a number", 44),
        ("count opportunities by stage having count contains \"1\"",
         "\"having\" compares result columns with =, !=, <, <=, >, >=, between, in or is null",
         "filter the records with \"where\" instead", 36),
        ("count opportunities by stage having count > value", "\"having\" compares a result column with a value",
         "write a literal here, as in count > 150", 44),
        ("count distinct acount of opportunities", "unknown field \"acount\" on opportunities", "did you mean \"account\"?", 15),
    ])
    func bindingMistakes(_ text: String, _ message: String, _ hint: String, _ column: Int) {
        do {
            _ = try Self.bind(text)
            Issue.record("no error for \(text)")
        } catch {
            #expect(error.message == message)
            #expect(error.hint == hint)
            #expect(error.range?.start == column)
        }
    }

    @Test(arguments: [
        ("count distinct of opportunities", "expected a field name, found the keyword \"of\""),
        ("count distinct account opportunities",
         "expected \"of\" and an entity, as in \"count distinct account of opportunities\", found \"opportunities\""),
        ("count leads by status having count > 1 having count < 5", "\"having\" given twice"),
        ("find leads having count > 1", "\"having\" filters the results of count, sum, avg, min and max"),
    ])
    func parsingMistakes(_ text: String, _ message: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("no error for \(text)")
        } catch {
            #expect(error.message == message)
        }
    }
}
