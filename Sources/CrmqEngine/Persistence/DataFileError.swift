/// Why a data file (a snapshot or its journal) cannot be read or written. Every case names the file;
/// damage also names the byte offset where it was found, so a person can look at it with `xxd`.
public struct DataFileError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The file does not start with the magic bytes.
        case notADataFile
        /// Written by a newer crmq, in a format version this one does not read.
        case newerVersion(Int)
        /// Shorter than its header says (a copy cut short), or with bytes after its end.
        case truncated
        /// A checksum does not match: the bytes were changed after they were written.
        case checksum
        /// A section or record points outside the file, or sections overlap.
        case outOfBounds
        /// The checksums match, but what is inside does not make sense (a bug, or a crafted file).
        case malformed
        /// The operating system refused: no such file, no permission, disk full.
        case io(errno: Int32)
        /// Another crmq process is changing the file.
        case locked
        /// Saving a copy or generating would replace a file that is there.
        case alreadyExists
        /// The file changed on disk since this session read it.
        case changedOnDisk
        /// A save was cancelled (Ctrl-C, `.timeout`) before it replaced the file, which is as it was.
        case cancelled
    }

    public var kind: Kind
    public var path: String
    /// Where in the file the problem was found.
    public var offset: Int?
    /// A whole sentence, naming the file.
    public var message: String
    public var hint: String?

    public init(_ kind: Kind, _ path: String, at offset: Int? = nil, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.path = path
        self.offset = offset
        self.message = message
        self.hint = hint
    }

    /// The same error in the house style, for the session and the command line.
    public var diagnostic: Diagnostic { Diagnostic(.storage, message, hint: hint) }

    /// `"crm.crmq" is damaged at byte 4096: WHAT`.
    static func damaged(_ kind: Kind, _ path: String, at offset: Int, _ what: String) -> DataFileError {
        DataFileError(kind, path, at: offset, "\(quoted(path)) is damaged at byte \(offset): \(what)",
                      hint: "crmq check \(path) lists what is intact; an earlier copy of the file may be needed")
    }

    static func malformed(_ path: String, at offset: Int, _ what: String) -> DataFileError {
        damaged(.malformed, path, at: offset, what)
    }

    /// An error from the operating system, as `strerror` words it.
    static func system(_ path: String, _ action: String, errno code: Int32) -> DataFileError {
        DataFileError(.io(errno: code), path, "cannot \(action) \(quoted(path)): \(SystemFile.describe(errno: code))")
    }

    static func quoted(_ path: String) -> String { "\"\(path)\"" }
}
