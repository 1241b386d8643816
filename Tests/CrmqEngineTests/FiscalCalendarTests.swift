import Testing
@testable import CrmqEngine

/// Fiscal years named by the calendar year they end in, for every start month, checked against a
/// plain definition day by day: across year ends, leap days and the edges of the calendar.
@Suite struct FiscalCalendarTests {
    /// The first day of fiscal year `n` (the one ending in calendar year `n`).
    static func start(ofYear n: Int, _ s: Int) -> Int64 { Day.from(year: s == 1 ? n : n - 1, month: s, day: 1) }

    /// The fiscal year and quarter of `day`, found by looking for the year whose span holds it.
    static func reference(_ day: Int64, _ s: Int) -> (year: Int, quarter: Int) {
        let y = Day.civil(day).year
        for n in (y - 1)...(y + 2) where start(ofYear: n, s) <= day && day < start(ofYear: n + 1, s) {
            let q = (1...4).last { Day.addMonths(start(ofYear: n, s), 3 * ($0 - 1)) <= day }!
            return (n, q)
        }
        preconditionFailure("no fiscal year holds \(Day.format(day))")
    }

    @Test(arguments: 1...12) func yearAndQuarterOfEveryDayOfSevenYears(startMonth s: Int) {
        var wrong: [String] = []
        for day in Day.from(year: 2022, month: 1, day: 1)...Day.from(year: 2028, month: 12, day: 31) {
            let expected = Self.reference(day, s)
            let year = FiscalCalendar.fiscalYear(ofDay: day, startMonth: s)
            let quarter = FiscalCalendar.fiscalQuarter(ofDay: day, startMonth: s)
            if year != expected.year || quarter != expected.quarter {
                wrong.append("\(Day.format(day)): \(year) Q\(quarter), expected \(expected.year) Q\(expected.quarter)")
            }
        }
        #expect(wrong.isEmpty, "start month \(s): \(wrong.prefix(5))")
    }

    /// `this fiscal quarter` holds today, is three whole months, and the periods before and after
    /// it join it without a gap; the same for years.
    @Test(arguments: 1...12) func periodsHoldTodayAndTileTheCalendar(startMonth s: Int) {
        for today in stride(from: Day.from(year: 2023, month: 1, day: 1), through: Day.from(year: 2026, month: 12, day: 31), by: 5) {
            for quarters in [true, false] {
                let this = FiscalCalendar.period(offset: 0, quarters: quarters, today: today, startMonth: s)
                let last = FiscalCalendar.period(offset: -1, quarters: quarters, today: today, startMonth: s)
                let next = FiscalCalendar.period(offset: 1, quarters: quarters, today: today, startMonth: s)
                #expect(this.lo <= today && today <= this.hi)
                #expect(Day.civil(this.lo).day == 1 && Day.addMonths(this.lo, quarters ? 3 : 12) == this.hi + 1)
                #expect(last.hi + 1 == this.lo && this.hi + 1 == next.lo)
                // The period's first day is the first day of a fiscal quarter (or year).
                let (fy, fq) = Self.reference(this.lo, s)
                #expect(this.lo == Day.addMonths(Self.start(ofYear: fy, s), quarters ? 3 * (fq - 1) : 0))
            }
        }
    }

    @Test func salesforceNaming() {
        let d = Day.parse
        // With an April start, 2026-06-15 lies in fiscal 2027, Q1 (the issue's example).
        #expect(FiscalCalendar.fiscalYear(ofDay: d("2026-06-15")!, startMonth: 4) == 2027)
        #expect(FiscalCalendar.fiscalQuarter(ofDay: d("2026-06-15")!, startMonth: 4) == 1)
        #expect(FiscalCalendar.fiscalYear(ofDay: d("2026-03-31")!, startMonth: 4) == 2026)
        #expect(FiscalCalendar.fiscalQuarter(ofDay: d("2026-03-31")!, startMonth: 4) == 4)
        #expect(FiscalCalendar.fiscalYear(ofDay: d("2026-04-01")!, startMonth: 4) == 2027)
        // A January start is the calendar.
        #expect(FiscalCalendar.fiscalYear(ofDay: d("2026-12-31")!, startMonth: 1) == 2026)
        #expect(FiscalCalendar.fiscalQuarter(ofDay: d("2026-12-31")!, startMonth: 1) == 4)
        // October (as the US government): 2025-10-01 opens fiscal 2026.
        #expect(FiscalCalendar.fiscalYear(ofDay: d("2025-10-01")!, startMonth: 10) == 2026)
        #expect(FiscalCalendar.fiscalYear(ofDay: d("2025-09-30")!, startMonth: 10) == 2025)
        // December: one month of the calendar year opens the next fiscal year.
        #expect(FiscalCalendar.fiscalYear(ofDay: d("2025-12-01")!, startMonth: 12) == 2026)
        #expect(FiscalCalendar.fiscalQuarter(ofDay: d("2026-02-28")!, startMonth: 12) == 1)
        #expect(FiscalCalendar.fiscalQuarter(ofDay: d("2026-03-01")!, startMonth: 12) == 2)
    }

    @Test func leapDays() {
        let d = Day.parse
        // A March start: the fiscal year ending in a leap year ends on February 29.
        let fy2024 = FiscalCalendar.period(offset: 0, quarters: false, today: d("2024-01-15")!, startMonth: 3)
        #expect(fy2024 == (d("2023-03-01")!, d("2024-02-29")!))
        #expect(FiscalCalendar.fiscalYear(ofDay: d("2024-02-29")!, startMonth: 3) == 2024)
        #expect(FiscalCalendar.fiscalQuarter(ofDay: d("2024-02-29")!, startMonth: 3) == 4)
        // A February start: the leap day opens fiscal 2025's first quarter, which runs to April 30.
        #expect(FiscalCalendar.fiscalYear(ofDay: d("2024-02-29")!, startMonth: 2) == 2025)
        let q = FiscalCalendar.period(offset: 0, quarters: true, today: d("2024-02-29")!, startMonth: 2)
        #expect(q == (d("2024-02-01")!, d("2024-04-30")!))
        // Last fiscal quarter from a leap day: November to January.
        let last = FiscalCalendar.period(offset: -1, quarters: true, today: d("2024-02-29")!, startMonth: 2)
        #expect(last == (d("2023-11-01")!, d("2024-01-31")!))
    }

    @Test func theEdgesOfTheCalendarDoNotTrap() {
        let first = Day.from(year: 0, month: 1, day: 15)
        let last = Day.from(year: 9999, month: 12, day: 31)
        for s in 1...12 {
            let p = FiscalCalendar.period(offset: 0, quarters: false, today: first, startMonth: s)
            #expect(p.lo <= first && first <= p.hi)
            let q = FiscalCalendar.period(offset: 1, quarters: true, today: last, startMonth: s)
            #expect(q.lo > last)
            #expect(FiscalCalendar.fiscalYear(ofDay: first, startMonth: s) == 0)
            #expect(FiscalCalendar.fiscalYear(ofDay: last, startMonth: s) == (s == 1 ? 9999 : 10000))
        }
    }

    @Test func monthNames() {
        #expect(FiscalCalendar.month(named: "april") == 4)
        #expect(FiscalCalendar.month(named: "APRIL") == 4)
        #expect(FiscalCalendar.month(named: "Apr") == 4)
        #expect(FiscalCalendar.month(named: "sept") == 9)
        #expect(FiscalCalendar.month(named: "12") == 12)
        #expect(FiscalCalendar.month(named: "1") == 1)
        #expect(FiscalCalendar.month(named: "13") == nil)
        #expect(FiscalCalendar.month(named: "0") == nil)
        #expect(FiscalCalendar.month(named: "ap") == nil)
        #expect(FiscalCalendar.month(named: "apirl") == nil)
    }

    /// The binder follows the fiscal year: `this fiscal quarter` as a literal and after `within`.
    @Test func theBinderFollowsTheFiscalYear() throws {
        var binder = Binder(schema: .standard, today: Day.parse("2026-06-15")!)
        binder.fiscalYearStartMonth = 4
        func range(_ text: String) throws -> BoundFilter {
            let statement = try Parser.parseAll(SourceText(name: "q", text: text))[0]
            guard case .find(let q) = try binder.bind(statement) else { preconditionFailure("a find") }
            return q.filter
        }
        let q1 = (Day.parse("2026-04-01")!, Day.parse("2026-06-30")!)
        let fy2026 = (Day.parse("2025-04-01")!, Day.parse("2026-03-31")!)
        guard case .test(_, .range(let lo, let hi)) = try range("find opportunities where close_date in this fiscal quarter") else {
            Issue.record("not a range"); return
        }
        #expect((lo, hi) == q1)
        guard case .test(_, .range(let lo2, let hi2)) = try range("find opportunities where close_date within last fiscal year") else {
            Issue.record("not a range"); return
        }
        #expect((lo2, hi2) == fy2026)
        guard case .test(_, .range(let lo3, _)) = try range("find opportunities where close_date >= next fiscal quarter") else {
            Issue.record("not a range"); return
        }
        #expect(lo3 == Day.parse("2026-07-01")!)
        // The default is the calendar.
        binder.fiscalYearStartMonth = 1
        guard case .test(_, .range(let lo4, let hi4)) = try range("find opportunities where close_date in this fiscal year") else {
            Issue.record("not a range"); return
        }
        #expect((lo4, hi4) == (Day.parse("2026-01-01")!, Day.parse("2026-12-31")!))
    }
}
