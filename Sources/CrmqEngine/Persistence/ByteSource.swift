/// Where a snapshot or a journal is read from: a file, or bytes in memory (tests read damaged
/// copies in-process). Reads ask for exact ranges the reader has checked against `length`.
protocol ByteSource: Sendable {
    /// The file's path, for messages.
    var name: String { get }
    var length: Int { get }
    /// Fills `buffer` from `offset`; fewer bytes than asked (the file shrank) is an error.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(DataFileError)
}

extension ByteSource {
    func bytes(at offset: Int, count: Int) throws(DataFileError) -> [UInt8] {
        var failure: DataFileError?
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(DataFileError) {
                try read(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return out
    }
}

struct FileBytes: ByteSource {
    let file: FileDescriptor
    let length: Int
    var name: String { file.path }

    init(_ file: FileDescriptor) throws(DataFileError) {
        self.file = file
        self.length = try SystemFile.size(file)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(DataFileError) {
        let n = try SystemFile.read(file, into: buffer, at: offset)
        if n < buffer.count {
            throw DataFileError(.truncated, name, at: offset + n,
                                "\(DataFileError.quoted(name)) ended at byte \(offset + n) while it was being read: another program shortened it")
        }
    }
}

struct MemoryBytes: ByteSource {
    let bytes: [UInt8]
    let name: String
    var length: Int { bytes.count }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(DataFileError) {
        guard offset >= 0, offset <= bytes.count - buffer.count else {
            throw DataFileError(.truncated, name, at: bytes.count, "\(DataFileError.quoted(name)) ended at byte \(bytes.count)")
        }
        bytes.withUnsafeBytes { src in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<offset + buffer.count]))
        }
    }
}

/// Any source, for the snapshot a session keeps open (a file, or bytes in memory for the fuzzer).
struct AnyByteSource: ByteSource {
    let base: any ByteSource
    let name: String
    let length: Int

    init(_ base: some ByteSource) {
        self.base = base
        name = base.name
        length = base.length
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(DataFileError) {
        try base.read(into: buffer, at: offset)
    }
}
