/// `sandbox`, `sandbox diff`, `sandbox apply`, `sandbox discard`. Only `sandbox` is a keyword:
/// the word after it is read by its spelling, so a field may still be called `diff` or `apply`.
extension Parser {
    mutating func sandboxStatement() throws(Diagnostic) -> ParsedStatement {
        let start = peek
        index += 1
        var control = SandboxControl.start
        // A word on the next line starts the next statement, as after `save`.
        if peek.kind != .end, !peek.startsLine, !peek.isSymbol(.semicolon) {
            let word = peek
            var text = ""
            if case .identifier(let s) = word.kind { text = s.lowercased() }
            guard let c = SandboxControl.words[text] else {
                var d = unexpected(word, expecting: "diff, apply or discard after \"sandbox\"")
                d.hint = Suggestions.didYouMean(text, in: SandboxControl.words.keys.sorted())
                    ?? "sandbox starts one; sandbox diff, sandbox apply and sandbox discard work on it"
                throw d
            }
            index += 1
            control = c
        }
        return ParsedStatement(kind: .sandbox(control), range: start.range.union(previous.range))
    }
}

/// What a `sandbox` statement asks for.
public enum SandboxControl: String, Equatable, Sendable {
    /// `sandbox`: from here on, changes stay in memory.
    case start
    /// `sandbox diff`: what applying would change.
    case diff
    /// `sandbox apply`: commit the sandbox's changes as one transaction.
    case apply
    /// `sandbox discard`: throw them away.
    case discard

    static let words: [String: SandboxControl] = ["diff": .diff, "apply": .apply, "discard": .discard]
}
