/// `.read FILE`: runs a script's statements in this session, as `crmq -f FILE` would.
extension ShellCommands {
    /// Scripts may read scripts, up to this depth: deep enough for any real use, shallow enough
    /// that a script reading itself stops with an error instead of exhausting the stack.
    static let maximumReadDepth = 16

    static func read(_ path: String, at range: SourceRange?, session: inout Session,
                     console: inout some Console, cancellation: Cancellation) throws(Diagnostic) -> Session.Outcome {
        guard !path.isEmpty else {
            throw Diagnostic(.shell, ".read needs a file name", at: range, hint: "usage: .read FILE, e.g. .read examples/01-pipeline.crmq")
        }
        try session.checkFilesAllowed(at: range)
        guard session.readDepth < maximumReadDepth else {
            throw Diagnostic(.shell, ".read nested \(maximumReadDepth) deep", at: range,
                             hint: "does the script read itself?")
        }
        var input: FileInput
        do {
            input = try FileInput(path: path)
        } catch {
            if let reason = cancellation.reason { throw cancellation.diagnostic(reason) }
            throw Diagnostic(.shell, "cannot read \"\(path)\": \(error.reason)", at: range,
                             hint: "the path is relative to the directory crmq started in")
        }
        session.readDepth += 1
        defer { session.readDepth -= 1 }
        // Read as it runs, as crmq -f does: a long script is never held whole. Each of its
        // statements gets its own `.timeout` deadline; Ctrl-C stops the script.
        switch session.run(script: &input, name: path, on: &console, cancellation: cancellation) {
        case .success: return .success
        case .quit: return .quit
        case .failed where cancellation.reason == .interrupted:
            // The statement that was running has said "cancelled"; this stops the scripts around it too.
            var d = Diagnostic(.shell, "\"\(path)\" was cancelled", at: range)
            d.cancelled = .interrupted
            throw d
        case .failed:
            // The statement's own diagnostic is out already; this one makes the `.read` fail too,
            // so a script that reads a failing script fails.
            throw Diagnostic(.shell, "\"\(path)\" stopped at an error", at: range)
        }
    }
}
