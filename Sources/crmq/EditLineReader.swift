import CLibEdit
import CrmqEngine
import Foundation

/// Line editing with the system's libedit: Emacs keys, Up/Down through the history, Ctrl-R to
/// search it, Tab to complete, and the user's own `~/.editrc` (lines starting `crmq:`).
///
/// A `final class`: it owns the editor and history handles, which live as long as it does.
/// libedit calls back into Swift through plain C function pointers, which cannot capture
/// anything; each callback finds its `EditorContext` through the editor's client data
/// (`EL_CLIENTDATA`), so no global state is needed.
final class EditLineReader: LineReader {
    /// The history keeps this many statements (and so does the file).
    static let historySize: Int32 = 1000

    private let editor: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: String?
    private let context: EditorContext

    func updateCompletions(segments: [SegmentDefinition]) {
        context.completer.segments = segments
    }

    func updateCompletions(rules: [String]) {
        context.completer.rules = rules
    }

    /// Returns nil when libedit cannot take the terminal (then the caller reads plain lines).
    init?(completer: Completer, historyFile: String?) {
        // libedit reads multibyte input (UTF-8 names, "Niño") only under the user's locale.
        setlocale(LC_CTYPE, "")
        guard let editor = crmq_el_init("crmq") else { return nil }
        guard let history = history_init() else {
            el_end(editor)
            return nil
        }
        self.editor = editor
        self.history = history
        self.historyFile = historyFile
        context = EditorContext(completer: completer)

        crmq_history_set_size(history, Self.historySize)
        crmq_history_set_unique(history, 1)
        if let historyFile { crmq_history_load(history, historyFile) }

        crmq_el_set_clientdata(editor, Unmanaged.passUnretained(context).toOpaque())
        crmq_el_set_editor(editor, "emacs")
        crmq_el_set_history(editor, history)
        crmq_el_set_prompt(editor, { el in el.flatMap(EditorContext.of)?.prompt })
        // The user's ~/.editrc (`crmq:bind -v` for vi keys); none is fine too. Read before crmq's own
        // bindings, so that Tab, Ctrl-C and Ctrl-Z keep working in whatever keymap it chose.
        el_source(editor, nil)
        crmq_el_add_function(editor, "crmq-complete", "complete the word before the cursor",
                             { el, _ in el.flatMap { e in EditorContext.of(e)?.complete(e) } ?? UInt8(CC_ERROR) })
        crmq_el_add_function(editor, "crmq-interrupt", "drop the statement being typed",
                             { el, _ in el.flatMap { e in EditorContext.of(e)?.interrupt(e) } ?? UInt8(CC_ERROR) })
        crmq_el_bind(editor, "^I", "crmq-complete")
        crmq_el_bind(editor, "^R", "em-inc-search-prev")
        // Ctrl-C reaches the editor as a key, not as SIGINT, while a line is being edited: it then
        // clears the input instead of ending crmq (the terminal's own mode is untouched).
        crmq_el_setty(editor, "-d", "-isig")
        crmq_el_bind(editor, "^C", "crmq-interrupt")
        // Without the terminal's signals Ctrl-Z would do nothing either: it suspends crmq here.
        crmq_el_add_function(editor, "crmq-suspend", "suspend crmq, as Ctrl-Z does in a shell",
                             { el, _ in el.flatMap { e in EditorContext.of(e)?.suspend(e) } ?? UInt8(CC_ERROR) })
        crmq_el_bind(editor, "^Z", "crmq-suspend")
    }

    deinit {
        el_end(editor)
        history_end(history)
    }

    func readLine(prompt: String, pending: String) -> LineInput {
        context.setPrompt(prompt)
        context.pending = pending
        context.interrupted = false
        // The window may have changed size since the last line.
        el_resize(editor)
        var count: Int32 = 0
        guard let raw = el_gets(editor, &count), count > 0 else { return .end }
        if context.interrupted { return .interrupted }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    func remember(_ statement: String) {
        crmq_history_enter(history, statement)
    }

    func close() {
        guard let historyFile else { return }
        if crmq_history_save(history, historyFile) < 0 {
            StandardStreams.error("crmq: could not save the history to \(historyFile)\n")
        }
    }

    /// `$CRMQ_HISTORY`, or `~/.crmq_history`; nil when there is no home to keep it in.
    static func historyPath() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let path = env["CRMQ_HISTORY"], !path.isEmpty { return path }
        guard let home = env["HOME"], !home.isEmpty else { return nil }
        return home + "/.crmq_history"
    }
}

/// What the C callbacks need: the prompt, the lines before the current one, the completer.
private final class EditorContext {
    var completer: Completer
    /// The earlier lines of the statement being typed, for completion's context.
    var pending = ""
    /// Set by Ctrl-C: the line libedit returns next is to be dropped.
    var interrupted = false
    private(set) var prompt: UnsafeMutablePointer<CChar>?

    init(completer: Completer) { self.completer = completer }

    deinit { free(prompt) }

    static func of(_ editor: OpaquePointer) -> EditorContext? {
        crmq_el_get_clientdata(editor).map { Unmanaged<EditorContext>.fromOpaque($0).takeUnretainedValue() }
    }

    func setPrompt(_ text: String) {
        free(prompt)
        prompt = strdup(text)
    }

    /// Ctrl-C: show `^C` after the text, as a shell does, and end the line (the reader drops it).
    func interrupt(_ editor: OpaquePointer) -> UInt8 {
        interrupted = true
        if let info = el_line(editor)?.pointee {
            let after = String(decoding: UnsafeRawBufferPointer(start: info.cursor, count: info.lastchar - info.cursor), as: UTF8.self)
            el_cursor(editor, Int32(after.unicodeScalars.count))
        }
        el_insertstr(editor, "^C")
        el_push(editor, "\n")
        return UInt8(CC_REFRESH)
    }

    /// Ctrl-Z: gives the terminal back in its ordinary mode, stops until `fg`, then redraws the line.
    func suspend(_ editor: OpaquePointer) -> UInt8 {
        crmq_el_prepare_terminal(editor, 0)
        kill(getpid(), SIGTSTP)
        crmq_el_prepare_terminal(editor, 1)
        return UInt8(CC_REDISPLAY)
    }

    /// Tab: completes the word before the cursor as far as the candidates agree; when they agree
    /// no further, lists them under the line.
    func complete(_ editor: OpaquePointer) -> UInt8 {
        guard let info = el_line(editor)?.pointee else { return UInt8(CC_ERROR) }
        let before = String(decoding: UnsafeRawBufferPointer(start: info.buffer, count: info.cursor - info.buffer), as: UTF8.self)
        var completion = completer.complete(pending + before)
        if completion.wantsFileName { completion.candidates = FileNames.matching(completion.word) }
        let candidates = completion.candidates
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if candidates.count == 1 {
            let c = candidates[0]
            replace(completion.word, with: c.text + (c.continues ? "" : " "), in: editor)
            return UInt8(CC_REFRESH)
        }
        let common = completion.commonPrefix
        if common.count > completion.word.count {
            replace(completion.word, with: common, in: editor)
            return UInt8(CC_REFRESH)
        }
        let listing = CandidateList.format(candidates.map(\.text), width: Terminal.columns() ?? 80)
        crmq_el_print("\n" + listing)
        return UInt8(CC_REDISPLAY)
    }

    private func replace(_ word: String, with text: String, in editor: OpaquePointer) {
        // libedit counts characters as it stores them: Unicode scalars.
        el_deletestr(editor, Int32(word.unicodeScalars.count))
        el_insertstr(editor, text)
    }
}

/// Candidates in columns under the line, as a shell lists file names.
enum CandidateList {
    static func format(_ items: [String], width: Int) -> String {
        let cell = (items.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / cell)
        var out = ""
        for (i, item) in items.enumerated() {
            let last = i % perLine == perLine - 1 || i == items.count - 1
            out += last ? item + "\n" : item + String(repeating: " ", count: cell - item.count)
        }
        return out
    }
}

/// File names for `.read`: the entries of the directory the word names, starting with its last part.
enum FileNames {
    static func matching(_ word: String) -> [Completer.Candidate] {
        let slash = word.lastIndex(of: "/")
        let directory = slash.map { String(word[...$0]) } ?? ""
        let prefix = slash.map { String(word[word.index(after: $0)...]) } ?? word
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
        return listed.filter { $0.hasPrefix(prefix) && (!$0.hasPrefix(".") || prefix.hasPrefix(".")) }.sorted().map { name in
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory + name, isDirectory: &isDirectory)
            return exists && isDirectory.boolValue ? Completer.Candidate(directory + name + "/", continues: true)
                                                   : Completer.Candidate(directory + name)
        }
    }
}
