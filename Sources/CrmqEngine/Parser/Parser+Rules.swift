/// Workflow rules: `define rule`, `drop rule`, `enable rule`, `disable rule`, `run rules` and
/// `explain rule`, and the `changes` test of a rule's `when`. Every word here but `create`,
/// `update`, `set`, `where`, `day` and `as of` is read as a name in its place, so that a field may
/// still be called `changes` or `run`.
extension Parser {
    /// `define rule NAME ...`, after `define`.
    mutating func defineRule(start: Token) throws(Diagnostic) -> ParsedStatement {
        index += 1  // `rule`
        let name = try name(expecting: "the rule's name, as in define rule follow_up on update opportunities when ...")
        let first = index
        var syntax = try ruleBody(name: name)
        syntax.text = Parser.canonicalText(tokens[first..<index])
        return ParsedStatement(kind: .rule(.define(syntax)), range: start.range.union(previous.range))
    }

    /// What follows a rule's name: `on EVENT ENTITY` or `every day on ENTITY`, `[when CONDITION]`,
    /// `do ACTION {then ACTION}`.
    mutating func ruleBody(name: Name) throws(Diagnostic) -> RuleSyntax {
        let trigger: RuleTrigger
        if acceptWord("every") {
            try expect(.day, "\"day\" after \"every\", as in every day on opportunities when ...")
            try expectWord("on", "\"on\" and an entity, as in every day on opportunities when ...")
            trigger = .daily
        } else {
            try expectWord("on", "\"on create\", \"on update\", \"on delete\" or \"every day\" after the rule's name",
                           alternatives: ["every"])
            switch peek.kind {
            case .keyword(.create): trigger = .create
            case .keyword(.update): trigger = .update
            case .keyword(.delete): trigger = .delete
            default:
                throw unexpected(peek, expecting: "create, update or delete after \"on\"", suggest: [.create, .update, .delete])
            }
            index += 1
        }
        let entity = try self.name(expecting: "the entity the rule watches, such as opportunities")
        var condition: Condition?
        if acceptWord("when") { condition = try self.condition() }
        try expectWord("do", "\"do\" and what the rule does, as in do create activity subject = \"Call back\"",
                       alternatives: condition == nil ? ["when"] : [])
        var actions = [try ruleAction()]
        while acceptWord("then") { actions.append(try ruleAction()) }
        return RuleSyntax(name: name, trigger: trigger, entity: entity, condition: condition, actions: actions, text: "")
    }

    /// `create ENTITY ...`, `update set ...` or `update ENTITY set ... [where ...]`.
    private mutating func ruleAction() throws(Diagnostic) -> RuleActionSyntax {
        let t = peek
        if accept(.create) {
            let entity = try name(expecting: "what to create (an entity such as activity)")
            _ = accept(.set)
            return .create(entity: entity, assignments: try assignments(after: "create \(entity.text)"))
        }
        if accept(.update) {
            if accept(.set) {
                let list = try assignments(after: "set")
                return .updateRecord(assignments: list, range: t.range.union(previous.range))
            }
            let entity = try name(expecting: "\"set\" (to change the record that set the rule off) or an entity after \"update\"")
            try expect(.set, "\"set\" and the fields to change, as in update \(entity.text) set FIELD = value where ...")
            let list = try assignments(after: "set")
            let filter = accept(.where) ? try condition() : nil
            return .update(entity: entity, assignments: list, filter: filter)
        }
        throw unexpected(t, expecting: "an action: create ENTITY FIELD = value, update set FIELD = value, or update ENTITY set ... where ...",
                         suggest: [.create, .update])
    }

    /// `drop rule NAME`, `enable rule NAME`, `disable rule NAME`, after the first word.
    mutating func ruleByName(start: Token, _ make: (Name) -> RuleStatement) throws(Diagnostic) -> ParsedStatement {
        try expectWord("rule", "\"rule\" and its name, as in disable rule follow_up")
        let name = try name(expecting: "the rule's name (.rules lists them)")
        return ParsedStatement(kind: .rule(make(name)), range: start.range.union(previous.range))
    }

    /// `run rules [as of DATE]`, at `run`.
    mutating func runRules(start: Token) throws(Diagnostic) -> ParsedStatement {
        index += 1
        try expectWord("rules", "\"rules\" after \"run\", as in run rules as of 2026-03-31")
        var day: Expr?
        if accept(.as) {
            try expect(.of, "\"of\" and a date after \"as\", as in run rules as of 2026-03-31")
            day = try expression()
        }
        return ParsedStatement(kind: .rule(.run(asOf: day)), range: start.range.union(previous.range))
    }

    /// Whether `t` starts a rule statement that begins with a name: `enable rule`, `disable rule`, `run rules`.
    func startsRuleStatement(_ t: Token) -> Bool {
        guard case .identifier(let s) = t.kind else { return false }
        // Tokens are in source order: find `t` by binary search (recovery asks at every line).
        var lo = 0, hi = tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if tokens[mid].range.start < t.range.start { lo = mid + 1 } else { hi = mid }
        }
        let i = lo
        guard i + 1 < tokens.count, tokens[i].range == t.range else { return false }
        switch s.lowercased() {
        case "enable", "disable": return isWord(tokens[i + 1], "rule")
        case "run": return isWord(tokens[i + 1], "rules")
        default: return false
        }
    }

    /// `changes`, `changes to V`, `changes from V`, `changes from V to W`, at `changes` after a field.
    mutating func changesPredicate(_ left: Expr, start: SourceRange) throws(Diagnostic) -> Condition {
        index += 1
        var from: Expr?, to: Expr?
        if acceptWord("from") { from = try expression() }
        if acceptWord("to") { to = try expression() }
        return Condition(kind: .changes(left, from: from, to: to), range: start.union(previous.range))
    }

    /// A word read as a name in its place, or an error with a did-you-mean for a misspelling.
    private mutating func expectWord(_ word: String, _ what: String, alternatives: [String] = []) throws(Diagnostic) {
        if acceptWord(word) { return }
        var d = unexpected(peek, expecting: what)
        if case .identifier(let s) = peek.kind, let hint = Suggestions.didYouMean(s, in: [word] + alternatives) {
            d.hint = hint
        }
        throw d
    }

    /// A stored rule (everything after its name), parsed again when the rule is used.
    public static func storedRule(_ text: String, name: String) throws(Diagnostic) -> RuleSyntax {
        let (tokens, lexError) = Lexer.tokenizePrefix(SourceText(name: "rule \(name)", text: text), from: 0)
        if let lexError { throw lexError }
        var parser = Parser(tokens: tokens)
        let syntax = try parser.ruleBody(name: Name(text: name, range: SourceRange(0, 0)))
        guard parser.peek.kind == .end else {
            throw parser.unexpected(parser.peek, expecting: "the end of the rule")
        }
        return syntax
    }
}
