/// `as of`: the moment a query reads the data at, as a plain value (seconds since the epoch, UTC,
/// inclusive) that the bound statement carries; how the data is sliced is the executor's business.
extension Binder {
    /// The cut-off of `as of`: the end of the day named (the last second), of a period's last
    /// day, or the date-time itself. A moment after the end of today means now: no history is
    /// recorded past it, so `as of next year` is `as of today`.
    func cutoff(_ asOf: AsOfSyntax?) throws(Diagnostic) -> Int64? {
        guard let asOf else { return nil }
        let endOfToday = Binder.endOfDay(today)
        let moment: Int64
        switch asOf.point {
        case .date(let d): moment = Binder.endOfDay(d)
        case .datetime(let s): moment = s
        case .relativeDay(let offset): moment = Binder.endOfDay(today + Int64(offset))
        case .period(let offset, let unit):
            let (_, hi) = DateWindows.period(offset: offset, unit: unit, today: today, fiscalYearStartMonth: fiscalYearStartMonth)
            moment = Binder.endOfDay(hi)
        default:
            throw Diagnostic(.binder, "\"as of\" needs a date or a period", at: asOf.range,
                             hint: "as of 2026-03-31, as of today, as of last quarter")
        }
        return min(moment, endOfToday)
    }

    /// The last second of day `d`.
    static func endOfDay(_ d: Int64) -> Int64 { (d + 1) * 86_400 - 1 }
}
