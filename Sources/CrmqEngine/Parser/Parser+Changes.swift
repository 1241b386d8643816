/// The statements that change data: `create`, `update`, `delete`, `upsert`, the transaction
/// statements `begin`, `commit`, `rollback`, and `save`.
extension Parser {
    mutating func changeStatement() throws(Diagnostic) -> ParsedStatement {
        let t = peek
        index += 1
        func done(_ kind: StatementKind) -> ParsedStatement {
            ParsedStatement(kind: kind, range: t.range.union(previous.range))
        }
        switch t.kind {
        case .keyword(.create):
            let entity = try name(expecting: "what to create (an entity such as account)")
            try refuseAsOf(in: "create")
            // `create account set name = ...` reads naturally too.
            _ = accept(.set)
            return done(.change(.create(entity: entity, assignments: try assignments(after: "create \(entity.text)"))))
        case .keyword(.update):
            let entity = try name(expecting: "what to update (an entity such as opportunities)")
            try refuseAsOf(in: "update")
            try expect(.set, "\"set\" and the fields to change, as in update \(entity.text) set FIELD = value where ...")
            let list = try assignments(after: "set")
            let filter = accept(.where) ? try condition() : nil
            return done(.change(.update(entity: entity, assignments: list, filter: filter)))
        case .keyword(.delete):
            let entity = try name(expecting: "what to delete (an entity such as leads)")
            try refuseAsOf(in: "delete")
            let filter = accept(.where) ? try condition() : nil
            return done(.change(.delete(entity: entity, filter: filter)))
        case .keyword(.upsert):
            let entity = try name(expecting: "what to upsert (an entity such as contact)")
            try refuseAsOf(in: "upsert")
            try expect(.by, "\"by\" and the key fields, as in upsert \(entity.text) by email set email = ..., ...")
            var keys = [try name(expecting: "a key field after \"by\"")]
            while accept(.comma) { keys.append(try name(expecting: "a key field after \",\"")) }
            try expect(.set, "\"set\" and the fields, as in upsert \(entity.text) by \(keys[0].text) set \(keys[0].text) = ..., ...")
            return done(.change(.upsert(entity: entity, keys: keys, assignments: try assignments(after: "set"))))
        case .keyword(.begin):
            return done(.transaction(.begin))
        case .keyword(.commit):
            return done(.transaction(.commit))
        case .keyword(.rollback):
            return done(.transaction(.rollback))
        case .keyword(.save):
            if case .string(let path) = peek.kind, !peek.startsLine {
                index += 1
                return done(.save(path: path))
            }
            return done(.save(path: nil))
        default:
            preconditionFailure("changeStatement() is called on the keywords it handles")
        }
    }

    /// `FIELD = value {, FIELD = value}`.
    mutating func assignments(after what: String) throws(Diagnostic) -> [Assignment] {
        var list: [Assignment] = []
        repeat {
            let field = try path(expecting: list.isEmpty ? "FIELD = value after \"\(what)\"" : "FIELD = value after \",\"")
            try expect(.equal, "\"=\" and a value after \"\(field.text)\"")
            list.append(Assignment(field: field, value: try expression()))
        } while accept(.comma)
        return list
    }

    private mutating func path(expecting what: String) throws(Diagnostic) -> Path {
        guard case .identifier = peek.kind else {
            _ = try name(expecting: what)
            preconditionFailure("name(expecting:) throws on anything but an identifier")
        }
        return try path()
    }
}
