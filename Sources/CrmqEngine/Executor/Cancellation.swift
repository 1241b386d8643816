import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The switch that stops a running statement: Ctrl-C sets it from another thread, the engine's
/// loops read it. One token is made for each piece of text a prompt or a script runs.
///
/// A reference type because identity is the point: the thread that watches for Ctrl-C and the
/// thread that runs the statement hold the same token.
public final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)
    /// The test hook (see `TestHold`): nil outside tests.
    let hold: TestHold?

    public init(hold: TestHold? = nil) {
        self.hold = hold
    }

    /// Asks the statement to stop; it does at its next check (within 100 ms).
    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// A test hook: a statement that reaches its scan calls `started` (the command line prints a marker
/// on standard error), then spins, checking its cancellation, until it is cancelled or times out.
/// Tests then know the statement is running without guessing how long it takes
/// (`CRMQ_TEST_HOLD_STATEMENTS=1`, read once at start-up; see `TestHold.fromEnvironment`).
public struct TestHold: Sendable {
    public let started: @Sendable () -> Void

    public init(started: @escaping @Sendable () -> Void) { self.started = started }

    /// The marker the command line prints on standard error when a statement is held.
    public static let marker = "crmq-test: statement held"

    /// The hook when `CRMQ_TEST_HOLD_STATEMENTS=1` is set: it prints `marker` on standard error.
    public static func fromEnvironment() -> TestHold? {
        guard let value = getenv("CRMQ_TEST_HOLD_STATEMENTS"), String(cString: value) == "1" else { return nil }
        return TestHold {
            let line = Array((marker + "\n").utf8)
            line.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
    }
}

/// What a statement checks to know whether to stop: the run's token (Ctrl-C) and the statement's
/// deadline (`.timeout`). Passed down explicitly from the session to every long loop, which calls
/// `check()` once per block of rows (4,096 to 65,536): an atomic load, and a clock read when there
/// is a deadline, so a scan does not slow down measurably.
public struct Cancellation: Sendable {
    let token: CancellationToken?
    let deadline: ContinuousClock.Instant?
    let timeout: Duration?

    /// Never cancelled: for tests and tools that run statements to their end.
    public static let none = Cancellation(token: nil, deadline: nil, timeout: nil)

    /// Cancelled through `token`, with no deadline yet (the session sets one per statement).
    public init(_ token: CancellationToken) {
        self.init(token: token, deadline: nil, timeout: nil)
    }

    init(token: CancellationToken?, deadline: ContinuousClock.Instant?, timeout: Duration?) {
        self.token = token
        self.deadline = deadline
        self.timeout = timeout
    }

    /// The same token, with a deadline `timeout` from now (none when nil): one statement's run.
    func statement(timeout: Duration?) -> Cancellation {
        Cancellation(token: token, deadline: timeout.map { ContinuousClock.now + $0 }, timeout: timeout)
    }

    /// Rows between two checks in a tight loop: a power of two, so `i & blockMask == 0` picks them.
    static let blockMask = (1 << 14) - 1

    /// Why the statement must stop, or nil to go on.
    public var reason: Reason? {
        if token?.isCancelled == true { return .interrupted }
        if let deadline, ContinuousClock.now >= deadline { return .timedOut }
        return nil
    }

    public var isCancelled: Bool { reason != nil }

    public enum Reason: Sendable, Equatable {
        /// Ctrl-C.
        case interrupted
        /// The statement ran longer than `.timeout`.
        case timedOut
    }

    /// Throws the cancellation's diagnostic when the statement must stop.
    @inline(__always)
    public func check() throws(Diagnostic) {
        if let reason { throw diagnostic(reason) }
    }

    /// `cancelled`, or `cancelled: the statement ran longer than the 2 s timeout (.timeout)`.
    func diagnostic(_ reason: Reason) -> Diagnostic {
        var d: Diagnostic
        switch reason {
        case .interrupted:
            d = Diagnostic(.executor, "cancelled")
        case .timedOut:
            let limit = timeout.map(Cancellation.describe) ?? "?"
            d = Diagnostic(.executor, "cancelled: the statement ran longer than the \(limit) timeout (.timeout)",
                           hint: "it changed nothing; .timeout off (or no --timeout) lifts the limit")
        }
        d.cancelled = reason
        return d
    }

    /// The test hook: when set, says the statement started, then waits (spinning, as real work
    /// would) until cancelled. Does nothing outside tests.
    func holdIfTesting() throws(Diagnostic) {
        guard let hold = token?.hold else { return }
        hold.started()
        while true {
            try check()
            sched_yield()
        }
    }

    /// `2 s`, `0.5 s`, `1.25 s`.
    static func describe(_ d: Duration) -> String {
        let ms = Int64(d.components.seconds) * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        if ms % 1000 == 0 { return "\(ms / 1000) s" }
        var text = String(Double(ms) / 1000)
        while text.hasSuffix("0") { text.removeLast() }
        return text + " s"
    }

    /// Sorts `elements` with `areInIncreasingOrder`, checking once per block of comparisons.
    /// Inlined so that each caller's comparison is specialised into the sort, as a plain `sort` is.
    @inline(__always)
    func sort<T>(_ elements: inout [T], by areInIncreasingOrder: (T, T) -> Bool) throws(Diagnostic) {
        var comparisons = 0
        do {
            try elements.sort { a, b in
                comparisons &+= 1
                if comparisons & Cancellation.blockMask == 0 { try check() }
                return areInIncreasingOrder(a, b)
            }
        } catch let d as Diagnostic {
            throw d
        } catch {
            preconditionFailure("only the cancellation check throws here")
        }
    }
}

/// A console seen through a statement's cancellation: writers ask it `isCancelled` once per block
/// of rows and stop, so that Ctrl-C also stops the writing of a million-row result.
struct CancellableSink<Base: Console>: OutputSink {
    var base: Base
    let cancellation: Cancellation

    mutating func write(_ text: String) { base.write(text) }

    var isCancelled: Bool { cancellation.isCancelled }
}
