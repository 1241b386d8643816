import CrmqEngine
import Foundation

/// The prompt at a terminal: reads lines until a statement is complete, then runs it.
///
/// `crmq> ` asks for a statement, `...> ` for the rest of an unfinished one (an open quote or
/// parenthesis, a trailing `and`, a clause keyword with nothing after it). Ctrl-C drops what was
/// typed, or cancels a running statement; Ctrl-D on an empty line leaves, saving the history.
struct InteractiveLoop {
    static let prompt = "crmq> "
    /// The prompt while a sandbox is open: its changes are not saved until `sandbox apply`.
    static let sandboxPrompt = "crmq (sandbox)> "
    static let continuation = "...> "

    var session: Session
    /// Shown first, with the prompts; nothing is shown where there are none.
    let banner: String
    var reader: any LineReader
    let runner: StatementRunner
    /// Where results taller than the screen go; nil where there is no person at a terminal.
    let pager: Pager?

    /// The prompt on `session`: with libedit when `lineEditing` and both ends are a terminal.
    /// Otherwise plain line reading: with `--no-edit` (`lineEditing` false) without prompts or
    /// banner, as on a pipe; when standard output is not a terminal, also without, so that a file
    /// gets results only.
    init(session: Session, banner: String, lineEditing: Bool, hold: TestHold?) {
        let interrupts = InterruptWatch()
        self.session = session
        runner = StatementRunner(interrupts: interrupts, colorErrors: Terminal.colorAllowed(on: STDERR_FILENO), hold: hold)
        let terminal = Terminal.isTerminal(STDIN_FILENO) && Terminal.isTerminal(STDOUT_FILENO)
        pager = Pager.available(lineEditing: lineEditing)
        if lineEditing, terminal,
           let editor = EditLineReader(completer: Completer(schema: session.database.schema,
                                                            segments: session.database.catalog.segments),
                                       historyFile: EditLineReader.historyPath()) {
            reader = editor
            self.banner = banner
        } else {
            // libedit may also fail to start (an unknown terminal): then plain lines, with prompts.
            let prompts = lineEditing && terminal
            reader = PlainLineReader(interrupts: interrupts, showPrompts: prompts)
            self.banner = prompts ? banner : ""
        }
    }

    mutating func run(_ console: inout StandardConsole) {
        console.write(banner)
        var buffer = ""
        defer { reader.close() }
        while true {
            if session.settings.display.terminalWidth != nil {
                session.settings.display.terminalWidth = Terminal.columns()
            }
            console.flush()
            let prompt = session.inSandbox ? Self.sandboxPrompt : Self.prompt
            switch reader.readLine(prompt: buffer.isEmpty ? prompt : Self.continuation, pending: buffer) {
            case .end:
                console.write("\n")
                if leaveSandbox(&console) { return }
                continue
            case .interrupted:
                buffer = ""
                continue
            case .line(let line):
                buffer += buffer.isEmpty ? line : "\n" + line
            }
            if buffer.allSatisfy(\.isWhitespace) { buffer = ""; continue }
            if Self.isIncomplete(buffer) { continue }
            reader.remember(Self.historyEntry(buffer))
            let text = Self.shortcut(buffer) ?? buffer
            buffer = ""
            let source = SourceText(name: "input", text: text)
            // Finished or cancelled, the session is the worker's (see `StatementRunner`).
            let paged = pager?.output(for: session.settings.display)
            let (after, outcome) = runner.run(source, in: session, paged: paged)
            paged?.finish()
            session = after
            reader.updateCompletions(segments: session.database.catalog.segments)
            reader.updateCompletions(rules: session.database.catalog.rules.map(\.name))
            if outcome == .quit, leaveSandbox(&console) { return }
        }
    }

    /// Leaving with a sandbox open asks whether to apply it; no (the default, Enter, Ctrl-D)
    /// discards it and says so. Returns false to stay: Ctrl-C at the question, or an apply that
    /// was refused (its diagnostic says why, and the sandbox is still open).
    mutating func leaveSandbox(_ console: inout StandardConsole) -> Bool {
        guard let statements = session.sandboxStatements else { return true }
        console.flush()
        let count = statements == 1 ? "1 statement" : "\(statements) statements"
        switch reader.readLine(prompt: "a sandbox is open (\(count)): apply it before leaving? (y/N) ", pending: "") {
        case .interrupted:
            console.write("\n")
            return false
        case .line(let answer) where ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased()):
            let (after, outcome) = runner.run(SourceText(name: "input", text: "sandbox apply"), in: session)
            session = after
            return outcome == .success
        case .line, .end:
            if let undone = session.discardSandbox() {
                console.error("discarded the sandbox: \(undone == 1 ? "1 statement" : "\(undone) statements") undone\n")
            }
            return true
        }
    }

    /// True while the text stops in the middle of a statement: an open quote or parenthesis,
    /// a trailing `and`, a clause keyword with nothing after it.
    static func isIncomplete(_ text: String) -> Bool {
        do {
            _ = try Parser.parseAll(SourceText(name: "input", text: text))
            return false
        } catch {
            return error.isUnexpectedEnd
        }
    }

    /// What the history keeps of a statement: one line when the lines joined read the same (Up
    /// then brings it back in one editable piece), otherwise the lines as typed (a `--` comment
    /// ends its line, a line break may end a statement).
    static func historyEntry(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let joined = lines.joined(separator: " ")
        guard lines.count > 1 else { return joined }
        func shape(_ t: String) -> ([TokenKind], Int)? {
            let source = SourceText(name: "input", text: t)
            guard let tokens = try? Lexer.tokenize(source), let statements = try? Parser.parseAll(source) else { return nil }
            return (tokens.map(\.kind), statements.count)
        }
        guard let a = shape(text), let b = shape(joined), a == b else { return text }
        return joined
    }

    /// At the prompt only, as in psql: `help`, `help TOPIC`, `quit` and `exit` without their dot.
    /// They are not statements of the language, so scripts keep the dotted forms.
    static func shortcut(_ text: String) -> String? {
        let words = text.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        guard let first = words.first, words.count <= 2 else { return nil }
        switch first {
        case "help", "?": return ".help" + (words.count == 2 ? " " + words[1] : "")
        case "quit", "exit": return words.count == 1 ? ".quit" : nil
        default: return nil
        }
    }
}
