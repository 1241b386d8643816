/// Where a statement's time went, for `--timer` and `.timer on`:
/// `time: total 1.234 ms (parse 0.010, plan 0.020, execute 1.100, output 0.104)`.
struct StatementTiming {
    private var marks: [ContinuousClock.Instant]

    init(start: ContinuousClock.Instant) { marks = [start] }

    mutating func parsed() { marks.append(.now) }
    /// Binding counts as planning.
    mutating func planned() { marks.append(.now) }
    mutating func executed() {
        if marks.count < 3 { marks.append(marks.last!) }  // no separate planning step
        marks.append(.now)
    }
    mutating func written() { marks.append(.now) }

    var summary: String {
        let now = ContinuousClock.now
        var m = marks
        while m.count < 5 { m.append(m.last ?? now) }
        func ms(_ a: Int, _ b: Int) -> String { StatementTiming.milliseconds(m[b] - m[a]) }
        return "time: total \(ms(0, 4)) ms (parse \(ms(0, 1)), plan \(ms(1, 2)), execute \(ms(2, 3)), output \(ms(3, 4)))"
    }

    static func milliseconds(_ d: Duration) -> String {
        let (seconds, attoseconds) = d.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        return Value.decimalString(micros, places: 3)
    }
}
