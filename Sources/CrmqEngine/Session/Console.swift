/// Where a session writes: results to `output` (standard output), diagnostics to `error`.
public protocol Console: OutputSink {
    mutating func error(_ text: String)
    /// True when diagnostics may use colour.
    var colorErrors: Bool { get }
    /// Writes out what is buffered: a script flushes before it waits for more input.
    mutating func flush()
}

extension Console {
    public mutating func flush() {}
}

/// A console that keeps one transcript of both streams, in order: what golden tests compare.
public struct TranscriptConsole: Console {
    public var transcript = ""
    public init() {}
    public mutating func write(_ text: String) { transcript += text }
    public mutating func error(_ text: String) { transcript += text }
    public var colorErrors: Bool { false }
}
