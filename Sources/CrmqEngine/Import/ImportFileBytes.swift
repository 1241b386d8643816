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
        // Read into uninitialised memory: zeroing 150 MB first would cost as much as the read.
        let guess = max(try SystemFile.size(file), 0) + 1
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: guess) { buffer, count in
            count = 0
            while count < buffer.count {
                let done = readChunk(file.fd, into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[count...])))
                if done < 0 { failure = errno; break }
                if done == 0 { break }
                count += done
            }
        }
        if failure != 0 { throw .system(path, "read", errno: failure) }
        guard bytes.count == guess else { return bytes }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let done = chunk.withUnsafeMutableBytes { readChunk(file.fd, into: $0) }
            if done < 0 { throw .system(path, "read", errno: errno) }
            if done == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<done])
        }
    }
}

/// One read(2) at the current position (pread needs a seekable file, and a pipe is not); -1 with errno set.
private func readChunk(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    while true {
        let n = read(fd, buffer.baseAddress!, buffer.count)
        if n >= 0 || errno != EINTR { return n }
    }
}
