import CrmqEngine
import Foundation

/// Runs what the user typed on a worker thread, against a copy of the session, while the main
/// thread watches for Ctrl-C.
///
/// The engine has no cancellation points, so a cancelled statement is abandoned rather than
/// stopped: the prompt comes back at once, the statement's output from then on and its copy of the
/// session are dropped, and its thread runs on to its end in the background. A statement that
/// finishes hands back its session (settings changed by `.format`, indexes built), which the
/// prompt adopts. Input that may change data (and so write a data file) is not abandoned: a
/// thread left running would write what the prompt's session no longer has.
struct StatementRunner {
    let interrupts: InterruptWatch
    let colorErrors: Bool

    enum Result {
        case finished(Session, Session.Outcome)
        case cancelled
    }

    /// Deep enough for the parser's recursion on any statement a person types.
    static let workerStack = 64 << 20

    func run(_ source: SourceText, in session: Session, cancellable: Bool, paged: PagedOutput? = nil) -> Result {
        let gate = OutputGate(paged: paged)
        let colorErrors = self.colorErrors
        guard let job = Job() else {
            // No pipe to wait on (out of file descriptors): run here, without Ctrl-C.
            var copy = session
            var console = ForwardingConsole(gate: gate, colorErrors: colorErrors)
            let outcome = copy.run(source, on: &console)
            console.flush()
            return .finished(copy, outcome)
        }
        let thread = Thread { [job, gate] in
            var copy = session
            var console = ForwardingConsole(gate: gate, colorErrors: colorErrors)
            let outcome = copy.run(source, on: &console)
            console.flush()
            job.finish(copy, outcome)
        }
        thread.stackSize = StatementRunner.workerStack
        interrupts.drain()
        thread.start()
        var told = false
        while true {
            let interrupted = interrupts.wait(forReadable: job.doneSignal)
            // The statement may have ended just as Ctrl-C came: then its result stands.
            if let (finished, outcome) = job.result() { return .finished(finished, outcome) }
            guard interrupted else { continue }
            if cancellable {
                gate.close()
                return .cancelled
            }
            if !told {
                gate.write(STDERR_FILENO, Array("\nthis changes data, so it cannot be cancelled: it finishes first\n".utf8))
                told = true
            }
        }
    }
}

/// One statement's run: its result once finished, and a pipe that becomes readable then.
private final class Job: @unchecked Sendable {
    private let lock = NSLock()
    private var finished: (Session, Session.Outcome)?
    private let fds: [Int32]

    init?() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        self.fds = fds
    }

    /// The pipe is closed only here, after the worker has written to it (the worker holds the job
    /// until then), so a write never meets a closed pipe.
    deinit { fds.forEach { close($0) } }

    var doneSignal: Int32 { fds[0] }

    func finish(_ session: Session, _ outcome: Session.Outcome) {
        lock.withLock { finished = (session, outcome) }
        var byte: UInt8 = 1
        _ = write(fds[1], &byte, 1)
    }

    func result() -> (Session, Session.Outcome)? { lock.withLock { finished } }
}

/// Where a worker's output goes: standard output and error, until the statement is abandoned.
private final class OutputGate: @unchecked Sendable {
    private let lock = NSLock()
    private var open = true
    /// Standard output by way of the pager (see `Pager`), when there is one.
    private let paged: PagedOutput?

    init(paged: PagedOutput? = nil) { self.paged = paged }

    func write(_ fd: Int32, _ bytes: [UInt8]) {
        lock.withLock {
            guard open else { return }
            if let paged { paged.write(fd, bytes) } else { StandardStreams.writeAll(fd, bytes) }
        }
    }

    /// Nothing more gets through: the prompt is back, and a late result must not land on it.
    func close() { lock.withLock { open = false } }
}

/// A console for the worker: buffered like `StandardConsole`, written through the gate.
private struct ForwardingConsole: Console {
    let gate: OutputGate
    let colorErrors: Bool
    private var buffer: [UInt8] = []

    init(gate: OutputGate, colorErrors: Bool) {
        self.gate = gate
        self.colorErrors = colorErrors
    }

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func error(_ text: String) {
        flush()
        gate.write(STDERR_FILENO, Array(text.utf8))
    }

    mutating func flush() {
        if !buffer.isEmpty { gate.write(STDOUT_FILENO, buffer) }
        buffer.removeAll(keepingCapacity: true)
    }
}
