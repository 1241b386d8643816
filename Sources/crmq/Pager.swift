import CrmqEngine
import Foundation

/// `$PAGER` at the prompt, as psql has: a result taller than the screen goes through it.
///
/// Only for a person at a terminal: never on a pipe, with `--no-edit`, when `TERM` is `dumb`, or
/// when `PAGER` is set but empty (as psql). The command runs through `/bin/sh -c`, as psql runs it;
/// without `PAGER` it is `less -FRSX` (quit at once when it fits, keep colours, cut long lines,
/// leave the screen as it is).
struct Pager {
    static let defaultCommand = "less -FRSX"

    let command: String

    /// The pager for this run, or nil when results are never paged.
    static func available(lineEditing: Bool) -> Pager? {
        let env = ProcessInfo.processInfo.environment
        guard lineEditing, Terminal.isTerminal(STDIN_FILENO), Terminal.isTerminal(STDOUT_FILENO),
              env["TERM"] != "dumb" else { return nil }
        let command = env["PAGER"] ?? defaultCommand
        guard !command.allSatisfy(\.isWhitespace) else { return nil }
        return Pager(command: command)
    }

    /// The output of one statement, paged when it grows taller than the screen; nil when `.pager off`.
    func output(for display: DisplayOptions) -> PagedOutput? {
        guard display.pager, let rows = Terminal.rows() else { return nil }
        return PagedOutput(command: command, screenRows: rows)
    }
}

/// One statement's standard output on its way to the terminal or the pager.
///
/// Results are held back until they are taller than the screen (then the pager starts and gets
/// them all) or the statement ends (then they go to the terminal as they are). A diagnostic on
/// standard error first lets out what was held back, so the two keep their order. Called from the
/// statement's worker thread and, at the end, from the prompt's thread, hence the lock.
final class PagedOutput: @unchecked Sendable {
    private enum State {
        /// Not yet known: the lines so far.
        case holding([UInt8], lines: Int)
        /// Straight to the terminal.
        case direct
        /// Into the pager's input; `fd` is -1 once the pager has quit.
        case paging(fd: Int32, pid: pid_t)
    }

    private let lock = NSLock()
    private let command: String
    private let screenRows: Int
    private var state: State = .holding([], lines: 0)
    /// How SIGPIPE was handled before the pager started.
    private var previousSIGPIPE: __sighandler_t?

    init(command: String, screenRows: Int) {
        self.command = command
        self.screenRows = screenRows
    }

    func write(_ fd: Int32, _ bytes: [UInt8]) {
        lock.withLock {
            guard fd == STDOUT_FILENO else {
                letOut()
                StandardStreams.writeAll(fd, bytes)
                return
            }
            switch state {
            case .holding(var held, let lines):
                held += bytes
                let total = lines + bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                // Taller than the screen less the line the next prompt takes.
                if total >= screenRows {
                    startPager(with: held)
                } else {
                    state = .holding(held, lines: total)
                }
            case .direct:
                StandardStreams.writeAll(STDOUT_FILENO, bytes)
            case .paging(let input, let pid):
                if input >= 0 && !Self.writeAll(input, bytes) {
                    // The pager has quit (q): the rest of the result is dropped.
                    close(input)
                    state = .paging(fd: -1, pid: pid)
                }
            }
        }
    }

    /// Ends the statement's output: lets out what is held, or waits until the person leaves the pager.
    func finish() {
        let pid: pid_t? = lock.withLock {
            switch state {
            case .holding:
                letOut()
                return nil
            case .direct:
                return nil
            case .paging(let input, let pid):
                if input >= 0 { close(input) }
                state = .direct
                return pid
            }
        }
        guard let pid else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Writing to a pager that has quit must not end crmq; what was set before comes back with the prompt.
        signal(SIGPIPE, lock.withLock { previousSIGPIPE })
    }

    /// Sends what is held to the terminal; the rest of the output goes there too.
    private func letOut() {
        if case .holding(let held, _) = state {
            StandardStreams.writeAll(STDOUT_FILENO, held)
            state = .direct
        }
    }

    private func startPager(with held: [UInt8]) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            StandardStreams.writeAll(STDOUT_FILENO, held)
            state = .direct
            return
        }
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        let argv = ["/bin/sh", "-c", command]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, &cArgs, environ)
        close(fds[0])
        guard spawned == 0 else {
            close(fds[1])
            StandardStreams.writeAll(STDOUT_FILENO, held)
            state = .direct
            return
        }
        // A pager quit early closes the pipe: the write fails with EPIPE instead of ending crmq.
        previousSIGPIPE = signal(SIGPIPE, SIG_IGN)
        state = .paging(fd: fds[1], pid: pid)
        if !Self.writeAll(fds[1], held) {
            close(fds[1])
            state = .paging(fd: -1, pid: pid)
        }
    }

    /// Writes every byte; false when the reader has gone.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}

extension Terminal {
    /// The terminal's height in rows, or `$LINES` when the terminal does not say.
    static func rows(of fd: Int32 = STDOUT_FILENO) -> Int? {
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
        return ProcessInfo.processInfo.environment["LINES"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }
}
