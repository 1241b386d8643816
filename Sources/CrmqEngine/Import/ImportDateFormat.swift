/// A `date format "dd.mm.yyyy"` pattern: days `dd` or `d`, months `mm` or `m`, years `yyyy` or `yy`
/// (`yy` is 2000 + yy below 70, else 1900 + yy), anything else as written. A datetime cell may
/// carry a time after the date: ` HH:MM[:SS]` or `THH:MM[:SS]`, with an optional `Z`.
public struct ImportDateFormat: Equatable, Sendable {
    enum Piece: Equatable, Sendable {
        case day(exact: Bool), month(exact: Bool), year(digits: Int), literal(UInt8)
    }
    let pieces: [Piece]
    /// The pattern as written, for messages.
    public let text: String

    /// Nil when the pattern lacks a day, a month or a year, or repeats one.
    public init?(_ pattern: String) {
        var pieces: [Piece] = []
        let b = Array(pattern.utf8)
        var i = 0
        func run(_ c: UInt8) -> Int {
            var n = 0
            while i + n < b.count && b[i + n] == c { n += 1 }
            return n
        }
        while i < b.count {
            let c = b[i]
            let n = run(c)
            switch (c, n) {
            case (UInt8(ascii: "d"), 1...2): pieces.append(.day(exact: n == 2)); i += n
            case (UInt8(ascii: "m"), 1...2): pieces.append(.month(exact: n == 2)); i += n
            case (UInt8(ascii: "y"), 2), (UInt8(ascii: "y"), 4): pieces.append(.year(digits: n)); i += n
            case (UInt8(ascii: "d"), _), (UInt8(ascii: "m"), _), (UInt8(ascii: "y"), _): return nil
            default: pieces.append(.literal(c)); i += 1
            }
        }
        let days = pieces.filter { if case .day = $0 { true } else { false } }.count
        let months = pieces.filter { if case .month = $0 { true } else { false } }.count
        let years = pieces.filter { if case .year = $0 { true } else { false } }.count
        guard days == 1, months == 1, years == 1 else { return nil }
        self.pieces = pieces
        self.text = pattern
    }

    /// The day number of `text` read by the pattern, and how many bytes it used; nil when it does not fit.
    func day(_ text: Substring.UTF8View) -> (day: Int64, used: Int)? {
        let b = Array(text)
        var i = 0, d = 0, m = 0, y = 0
        func digits(min: Int, max: Int) -> Int? {
            var n = 0, v = 0
            while n < max, i + n < b.count, b[i + n] >= 48, b[i + n] <= 57 { v = v * 10 + Int(b[i + n] - 48); n += 1 }
            guard n >= min else { return nil }
            i += n
            return v
        }
        for p in pieces {
            switch p {
            case .day(let exact): guard let v = digits(min: exact ? 2 : 1, max: 2) else { return nil }; d = v
            case .month(let exact): guard let v = digits(min: exact ? 2 : 1, max: 2) else { return nil }; m = v
            case .year(let n):
                guard let v = digits(min: n, max: n) else { return nil }
                y = n == 4 ? v : (v < 70 ? 2000 + v : 1900 + v)
            case .literal(let c):
                guard i < b.count, b[i] == c else { return nil }
                i += 1
            }
        }
        guard Day.isValid(year: y, month: m, day: d) else { return nil }
        return (Day.from(year: y, month: m, day: d), i)
    }
}
