#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.read FILE`: runs a script's statements in this session, as `crmq -f FILE` would.
extension ShellCommands {
    /// Scripts may read scripts, up to this depth: deep enough for any real use, shallow enough
    /// that a script reading itself stops with an error instead of exhausting the stack.
    static let maximumReadDepth = 16

    static func read(_ path: String, at range: SourceRange?, session: inout Session,
                     console: inout some Console) throws(Diagnostic) -> Session.Outcome {
        guard !path.isEmpty else {
            throw Diagnostic(.shell, ".read needs a file name", at: range, hint: "usage: .read FILE, e.g. .read examples/01-pipeline.crmq")
        }
        try session.checkFilesAllowed(at: range)
        guard session.readDepth < maximumReadDepth else {
            throw Diagnostic(.shell, ".read nested \(maximumReadDepth) deep", at: range,
                             hint: "does the script read itself?")
        }
        let text: String
        do {
            text = try SourceFile.contents(of: path)
        } catch {
            throw Diagnostic(.shell, "cannot read \"\(path)\": \(error.reason)", at: range,
                             hint: "the path is relative to the directory crmq started in")
        }
        session.readDepth += 1
        defer { session.readDepth -= 1 }
        switch session.run(SourceText(name: path, text: text), on: &console) {
        case .success: return .success
        case .quit: return .quit
        case .failed:
            // The statement's own diagnostic is out already; this one makes the `.read` fail too,
            // so a script that reads a failing script fails.
            throw Diagnostic(.shell, "\"\(path)\" stopped at an error", at: range)
        }
    }
}

/// Reading a whole text file, with the reason in words when it cannot be read.
enum SourceFile {
    struct Failure: Error {
        var reason: String
    }

    static func contents(of path: String) throws(Failure) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw Failure(reason: describe(errno)) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw Failure(reason: "it is a directory")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw Failure(reason: describe(errno)) }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func describe(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "permission denied"
        case EISDIR: "it is a directory"
        default: String(cString: strerror(code))
        }
    }
}
