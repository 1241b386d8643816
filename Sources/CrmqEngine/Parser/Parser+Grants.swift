/// `grant` and `revoke`: words read by their spelling (not reserved), so fields named `read`,
/// `on` or `grant` keep working; a statement starts with one only at the start of a statement.
extension Parser {
    /// Whether `t` starts a `grant` or `revoke` statement.
    func startsGrant(_ t: Token) -> Bool {
        isWord(t, "grant") || isWord(t, "revoke")
    }

    /// `grant ... to ROLE` or `revoke ... from ROLE`, at `grant` / `revoke`.
    mutating func grantStatement() throws(Diagnostic) -> ParsedStatement {
        let start = peek
        let granting = isWord(start, "grant")
        index += 1
        let verb = granting ? "grant" : "revoke"
        let example = granting ? "grant read on opportunities to sales where owner = me"
                               : "revoke read on opportunities.value from support"
        var actions = [try grantAction(verb, example)]
        while accept(.comma) { actions.append(try grantAction(verb, example)) }
        try expectWord("on", "\"on\" and an entity, as in \(example)")
        let entity = try name(expecting: "an entity after \"on\", as in \(example)")
        var field: Name?
        if accept(.dot) { field = try name(expecting: "a field after \".\", as in revoke read on opportunities.value from support") }
        try expectWord(granting ? "to" : "from", "\"\(granting ? "to" : "from")\" and a role, as in \(example)")
        let role = try name(expecting: "a role (admin, manager, sales, support), as in \(example)")
        var condition: Condition?
        var text: String?
        if accept(.where) {
            let first = index
            condition = try self.condition()
            text = Parser.canonicalText(tokens[first..<index])
        }
        let syntax = GrantSyntax(granting: granting, actions: actions, entity: entity, field: field, role: role,
                                 condition: condition, conditionText: text)
        return ParsedStatement(kind: .catalog(.grant(syntax)), range: start.range.union(previous.range))
    }

    /// read, create, update, delete or change; `create`, `update` and `delete` are keywords.
    private mutating func grantAction(_ verb: String, _ example: String) throws(Diagnostic) -> Name {
        let t = peek
        switch t.kind {
        case .identifier(let s):
            index += 1
            return Name(text: s, range: t.range)
        case .keyword(let k) where [.create, .update, .delete].contains(k):
            index += 1
            return Name(text: k.rawValue, range: t.range)
        default:
            throw unexpected(t, expecting: "what to \(verb) (read, create, update, delete or change), as in \(example)")
        }
    }
}
