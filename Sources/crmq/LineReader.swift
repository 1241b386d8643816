import CrmqEngine
import Foundation

/// What reading a line gave.
enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C: drop what was typed so far.
    case interrupted
    /// Ctrl-D on an empty line, or the end of the input.
    case end
}

/// Reading the lines a person types. Two implementations: `EditLineReader` (libedit: editing keys,
/// history, completion) at a terminal, `PlainLineReader` with `--no-edit` or when standard output
/// is not a terminal.
protocol LineReader {
    /// Shows `prompt` and reads one line. `pending` holds the earlier lines of an unfinished
    /// statement, which completion needs for its context.
    mutating func readLine(prompt: String, pending: String) -> LineInput
    /// Keeps a statement for recall with Up and Ctrl-R.
    mutating func remember(_ statement: String)
    /// Saves what must outlive the session (the history).
    mutating func close()
    /// The segments defined now, for completion (after `define segment`, `drop segment`, `.open`).
    mutating func updateCompletions(segments: [SegmentDefinition])
    /// The workflow rules' names, for completion after `drop rule`, `enable rule`, `explain rule`.
    mutating func updateCompletions(rules: [String])
}

extension LineReader {
    /// Readers that do not complete have nothing to update.
    mutating func updateCompletions(segments: [SegmentDefinition]) {}
    mutating func updateCompletions(rules: [String]) {}
}

/// Plain line reading from standard input: no editing, no history. Ctrl-C (through `InterruptWatch`)
/// drops the line being typed; the terminal driver, in its ordinary mode, has already erased it.
struct PlainLineReader: LineReader {
    let interrupts: InterruptWatch
    /// Prompts only when libedit could not start at a terminal; not with `--no-edit`, nor into a file.
    let showPrompts: Bool
    private var pending: [UInt8] = []
    private var atEnd = false

    init(interrupts: InterruptWatch, showPrompts: Bool) {
        self.interrupts = interrupts
        self.showPrompts = showPrompts
    }

    mutating func readLine(prompt: String, pending _: String) -> LineInput {
        if showPrompts { StandardStreams.writeAll(STDOUT_FILENO, Array(prompt.utf8)) }
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return .line(String(decoding: line, as: UTF8.self))
            }
            if atEnd {
                // A last line without its newline still counts.
                if pending.isEmpty { return .end }
                defer { pending.removeAll() }
                return .line(String(decoding: pending, as: UTF8.self))
            }
            if interrupts.wait(forReadable: STDIN_FILENO) {
                pending.removeAll()
                // The terminal echoed ^C after what was typed: the next line starts on a line of its own.
                if isatty(STDOUT_FILENO) == 1 { StandardStreams.writeAll(STDOUT_FILENO, Array("\n".utf8)) }
                return .interrupted
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(STDIN_FILENO, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { atEnd = true; continue }
            pending.append(contentsOf: chunk[0..<n])
        }
    }

    mutating func remember(_ statement: String) {}
    mutating func close() {}
}
