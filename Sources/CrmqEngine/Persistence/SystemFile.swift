#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor, closed when the last reference goes away. A class because the
/// descriptor's identity matters: copies of a session share one open journal and its lock.
final class FileDescriptor: Sendable {
    let fd: Int32
    let path: String

    init(_ fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }
}

/// The POSIX calls crmq's files need, with errors turned into `DataFileError`s that name the file.
/// Every read and write loops until done, since the kernel may move fewer bytes than asked.
enum SystemFile {
    static func describe(errno code: Int32) -> String {
        switch code {
        case ENOENT: "no such file or directory"
        case EACCES, EPERM: "permission denied"
        case ENOSPC: "the disk is full"
        case EISDIR: "it is a directory"
        case ENOTDIR: "not a directory"
        default: String(cString: strerror(code))
        }
    }

    static func exists(_ path: String) -> Bool {
        var s = stat()
        return stat(path, &s) == 0
    }

    static func openForReading(_ path: String) throws(DataFileError) -> FileDescriptor {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(path, "open", errno: errno) }
        var s = stat()
        if fstat(fd, &s) == 0, (s.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .system(path, "open", errno: EISDIR)
        }
        return FileDescriptor(fd, path: path)
    }

    /// Opens (creating with mode 0600 when missing) for reading and writing, without truncating.
    static func openForUpdate(_ path: String) throws(DataFileError) -> FileDescriptor {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system(path, "open", errno: errno) }
        return FileDescriptor(fd, path: path)
    }

    static func size(_ file: FileDescriptor) throws(DataFileError) -> Int {
        var s = stat()
        guard fstat(file.fd, &s) == 0 else { throw .system(file.path, "read", errno: errno) }
        return Int(s.st_size)
    }

    /// Device and inode: which file a path named when it was opened (a save replaces it).
    struct Identity: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
    }

    static func identity(_ file: FileDescriptor) -> Identity? {
        var s = stat()
        guard fstat(file.fd, &s) == 0 else { return nil }
        return Identity(device: UInt64(s.st_dev), inode: UInt64(s.st_ino))
    }

    static func identity(ofPath path: String) -> Identity? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        return Identity(device: UInt64(s.st_dev), inode: UInt64(s.st_ino))
    }

    static func sizeOf(_ path: String) -> Int? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        return Int(s.st_size)
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many there were before the end.
    static func read(_ file: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer,
                     at offset: Int) throws(DataFileError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(file.fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(file.path, "read", errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    static func write(_ file: FileDescriptor, _ bytes: UnsafeRawBufferPointer, at offset: Int) throws(DataFileError) {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = pwrite(file.fd, base + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(file.path, "write", errno: errno)
            }
            done += n
        }
    }

    static func write(_ file: FileDescriptor, _ bytes: [UInt8], at offset: Int) throws(DataFileError) {
        var failure: DataFileError?
        bytes.withUnsafeBytes { b in
            do throws(DataFileError) { try write(file, b, at: offset) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Waits until the bytes written are on the disk, not only in the page cache.
    static func sync(_ file: FileDescriptor) throws(DataFileError) {
        while fsync(file.fd) != 0 {
            if errno == EINTR { continue }
            throw .system(file.path, "write", errno: errno)
        }
    }

    static func truncate(_ file: FileDescriptor, to length: Int) throws(DataFileError) {
        while ftruncate(file.fd, off_t(length)) != 0 {
            if errno == EINTR { continue }
            throw .system(file.path, "write", errno: errno)
        }
    }

    /// Makes a rename or a file creation in `path`'s directory durable: without it a crash may
    /// forget the new directory entry even though the file's bytes are on the disk.
    static func syncDirectory(of path: String) throws(DataFileError) {
        let dir = directory(of: path)
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(dir, "open the directory", errno: errno) }
        defer { close(fd) }
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            // Some file systems cannot sync a directory; they order the rename themselves.
            if errno == EINVAL || errno == EROFS { return }
            throw .system(dir, "write the directory", errno: errno)
        }
    }

    /// Puts `from` in the place of `to` in one step (POSIX rename is atomic).
    static func move(_ from: String, over to: String) throws(DataFileError) {
        guard rename(from, to) == 0 else { throw .system(to, "replace", errno: errno) }
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    /// Takes the exclusive lock on `file` without waiting; false when another process holds it.
    /// The lock goes with the descriptor, so a process that is killed releases it.
    static func tryLock(_ file: FileDescriptor) throws(DataFileError) -> Bool {
        while flock(file.fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { return false }
            throw .system(file.path, "lock", errno: errno)
        }
        return true
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = path[..<slash]
        return dir.isEmpty ? "/" : String(dir)
    }

    static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static var processId: Int32 { getpid() }

    static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Seconds since the epoch, from the system clock.
    static var now: Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec)
    }

    /// 64 random bits from the kernel, for snapshot ids.
    static func randomId() -> UInt64 {
        var g = SystemRandomNumberGenerator()
        return g.next() | 1  // never 0, which a journal header could hold by accident
    }

    static func processIsAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// The names in a directory (without "." and "..").
    static func list(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
