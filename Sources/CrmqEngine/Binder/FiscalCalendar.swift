/// Fiscal years and quarters for a fiscal year that starts in any month (`set fiscal year start =
/// april`). A fiscal year is named by the calendar year in which it ends, as Salesforce does by
/// default: with an April start, fiscal 2027 runs from 2026-04-01 to 2027-03-31, so 2026-06-15
/// lies in fiscal 2027, Q1. With a January start fiscal periods are calendar periods.
public enum FiscalCalendar {
    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                                    "September", "October", "November", "December"]

    /// The month (1-12) a name or number stands for: `april`, `Apr`, `4`; nil for anything else.
    public static func month(named text: String) -> Int? {
        if let n = Int(text) { return (1...12).contains(n) ? n : nil }
        let t = text.lowercased()
        guard t.count >= 3 else { return nil }
        return monthNames.firstIndex { $0.lowercased().hasPrefix(t) }.map { $0 + 1 }
    }

    /// The fiscal year the day lies in, named by the calendar year it ends in.
    public static func fiscalYear(ofDay day: Int64, startMonth: Int) -> Int {
        let (y, m, _) = Day.civil(day)
        return startMonth == 1 || m < startMonth ? y : y + 1
    }

    /// The fiscal quarter (1-4) the day lies in.
    public static func fiscalQuarter(ofDay day: Int64, startMonth: Int) -> Int {
        let (_, m, _) = Day.civil(day)
        return monthsIntoYear(m, startMonth) / 3 + 1
    }

    /// The whole fiscal quarter or year `offset` periods from the one holding `today`, in days.
    public static func period(offset: Int, quarters: Bool, today: Int64, startMonth: Int) -> (lo: Int64, hi: Int64) {
        let (y, m, _) = Day.civil(today)
        let into = monthsIntoYear(m, startMonth)
        // The first month of the period holding today, counted from the first month there is.
        let months = quarters ? 3 : 12
        let first = y * 12 + (m - 1) - (quarters ? into % 3 : into)
        // Floored: with an April start, January of year 0 is in a fiscal year that began in year -1.
        let year = first >= 0 ? first / 12 : (first - 11) / 12
        let start = Day.addMonths(Day.from(year: year, month: first - year * 12 + 1, day: 1), offset * months)
        return (start, Day.addMonths(start, months) - 1)
    }

    /// Whole months from the start of the fiscal year to month `m` (0-11).
    private static func monthsIntoYear(_ m: Int, _ startMonth: Int) -> Int {
        (m - startMonth + 12) % 12
    }
}

extension FiscalCalendar {
    /// `fiscal 2027 runs from 2026-04-01 to 2027-03-31; 2026-06-15 is in its Q1`.
    public static func describeYear(containing day: Int64, startMonth: Int) -> String {
        let (lo, hi) = period(offset: 0, quarters: false, today: day, startMonth: startMonth)
        return "fiscal \(fiscalYear(ofDay: day, startMonth: startMonth)) runs from \(Day.format(lo)) to \(Day.format(hi)); "
            + "\(Day.format(day)) is in its Q\(fiscalQuarter(ofDay: day, startMonth: startMonth))"
    }
}
