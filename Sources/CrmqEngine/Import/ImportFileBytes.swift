#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file to import, read whole: the readers work on one buffer, which is what makes
/// them fast (a 150 MB CSV file reads in one call), and an import needs every row before it
/// changes anything anyway (all or nothing).
public enum ImportFileBytes {
    /// The whole file, or a DataFileError in the style of ExportFile's (no such file, a directory, no permission).
    public static func read(_ path: String) throws(DataFileError) -> [UInt8] {
        let file = try SystemFile.openForReading(path)
        // The size is a first guess only: a pipe or /dev/stdin says 0, and a file may grow meanwhile.
        var bytes = [UInt8](repeating: 0, count: max(try SystemFile.size(file), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 1 << 16))) }
            let done = bytes.withUnsafeMutableBytes { buffer in
                readChunk(file.fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
            }
            if done < 0 { throw .system(path, "read", errno: errno) }
            if done == 0 { break }
            count += done
        }
        bytes.removeSubrange(count...)
        return bytes
    }
}

/// One read(2) at the current position (pread needs a seekable file, and a pipe is not); -1 with errno set.
private func readChunk(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    while true {
        let n = read(fd, buffer.baseAddress!, buffer.count)
        if n >= 0 || errno != EINTR { return n }
    }
}
