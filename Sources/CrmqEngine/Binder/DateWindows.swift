/// The day ranges that relative dates stand for, relative to a pinned "today".
public enum DateWindows {
    /// `[lo, hi]` in days, inclusive.
    public static func range(of window: Window, today: Int64, fiscalYearStartMonth: Int = 1) -> (lo: Int64, hi: Int64) {
        switch window {
        case .last(let n, let unit): return (back(today, n, unit), today)
        case .next(let n, let unit): return (today, forward(today, n, unit))
        case .period(let offset, let unit):
            return period(offset: offset, unit: unit, today: today, fiscalYearStartMonth: fiscalYearStartMonth)
        }
    }

    /// The whole calendar period `offset` periods from the one holding today
    /// (weeks run Monday to Sunday, quarters are calendar quarters), or fiscal period.
    public static func period(offset: Int, unit: TimeUnit, today: Int64,
                              fiscalYearStartMonth: Int = 1) -> (lo: Int64, hi: Int64) {
        let (y, m, _) = Day.civil(today)
        switch unit {
        case .fiscalQuarter, .fiscalYear:
            return FiscalCalendar.period(offset: offset, quarters: unit == .fiscalQuarter, today: today,
                                         startMonth: fiscalYearStartMonth)
        case .day:
            return (today + Int64(offset), today + Int64(offset))
        case .week:
            let monday = today - Int64(Day.weekday(today)) + Int64(offset * 7)
            return (monday, monday + 6)
        case .month:
            let start = Day.addMonths(Day.from(year: y, month: m, day: 1), offset)
            return (start, Day.addMonths(start, 1) - 1)
        case .quarter:
            let q0 = Day.from(year: y, month: (m - 1) / 3 * 3 + 1, day: 1)
            let start = Day.addMonths(q0, offset * 3)
            return (start, Day.addMonths(start, 3) - 1)
        case .year:
            let start = Day.from(year: y + offset, month: 1, day: 1)
            return (start, Day.from(year: y + offset + 1, month: 1, day: 1) - 1)
        }
    }

    /// `within last N units` for any N reaches past every date there is (years 1 to 9999) once N
    /// spans 20,000 years: a larger N means the same window, and must not overflow.
    private static func clamped(_ n: Int64, _ unit: TimeUnit) -> Int64 {
        let years: Int64 = 20_000
        let most: Int64 = switch unit {
        case .day: years * 366
        case .week: years * 53
        case .month: years * 12
        case .quarter, .fiscalQuarter: years * 4
        case .year, .fiscalYear: years
        }
        return min(n, most)
    }

    private static func back(_ day: Int64, _ n: Int64, _ unit: TimeUnit) -> Int64 {
        let n = clamped(n, unit)
        return switch unit {
        case .day: day - n
        case .week: day - 7 * n
        case .month: Day.addMonths(day, -Int(n))
        case .quarter, .fiscalQuarter: Day.addMonths(day, -3 * Int(n))
        case .year, .fiscalYear: Day.addMonths(day, -12 * Int(n))
        }
    }

    private static func forward(_ day: Int64, _ n: Int64, _ unit: TimeUnit) -> Int64 {
        let n = clamped(n, unit)
        return switch unit {
        case .day: day + n
        case .week: day + 7 * n
        case .month: Day.addMonths(day, Int(n))
        case .quarter, .fiscalQuarter: Day.addMonths(day, 3 * Int(n))
        case .year, .fiscalYear: Day.addMonths(day, 12 * Int(n))
        }
    }
}
