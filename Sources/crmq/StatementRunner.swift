import CrmqEngine
import Foundation

/// Runs what the user typed on a worker thread, against a copy of the session, while the main
/// thread watches for Ctrl-C.
///
/// Ctrl-C sets the run's cancellation token; the engine checks it at least once per block of rows,
/// so the statement stops within 100 ms with a "cancelled" diagnostic, having changed nothing. The
/// main thread waits for the worker to end and joins it, so when the prompt comes back no thread
/// of the statement is left running.
///
/// The prompt then adopts the worker's session whether the run finished or was cancelled: the
/// statements before the cancelled one on the same line stand (settings they set, changes they
/// committed, which are in the data file already); the cancelled statement changed nothing, and
/// an open transaction was rolled back as after any failing statement.
struct StatementRunner {
    let interrupts: InterruptWatch
    let colorErrors: Bool
    /// The test hook of `CRMQ_TEST_HOLD_STATEMENTS` (nil outside tests).
    let hold: TestHold?

    /// Deep enough for every stage's recursion on the deepest statement the parser accepts, as
    /// for scripts (see `LargeStack`).
    static let workerStack = LargeStack.bytes

    func run(_ source: SourceText, in session: Session, paged: PagedOutput? = nil) -> (Session, Session.Outcome) {
        let token = CancellationToken(hold: hold)
        let job = Job(session: session, source: source, cancellation: Cancellation(token),
                      colorErrors: colorErrors, paged: paged)
        guard let done = job.start() else {
            // No thread or pipe (out of resources): run here, without Ctrl-C.
            job.work()
            return job.result()
        }
        interrupts.drain()
        while interrupts.wait(forReadable: done) {
            // Ctrl-C: the worker stops at its next check; keep waiting for it (another Ctrl-C changes nothing).
            // The terminal echoed ^C where the cursor was: the diagnostic starts on a line of its own.
            if !token.isCancelled { StandardStreams.writeAll(STDERR_FILENO, Array("\n".utf8)) }
            token.cancel()
        }
        job.join()
        return job.result()
    }
}

/// One statement's run on its own thread: the session copy it works on, and a pipe that becomes
/// readable when it is done. The thread is joined, so nothing of it outlives the run.
private final class Job: @unchecked Sendable {
    private var session: Session
    private var outcome = Session.Outcome.success
    private let source: SourceText
    private let cancellation: Cancellation
    private let colorErrors: Bool
    private let paged: PagedOutput?
    private var fds: [Int32] = [-1, -1]
    private var thread: pthread_t?

    init(session: Session, source: SourceText, cancellation: Cancellation, colorErrors: Bool, paged: PagedOutput?) {
        self.session = session
        self.paged = paged
        self.source = source
        self.cancellation = cancellation
        self.colorErrors = colorErrors
    }

    deinit { fds.filter { $0 >= 0 }.forEach { close($0) } }

    /// Starts the worker thread; returns the pipe end that becomes readable when it is done,
    /// or nil when no thread could be started.
    func start() -> Int32? {
        guard pipe(&fds) == 0 else { return nil }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, StatementRunner.workerStack)
        var handle = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let started = pthread_create(&handle, &attributes, { context in
            let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
            // Named so that tests (and `top -H`) can tell the statement's thread from the others.
            Thread.current.name = "crmq-statement"
            job.work()
            var byte: UInt8 = 1
            _ = write(job.fds[1], &byte, 1)
            return nil
        }, context)
        guard started == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            return nil
        }
        thread = handle
        return fds[0]
    }

    /// Runs the statement (on the worker thread, or here when none could be started).
    func work() {
        var console = WorkerConsole(paged: paged, colorErrors: colorErrors)
        outcome = session.run(source, on: &console, cancellation: cancellation)
        console.flush()
    }

    /// Waits for the worker thread to end.
    func join() {
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    /// The session after the run, and how it ended; only read after `join` (or `work` here).
    func result() -> (Session, Session.Outcome) { (session, outcome) }
}

/// A console for the worker: buffered like `StandardConsole`, writing to standard output and
/// error, or by way of the pager (see `Pager`) when there is one.
private struct WorkerConsole: Console {
    let paged: PagedOutput?
    let colorErrors: Bool
    private var buffer: [UInt8] = []

    init(paged: PagedOutput?, colorErrors: Bool) {
        self.paged = paged
        self.colorErrors = colorErrors
    }

    private func emit(_ fd: Int32, _ bytes: [UInt8]) {
        if let paged { paged.write(fd, bytes) } else { StandardStreams.writeAll(fd, bytes) }
    }

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func error(_ text: String) {
        flush()
        emit(STDERR_FILENO, Array(text.utf8))
    }

    mutating func flush() {
        if !buffer.isEmpty { emit(STDOUT_FILENO, buffer) }
        buffer.removeAll(keepingCapacity: true)
    }
}
