#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file an `export` writes, replaced in one step: the text goes to a temporary file in the same
/// directory (mode 0600: exports hold customer data), is synced, and renamed over the target. A
/// failed or cancelled export removes its temporary file and leaves the target as it was.
struct ExportFile: OutputSink {
    let path: String
    let temporary: String
    let replace: Bool
    private let file: FileDescriptor
    private var buffer: [UInt8] = []
    private var offset = 0
    private(set) var failure: DataFileError?
    let cancellation: Cancellation

    /// Opens the temporary file; refuses when `path` exists and may not be replaced.
    init(path: String, replace: Bool, cancellation: Cancellation) throws(DataFileError) {
        if !replace && SystemFile.exists(path) {
            throw DataFileError(.alreadyExists, path, "\(DataFileError.quoted(path)) already exists",
                                hint: "add replace to write over it, or name another file")
        }
        let dir = SystemFile.directory(of: path)
        var s = stat()
        guard stat(dir, &s) == 0 else { throw .system(dir, "write into the directory", errno: errno) }
        guard (s.st_mode & S_IFMT) == S_IFDIR else { throw .system(dir, "write into the directory", errno: ENOTDIR) }
        if SystemFile.exists(path) && SystemFile.isDirectory(path) { throw .system(path, "write", errno: EISDIR) }
        let temporary = dir + "/." + SystemFile.fileName(of: path) + ".\(SystemFile.processId).\(SystemFile.randomId() % 1_000_000).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system(path, "write", errno: errno) }
        self.path = path
        self.temporary = temporary
        self.replace = replace
        self.file = FileDescriptor(fd, path: temporary)
        self.cancellation = cancellation
    }

    mutating func write(_ text: String) {
        guard failure == nil else { return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    var isCancelled: Bool { failure != nil || cancellation.isCancelled }

    private mutating func flush() {
        guard failure == nil, !buffer.isEmpty else { return }
        do throws(DataFileError) {
            try SystemFile.write(file, buffer, at: offset)
            offset += buffer.count
        } catch {
            failure = named(error)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Syncs the text and renames it over the target.
    mutating func commit() throws(DataFileError) {
        flush()
        if let failure { abandon(); throw failure }
        do throws(DataFileError) {
            try SystemFile.sync(file)
            let linked = replace ? false : try linkIfAbsent()
            if !linked { try SystemFile.move(temporary, over: path) }
        } catch {
            abandon()
            throw named(error)
        }
        try? SystemFile.syncDirectory(of: path)
    }

    /// Without `replace`, a file made at the path since the check above must not be written over:
    /// a hard link is made only where nothing is (then the temporary name goes). False when the
    /// file system has no hard links, and a rename must do.
    private func linkIfAbsent() throws(DataFileError) -> Bool {
        if link(temporary, path) == 0 {
            SystemFile.remove(temporary)
            return true
        }
        let code = errno
        if code == EEXIST {
            throw DataFileError(.alreadyExists, path, "\(DataFileError.quoted(path)) already exists")
        }
        if code == EPERM || code == ENOTSUP || code == EOPNOTSUPP || code == EXDEV { return false }
        throw .system(path, "write", errno: code)
    }

    /// An error on the temporary file, said of the file the user named.
    private func named(_ error: DataFileError) -> DataFileError {
        if case .io(let code) = error.kind { return .system(path, "write", errno: code) }
        return error
    }

    /// Removes the temporary file; the target stays as it was.
    func abandon() {
        SystemFile.remove(temporary)
    }
}


extension SystemFile {
    static func isDirectory(_ path: String) -> Bool {
        var s = stat()
        return stat(path, &s) == 0 && (s.st_mode & S_IFMT) == S_IFDIR
    }
}
