import Foundation

/// Ctrl-C outside the line editor: it cancels a running statement, or cuts a plain line read short.
///
/// SIGINT arrives through a dispatch source rather than a C signal handler, so that no global
/// state is needed: the source's handler writes a byte into a pipe, and whoever waits polls that
/// pipe beside what it waits for (standard input, a statement's end).
/// While libedit reads a line, Ctrl-C is an ordinary key instead (see `EditLineReader`).
final class InterruptWatch {
    private let source: DispatchSourceSignal
    private let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var fds: [Int32] = [0, 0]
        if pipe(&fds) != 0 { fds = [-1, -1] }
        for fd in fds where fd >= 0 {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        (readEnd, writeEnd) = (fds[0], fds[1])
        // The default action would end crmq; dispatch delivers the signal to the source instead.
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [writeEnd] in
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }
        source.resume()
    }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
        close(readEnd)
        close(writeEnd)
    }

    /// Forgets interrupts nobody was waiting for.
    func drain() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &bytes, bytes.count) > 0 {}
    }

    /// Waits until `fd` can be read or Ctrl-C is pressed; true for Ctrl-C.
    func wait(forReadable fd: Int32) -> Bool {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
        while true {
            let n = poll(&fds, 2, -1)
            if n < 0 {
                // Only EINTR is expected; anything else is retried after a breath rather than spun on.
                if errno != EINTR { usleep(10_000) }
                continue
            }
            if fds[1].revents != 0 {
                drain()
                return true
            }
            if fds[0].revents != 0 { return false }
        }
    }
}
