#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a script's bytes come from: a block at a time, as soon as some are there.
public protocol ScriptInput {
    /// The next bytes; nil at the end of the input.
    mutating func nextBlock() throws(ScriptInputFailure) -> ArraySlice<UInt8>?
}

/// Why a script could not be read, in words ("no such file").
public struct ScriptInputFailure: Error, Sendable {
    public var reason: String
    public init(reason: String) { self.reason = reason }

    init(errno code: Int32) {
        switch code {
        case ENOENT: reason = "no such file"
        case EACCES: reason = "permission denied"
        case EISDIR: reason = "it is a directory"
        default: reason = String(cString: strerror(code))
        }
    }
}

/// A script read from a file descriptor with read(2): a pipe gives what its writer has written so
/// far, without waiting for the end, so each statement can run as soon as it has arrived.
/// A class: it owns the descriptor it opened and closes it once.
public final class FileInput: ScriptInput {
    private let fd: Int32
    private let owned: Bool
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    /// Reads an open descriptor (standard input), which stays open.
    public init(descriptor: Int32) {
        fd = descriptor
        owned = false
    }

    /// Opens a file (not a directory) for reading.
    public init(path: String) throws(ScriptInputFailure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ScriptInputFailure(errno: errno) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ScriptInputFailure(reason: "it is a directory")
        }
        self.fd = fd
        owned = true
    }

    deinit { if owned { close(fd) } }

    public func nextBlock() throws(ScriptInputFailure) -> ArraySlice<UInt8>? {
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { return buffer[0..<n] }
            if n == 0 { return nil }
            if errno == EINTR { continue }
            throw ScriptInputFailure(errno: errno)
        }
    }
}
