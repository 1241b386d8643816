/// One cell's value, as it leaves the engine for output or enters it as a literal.
public enum Value: Hashable, Sendable {
    case null
    case int(Int64)
    /// Integer cents.
    case money(Int64)
    /// Integer hundredths of a percent point (12.5 % = 1250).
    case percent(Int64)
    /// A plain number with two decimal places, in hundredths (an average of ints).
    case decimal(Int64)
    case bool(Bool)
    /// Days since 1970-01-01.
    case date(Int64)
    /// Seconds since the epoch, UTC.
    case datetime(Int64)
    case text(String)

    public var isNull: Bool { self == .null }

    /// Plain text for csv, tsv and other machine formats: ISO dates, two-place decimals, no separators.
    public var plainText: String {
        switch self {
        case .null: ""
        case .int(let v): String(v)
        case .money(let c), .percent(let c), .decimal(let c): Value.decimalString(c, places: 2)
        case .bool(let b): b ? "true" : "false"
        case .date(let d): Day.format(d)
        case .datetime(let s): Day.formatDateTime(s)
        case .text(let t): t
        }
    }

    /// `12345` cents -> "123.45"; exact, no binary floating point involved.
    public static func decimalString(_ scaled: Int64, places: Int) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let negative = scaled < 0
        let magnitude = scaled.magnitude
        let whole = magnitude / UInt64(scale)
        let frac = String(magnitude % UInt64(scale))
        let padded = String(repeating: "0", count: places - frac.count) + frac
        return (negative ? "-" : "") + "\(whole)." + padded
    }
}

/// The value stored in integer columns for "no value".
public let nullInt: Int64 = .min
