import Testing
@testable import CrmqEngine

/// Computed values: exact money, rounding, nulls, division by zero, calendar edge cases, and the
/// binder's typing. Each value is bound from text and evaluated by `ScalarEvaluator` for one row.
@Suite struct ScalarTests {
    static let db = TinyCRM.build()

    /// The value of `expr` on the opportunity with id 1 (`find opportunities where id = 1 show EXPR`).
    static func value(_ expr: String, fiscalStart: Int = 1) throws -> Value {
        var parser = Parser(SourceText(name: "q", text: "find opportunities where id = 1 show \(expr)"))
        let statement = try #require(try parser.nextStatement())
        var binder = Binder(schema: db.schema, today: TinyCRM.today)
        binder.fiscalYearStartMonth = fiscalStart
        guard case .find(let q) = try binder.bind(statement) else { throw Failure.notFind }
        let evaluator = try ScalarEvaluator(db: db, scalars: [q.columns[0].value])
        return try evaluator.values(q.columns[0].value, rows: [0]).outputValues(q.columns[0].value)[0]
    }

    /// The binder's diagnostic for `expr`, or nil.
    static func error(_ expr: String) -> String? {
        do {
            _ = try value(expr)
            return nil
        } catch let d as Diagnostic {
            return d.message
        } catch {
            return "\(error)"
        }
    }

    enum Failure: Error { case notFind }

    static func day(_ text: String) -> Int64 { Day.parse(text)! }

    @Test func moneyIsExact() throws {
        #expect(try Self.value("0.1 + 0.2") == .decimal(30))
        #expect(try Self.value("value - value + 0.10 + 0.20") == .money(30))
        // 1/3 is kept at ten places, so three thirds make the whole again (shown at two).
        #expect(try Self.value("1 / 3 + 1 / 3 + 1 / 3") == .decimal(100))
        #expect(try Self.value("10.00 * 3 / 4") == .decimal(750))
    }

    @Test func divisionRoundsHalfAwayFromZero() throws {
        #expect(try Self.value("round(2.5, 0)") == .int(3))
        #expect(try Self.value("round(-2.5, 0)") == .int(-3))
        #expect(try Self.value("round(1.005, 2)") == .decimal(101))
        #expect(try Self.value("2 / 3") == .decimal(67))
        #expect(try Self.value("-2 / 3") == .decimal(-67))
        #expect(try Self.value("round(10 / 4)") == .int(3))
        #expect(try Self.value("abs(-7.25)") == .decimal(725))
    }

    @Test func nullsPropagateAndDivisionByZeroIsNull() throws {
        #expect(try Self.value("1 / 0") == .null)
        #expect(try Self.value("value / (probability - probability)") == .null)
        #expect(try Self.value("coalesce(1 / 0, 5)") == .decimal(500))
        #expect(try Self.value("coalesce(contact.first_name, \"nobody\")") != .null)
        #expect(try Self.value("length(lower(\"ÅSE\"))") == .int(3))
        #expect(try Self.value("upper(\"åse\")") == .text("ÅSE"))
    }

    @Test func monthsClampToTheMonthsEnd() throws {
        #expect(try Self.value("2026-01-31 + 1 month") == .date(Self.day("2026-02-28")))
        #expect(try Self.value("2024-01-31 + 1 month") == .date(Self.day("2024-02-29")))
        #expect(try Self.value("2024-02-29 + 1 year") == .date(Self.day("2025-02-28")))
        #expect(try Self.value("2026-03-31 - 1 quarter") == .date(Self.day("2025-12-31")))
        #expect(try Self.value("2026-03-01 - 1 day") == .date(Self.day("2026-02-28")))
        #expect(try Self.value("2024-03-01 - 2024-02-01") == .int(29))
        #expect(try Self.value("2026-06-15 + 2 weeks") == .date(Self.day("2026-06-29")))
    }

    @Test func isoWeeksAndWeekdays() throws {
        // 2020-12-31 is a Thursday in week 53; 2021-01-03 (a Sunday) is still in 2020's week 53.
        #expect(try Self.value("week(2020-12-31)") == .int(53))
        #expect(try Self.value("week(2021-01-03)") == .int(53))
        #expect(try Self.value("week(2021-01-04)") == .int(1))
        // 2024-12-30 (a Monday) is in week 1 of 2025.
        #expect(try Self.value("week(2024-12-30)") == .int(1))
        #expect(try Self.value("weekday(2026-06-15)") == .int(1))
        #expect(try Self.value("weekday(2026-06-21)") == .int(7))
        #expect(try Self.value("quarter(2026-06-15)") == .int(2))
        #expect(try Self.value("day(2024-02-29)") == .int(29))
    }

    @Test func fiscalPeriodsFollowTheStartMonth() throws {
        #expect(try Self.value("fiscal_year(2026-06-15)", fiscalStart: 4) == .int(2027))
        #expect(try Self.value("fiscal_quarter(2026-06-15)", fiscalStart: 4) == .int(1))
        #expect(try Self.value("fiscal_year(2026-03-31)", fiscalStart: 4) == .int(2026))
        #expect(try Self.value("fiscal_quarter(2026-03-31)", fiscalStart: 4) == .int(4))
        #expect(try Self.value("fiscal_year(2026-06-15)") == .int(2026))
    }

    @Test func aDatetimeWithADateCountsAsItsDay() throws {
        #expect(try Self.value("2026-06-15T23:59:00Z - 2026-06-15") == .int(0))
        #expect(try Self.value("days_between(2026-06-14T23:59:59Z, 2026-06-15)") == .int(1))
        #expect(try Self.value("date(2026-06-15T23:59:00Z)") == .date(Self.day("2026-06-15")))
        #expect(try Self.value("2026-06-15T23:30:00Z + 2 hours") == .datetime(Self.day("2026-06-16") * 86400 + 5400))
        #expect(try Self.value("2026-01-31T10:00:00Z + 1 month") == .datetime(Self.day("2026-02-28") * 86400 + 36000))
        #expect(try Self.value("year(2026-12-31T23:00:00Z)") == .int(2026))
    }

    @Test func typeErrorsAreFoundBeforeRunning() {
        #expect(Self.error("value * name") == "cannot multiply money by text")
        #expect(Self.error("name - 1") == "cannot subtract an int from text")
        #expect(Self.error("close_date + 2 hours") == "a date has no time of day to add hours to")
        #expect(Self.error("close_date + close_date") == "cannot add a date to a date")
        #expect(Self.error("mnth(close_date)") == "unknown function \"mnth\"")
        #expect(Self.error("days_between(close_date)") == "days_between takes 2 arguments, not 1")
        #expect(Self.error("round(value, 1 + 1)") == "the places of round must be a whole number from 0 to 10")
        #expect(Self.error("coalesce(value, stage)") == "coalesce needs values of one type: value is money, stage is text")
        #expect(Self.error("year(value)") == "year needs a date, and value is money")
    }

    @Test func typesOfResults() throws {
        let binder = Binder(schema: Schema.standard, today: TinyCRM.today)
        let entity = try #require(Schema.standard.entity(named: "opportunities"))
        func type(_ text: String) throws -> ResultType {
            var parser = Parser(SourceText(name: "q", text: "find opportunities show \(text)"))
            guard case .find(let q)? = try parser.nextStatement()?.kind, case .columns(let items)? = q.show else {
                throw Failure.notFind
            }
            return try binder.bindScalar(items[0].expr, entity).type
        }
        #expect(try type("value * probability / 100") == .money)
        #expect(try type("probability + 1") == .decimal)
        #expect(try type("close_date - today") == .int)
        #expect(try type("close_date + 30 days") == .date)
        #expect(try type("created_at - 2 hours") == .datetime)
        #expect(try type("1 / 2") == .decimal)
        #expect(try type("coalesce(stage, \"none\")") == .text)
    }

    @Test func aComputedConditionStopsWhenCancelled() throws {
        let token = CancellationToken()
        token.cancel()
        var parser = Parser(SourceText(name: "q", text: "find opportunities where value * 2 > probability"))
        let statement = try #require(try parser.nextStatement())
        guard case .find(let q) = try Binder(schema: Self.db.schema, today: TinyCRM.today).bind(statement),
              case .scalar(let p) = q.filter else { throw Failure.notFind }
        let filter = try ScalarFilter(db: Self.db, cancellation: Cancellation(token), p)
        #expect(throws: Diagnostic.self) { try filter.bitmap(p, count: Self.db["opportunities"].count) }
        let uncancelled = try ScalarFilter(db: Self.db, cancellation: .none, p)
        #expect(try uncancelled.bitmap(p, count: Self.db["opportunities"].count).rows.count > 0)
    }
}
