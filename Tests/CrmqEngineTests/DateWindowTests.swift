import Testing
@testable import CrmqEngine

@Suite struct DateWindowTests {
    let today = Day.from(year: 2026, month: 6, day: 15)  // a Monday

    func days(_ w: Window) -> (String, String) {
        let r = DateWindows.range(of: w, today: today)
        return (Day.format(r.lo), Day.format(r.hi))
    }

    @Test func civilRoundTrip() {
        for d in Int64(-800_000)...Int64(800_000) where d % 97 == 0 {
            let (y, m, dd) = Day.civil(d)
            #expect(Day.from(year: y, month: m, day: dd) == d)
        }
        #expect(Day.format(0) == "1970-01-01")
        #expect(Day.weekday(today) == 0)
        #expect(Day.parse("2026-02-29") == nil)
        #expect(Day.parse("2024-02-29") != nil)
    }

    @Test func windows() {
        #expect(days(.last(30, .day)) == ("2026-05-16", "2026-06-15"))
        #expect(days(.next(2, .week)) == ("2026-06-15", "2026-06-29"))
        #expect(days(.last(1, .month)) == ("2026-05-15", "2026-06-15"))
        #expect(days(.period(offset: 0, unit: .week)) == ("2026-06-15", "2026-06-21"))
        #expect(days(.period(offset: -1, unit: .week)) == ("2026-06-08", "2026-06-14"))
        #expect(days(.period(offset: 0, unit: .month)) == ("2026-06-01", "2026-06-30"))
        #expect(days(.period(offset: 1, unit: .month)) == ("2026-07-01", "2026-07-31"))
        #expect(days(.period(offset: 0, unit: .quarter)) == ("2026-04-01", "2026-06-30"))
        #expect(days(.period(offset: -1, unit: .quarter)) == ("2026-01-01", "2026-03-31"))
        #expect(days(.period(offset: -2, unit: .quarter)) == ("2025-10-01", "2025-12-31"))
        #expect(days(.period(offset: 1, unit: .year)) == ("2027-01-01", "2027-12-31"))
    }

    @Test func monthArithmeticClamps() {
        let jan31 = Day.parse("2026-01-31")!
        #expect(Day.format(Day.addMonths(jan31, 1)) == "2026-02-28")
        #expect(Day.format(Day.addMonths(jan31, -2)) == "2025-11-30")
    }
}
