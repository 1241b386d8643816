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

    /// Sorts `elements` as `sort(by:)` does (stably), checking between blocks: runs of 32,768
    /// elements are sorted on their own, then merged pairwise, a check per run and per 32,768
    /// merged. The comparison itself carries no check, so a sort costs what a plain one does.
    @inline(__always)
    func sort<T>(_ elements: inout [T], by areInIncreasingOrder: (T, T) -> Bool) throws(Diagnostic) {
        let run = 1 << 15
        let n = elements.count
        if n <= run {
            elements.sort(by: areInIncreasingOrder)
            return
        }
        var start = 0
        while start < n {
            try check()
            let end = min(start + run, n)
            elements[start..<end].sort(by: areInIncreasingOrder)
            start = end
        }
        var source = elements
        var target = elements
        var width = run
        while width < n {
            var lo = 0
            while lo < n {
                let mid = min(lo + width, n), hi = min(lo + 2 * width, n)
                var i = lo, j = mid, k = lo
                // Stable: on a tie the left run's element goes first.
                while i < mid && j < hi {
                    if k & Cancellation.blockMask == 0 { try check() }
                    if areInIncreasingOrder(source[j], source[i]) {
                        target[k] = source[j]; j += 1
                    } else {
                        target[k] = source[i]; i += 1
                    }
                    k += 1
                }
                while i < mid { target[k] = source[i]; i += 1; k += 1 }
                while j < hi { target[k] = source[j]; j += 1; k += 1 }
                lo = hi
            }
            swap(&source, &target)
            width *= 2
        }
        elements = source
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
