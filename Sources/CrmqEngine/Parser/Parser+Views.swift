/// `convert lead 42 ...` and the 360° view `show account 42`.
extension Parser {
    /// `convert lead KEY [with opportunity FIELD [=] value, ... | without opportunity]`, after `convert`.
    mutating func convertLead(start: Token) throws(Diagnostic) -> ParsedStatement {
        let entity = try name(expecting: "what to convert, as in convert lead 42")
        let (key, keyRange) = try recordKey(of: entity.text, example: "convert lead 42")
        var clause = OpportunityClause.defaults
        let t = peek
        if t.isKeyword(.with), !t.startsLine {
            index += 1
            try opportunityWord(after: "with")
            var list: [Assignment] = []
            repeat {
                let field = try name(expecting: list.isEmpty ? "a field and its value after \"with opportunity\", as in value 5000"
                                                             : "a field and its value after \",\"")
                _ = accept(.equal)
                list.append(Assignment(field: Path(components: [field]), value: try expression()))
            } while accept(.comma)
            clause = .with(list)
        } else if case .identifier(let w) = t.kind, w.lowercased() == "without", !t.startsLine {
            index += 1
            try opportunityWord(after: "without")
            clause = .none
        }
        return ParsedStatement(kind: .convert(ConvertLead(entity: entity, key: key, keyRange: keyRange, opportunity: clause)),
                               range: start.range.union(previous.range))
    }

    /// `show ENTITY KEY`, after `show`.
    mutating func recordView(start: Token) throws(Diagnostic) -> ParsedStatement {
        let entity = try name(expecting: "a record to show, as in show account 42 or show account \"Acme AS\"")
        let (key, keyRange) = try recordKey(of: entity.text, example: "show \(entity.text) 42")
        return ParsedStatement(kind: .view(RecordView(entity: entity, key: key, keyRange: keyRange)),
                               range: start.range.union(previous.range))
    }

    /// Whether `show` at `t` starts a view (`show account 42`, `show contact "Kari"`) rather than
    /// continuing a `find` on the next line (`show name, stage`): a name, then an id or a text.
    func startsView(_ t: Token) -> Bool {
        guard t.isKeyword(.show) else { return false }
        var lo = 0, hi = tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if tokens[mid].range.start < t.range.start { lo = mid + 1 } else { hi = mid }
        }
        guard lo + 2 < tokens.count, tokens[lo].range == t.range, case .identifier = tokens[lo + 1].kind else { return false }
        switch tokens[lo + 2].kind {
        case .integer, .string: return true
        default: return false
        }
    }

    /// `42` or `"Acme AS"`.
    private mutating func recordKey(of entity: String, example: String) throws(Diagnostic) -> (RecordKey, SourceRange) {
        let t = peek
        switch t.kind {
        case .integer(let id):
            index += 1
            return (.id(id), t.range)
        case .string(let s):
            index += 1
            return (.name(s), t.range)
        default:
            var d = unexpected(t, expecting: "the \(entity)'s id or its name in quotes, as in \(example)")
            if t.startsLine, t.kind != .end {
                // `show account` alone on its line: the next line is another statement.
                d = Diagnostic(.parser, "incomplete statement: expected the \(entity)'s id or its name in quotes, as in \(example)",
                               at: SourceRange(previous.range.end, previous.range.end + 1),
                               hint: "the next line starts a new statement")
            }
            throw d
        }
    }

    private mutating func opportunityWord(after word: String) throws(Diagnostic) {
        let t = peek
        if case .identifier(let w) = t.kind, ["opportunity", "opportunities"].contains(w.lowercased()) {
            index += 1
            return
        }
        throw unexpected(t, expecting: "\"opportunity\" after \"\(word)\", as in convert lead 42 \(word) opportunity"
                         + (word == "with" ? " value 5000" : ""))
    }
}
