/// Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian, UTC).
///
/// Written by hand rather than with Foundation's Calendar because it sits on hot paths
/// (every date predicate and every date printed) and must give the same answer everywhere.
public enum Day {
    /// Day number of a civil date (Howard Hinnant's days_from_civil).
    public static func from(year: Int, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146097 + doe - 719468)
    }

    /// The civil date of a day number.
    public static func civil(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1, (0...9999).contains(year) else { return false }
        return day <= daysInMonth(year: year, month: month)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Monday = 0 ... Sunday = 6.
    public static func weekday(_ days: Int64) -> Int {
        // 1970-01-01 was a Thursday (3).
        Int(((days % 7) + 7 + 3) % 7)
    }

    /// Adds calendar months, clamping the day to the target month's length (Jan 31 + 1 month = Feb 28).
    public static func addMonths(_ days: Int64, _ months: Int) -> Int64 {
        let (y, m, d) = civil(days)
        let total = y * 12 + (m - 1) + months
        let ny = total >= 0 ? total / 12 : (total - 11) / 12
        let nm = total - ny * 12 + 1
        return from(year: ny, month: nm, day: min(d, daysInMonth(year: ny, month: nm)))
    }

    /// ISO 8601 `YYYY-MM-DD`.
    public static func format(_ days: Int64) -> String {
        let (y, m, d) = civil(days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// ISO 8601 `YYYY-MM-DDTHH:MM:SSZ` for seconds since the epoch.
    public static func formatDateTime(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = Int(seconds - days * 86400)
        return "\(format(days))T\(pad(rest / 3600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2))Z"
    }

    /// Parses `YYYY-MM-DD`; nil when malformed or not a real date.
    public static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              isValid(year: y, month: m, day: d) else { return nil }
        return from(year: y, month: m, day: d)
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS][Z]` into seconds since the epoch.
    public static func parseDateTime(_ text: String) -> Int64? {
        var t = Substring(text)
        if t.hasSuffix("Z") { t = t.dropLast() }
        let halves = t.split(separator: "T", omittingEmptySubsequences: false)
        guard halves.count == 2, let day = parse(String(halves[0])) else { return nil }
        let hms = halves[1].split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(hms.count), hms.allSatisfy({ $0.count == 2 }),
              let h = Int(hms[0]), let mi = Int(hms[1]), h < 24, mi < 60 else { return nil }
        let s = hms.count == 3 ? Int(hms[2]) : 0
        guard let s, s < 60 else { return nil }
        return day * 86400 + Int64(h * 3600 + mi * 60 + s)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
