/// A report's period, resolved against today: its first and last day, and how a statement says it.
struct ReportPeriod: Sendable, Equatable {
    /// First and last day, inclusive (days since 1970-01-01).
    var lo: Int64
    var hi: Int64
    /// How the period was given: a window of the language, or two dates.
    var form: Form
    /// Statements test it as `between FIRST and LAST`, whatever its form: a period resolved against
    /// another day than the session's today (`as of`) must not be resolved again when they run.
    var isSpelledAsDates = false

    enum Form: Sendable, Equatable {
        case window(Window)
        case between
    }

    init(window: Window, today: Int64, fiscalYearStartMonth: Int) {
        let r = DateWindows.range(of: window, today: today, fiscalYearStartMonth: fiscalYearStartMonth)
        lo = r.lo
        hi = r.hi
        form = .window(window)
    }

    init(from lo: Int64, to hi: Int64) {
        self.lo = lo
        self.hi = hi
        form = .between
    }

    /// How the user would say it: `this quarter`, `last 90 days`, `between 2026-01-01 and 2026-03-31`.
    var phrase: String {
        switch form {
        case .window(.period(let offset, let unit)): "\(offset == 0 ? "this" : offset < 0 ? "last" : "next") \(unit.rawValue)"
        case .window(.last(let n, let unit)): "last \(n) \(ReportPeriod.plural(unit))"
        case .window(.next(let n, let unit)): "next \(n) \(ReportPeriod.plural(unit))"
        case .between: "between \(Day.format(lo)) and \(Day.format(hi))"
        }
    }

    /// How a caption says it: `close_date in this quarter (2026-04-01 to 2026-06-30)`, or with two dates
    /// `close_date between 2026-01-01 and 2026-03-31`; as the user put it even when spelled as dates.
    func described(_ field: String) -> String {
        let words = spelledAsDates(false).condition(field)
        return form == .between ? words : "\(words) (\(span))"
    }

    /// The same period, tested in statements by its dates.
    func spelledAsDates(_ yes: Bool = true) -> ReportPeriod {
        var p = self
        p.isSpelledAsDates = yes
        return p
    }

    /// `2026-04-01 to 2026-06-30`.
    var span: String { "\(Day.format(lo)) to \(Day.format(hi))" }

    /// A statement's test of a date or datetime field: `close_date in this quarter`,
    /// `due_at within last 30 days`, `close_date between 2026-01-01 and 2026-03-31`.
    func condition(_ field: String) -> String {
        if isSpelledAsDates { return "\(field) between \(Day.format(lo)) and \(Day.format(hi))" }
        return switch form {
        case .window(.period): "\(field) in \(phrase)"
        case .window: "\(field) within \(phrase)"
        case .between: "\(field) \(phrase)"
        }
    }

    /// The `count` periods of the same length just before this one, as one span: the four
    /// quarters before this quarter; for `last 90 days` or two dates, as many days.
    func before(_ count: Int, today: Int64, fiscalYearStartMonth: Int) -> ReportPeriod {
        if case .window(.period(let offset, let unit)) = form, unit != .day {
            let first = DateWindows.period(offset: offset - count, unit: unit, today: today,
                                           fiscalYearStartMonth: fiscalYearStartMonth)
            let last = DateWindows.period(offset: offset - 1, unit: unit, today: today,
                                          fiscalYearStartMonth: fiscalYearStartMonth)
            return ReportPeriod(from: first.lo, to: last.hi)
        }
        let days = hi - lo + 1
        return ReportPeriod(from: lo - Int64(count) * days, to: lo - 1)
    }

    /// The unit as `within last N ...` spells it (the lexer has no `quarters`).
    private static func plural(_ unit: TimeUnit) -> String {
        switch unit {
        case .day: "days"
        case .week: "weeks"
        case .month: "months"
        case .quarter: "quarter"
        case .year: "years"
        case .fiscalQuarter, .fiscalYear: unit.rawValue
        }
    }
}
