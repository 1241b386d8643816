/// Custom fields: `add field`, `rename field`, `drop field`. Only the first word is reserved; `field`,
/// `to`, `from` and the type names are read by their spelling, so fields named like them keep working.
extension Parser {
    /// `add field NAME to ENTITY as TYPE`, at `add`.
    mutating func addField(start: Token) throws(Diagnostic) -> ParsedStatement {
        index += 1  // `add`
        if acceptWord("entity") { return try addEntity(start: start) }
        try expectWord("field", "\"field\" or \"entity\" after \"add\", as in add field tier to accounts as text")
        let field = try name(expecting: "the new field's name, as in add field tier to accounts as text")
        try expectWord("to", "\"to\" and the entity, as in add field \(field.text) to accounts as text")
        let entity = try name(expecting: "the entity to add the field to, as in add field \(field.text) to accounts as text")
        try expect(.as, "\"as\" and the field's type, as in add field \(field.text) to \(entity.text) as text")
        let type = try fieldType()
        return ParsedStatement(kind: .catalog(.field(.add(entity: entity, field: field, type: type))),
                               range: start.range.union(previous.range))
    }

    /// `add entity NAME [singular NAME] (FIELD TYPE, ...)`, after `add entity`.
    private mutating func addEntity(start: Token) throws(Diagnostic) -> ParsedStatement {
        let name = try self.name(expecting: "the new entity's plural name, as in add entity products (name text, list_price money)")
        let singular = acceptWord("singular") ? try self.name(expecting: "the entity's singular name, as in singular product") : nil
        let open = peek
        guard open.isSymbol(.lparen) else {
            throw unexpected(open, expecting: "\"(\" and the fields, as in add entity \(name.text) (name text, list_price money)")
        }
        try enterNesting(open)
        var fields: [FieldSyntax] = []
        repeat {
            let field = try self.name(expecting: "a field: its name and type, as in name text")
            fields.append(FieldSyntax(name: field, type: try fieldType()))
        } while accept(.comma)
        try expect(.rparen, "\",\" and another field, or \")\" to close the list")
        depth -= 1
        let range = start.range.union(previous.range)
        return ParsedStatement(kind: .catalog(.field(.addEntity(name: name, singular: singular, fields: fields, range: range))), range: range)
    }

    /// `text`, `int`, `money`, `percent`, `bool`, `date`, `datetime`, `enum ("A", ...)`, `reference to ENTITY`.
    private mutating func fieldType() throws(Diagnostic) -> FieldTypeSyntax {
        let what = "a type: text, int, money, percent, bool, date, datetime, enum (\"A\", \"B\") or reference to ENTITY"
        let type = try name(expecting: what)
        var syntax = FieldTypeSyntax(name: type)
        switch type.text.lowercased() {
        case "enum":
            let open = peek
            guard open.isSymbol(.lparen) else {
                throw unexpected(open, expecting: "\"(\" and the values, as in enum (\"Gold\", \"Silver\", \"Bronze\")")
            }
            try enterNesting(open)
            repeat {
                let t = peek
                guard case .string(let s) = t.kind else {
                    throw unexpected(t, expecting: "a value in quotes, as in enum (\"Gold\", \"Silver\")")
                }
                index += 1
                syntax.values.append(Name(text: s, range: t.range))
            } while accept(.comma)
            try expect(.rparen, "\",\" and another value, or \")\" to close the list")
            depth -= 1
        case "reference":
            try expectWord("to", "\"to\" and the entity it refers to, as in reference to accounts")
            syntax.target = try name(expecting: "the entity the field refers to, as in reference to accounts")
        default:
            break
        }
        return syntax
    }

    /// `rename field NAME to NEW in ENTITY`, at `rename`.
    mutating func renameField(start: Token) throws(Diagnostic) -> ParsedStatement {
        index += 1  // `rename`
        try expectWord("field", "\"field\" after \"rename\", as in rename field tier to segment_tier in accounts")
        let field = try name(expecting: "the field to rename")
        try expectWord("to", "\"to\" and the new name, as in rename field \(field.text) to new_name in accounts")
        let to = try name(expecting: "the field's new name")
        try expect(.in, "\"in\" and the entity, as in rename field \(field.text) to \(to.text) in accounts")
        let entity = try name(expecting: "the entity whose field to rename")
        return ParsedStatement(kind: .catalog(.field(.rename(entity: entity, field: field, to: to))),
                               range: start.range.union(previous.range))
    }

    /// `drop field NAME from ENTITY`, after `drop`.
    mutating func dropField(start: Token) throws(Diagnostic) -> ParsedStatement {
        index += 1  // `field`
        let field = try name(expecting: "the field to drop, as in drop field renewal_date from accounts")
        try expectWord("from", "\"from\" and the entity, as in drop field \(field.text) from accounts")
        let entity = try name(expecting: "the entity whose field to drop")
        return ParsedStatement(kind: .catalog(.field(.drop(entity: entity, field: field))),
                               range: start.range.union(previous.range))
    }
}
