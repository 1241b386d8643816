/// Pipelines and exit criteria: `define pipeline`, `alter pipeline`, `drop pipeline`, `require ...
/// for stage`, `move opportunity N to "S"`. Words such as `pipeline`, `stage`, `won` and `to` are
/// read by their spelling here, not reserved, so fields named like them keep working.
extension Parser {
    /// Whether the token is the identifier `word`, in any case.
    func isWord(_ t: Token, _ word: String) -> Bool {
        if case .identifier(let s) = t.kind { return s.lowercased() == word }
        return false
    }

    mutating func acceptWord(_ word: String) -> Bool {
        if isWord(peek, word) { index += 1; return true }
        return false
    }

    mutating func expectWord(_ word: String, _ what: String) throws(Diagnostic) {
        if !acceptWord(word) { throw unexpected(peek, expecting: what) }
    }

    /// A pipeline's or a stage's name: text (`"Meeting booked"`) or a single word.
    mutating func quotedName(expecting what: String) throws(Diagnostic) -> Name {
        let t = peek
        switch t.kind {
        case .string(let s), .identifier(let s):
            index += 1
            return Name(text: s, range: t.range)
        default:
            throw unexpected(t, expecting: what)
        }
    }

    /// `define pipeline NAME stages ("S" N [won|lost], ...)`, after `define`.
    mutating func definePipeline(start: Token) throws(Diagnostic) -> ParsedStatement {
        index += 1  // `pipeline`
        let name = try quotedName(expecting: "the pipeline's name, as in define pipeline \"Enterprise\" stages (...)")
        try expectWord("stages", "\"stages\" and the list of stages, as in define pipeline \"\(name.text)\" stages (\"Meeting booked\" 10, ..., \"Contract signed\" 100 won, \"Lost\" 0 lost)")
        let open = peek
        guard open.isSymbol(.lparen) else {
            throw unexpected(open, expecting: "\"(\" and the stages, as in stages (\"Meeting booked\" 10, \"Contract signed\" 100 won, \"Lost\" 0 lost)")
        }
        try enterNesting(open)
        var stages = [try stageSyntax()]
        while accept(.comma) { stages.append(try stageSyntax()) }
        try expect(.rparen, "\",\" and another stage, or \")\" to close the list")
        depth -= 1
        return ParsedStatement(kind: .catalog(.pipeline(.define(name: name, stages: stages))), range: start.range.union(previous.range))
    }

    /// `"Contract signed" 100 won`: a name, a probability, and `won` or `lost` for a closed stage.
    private mutating func stageSyntax() throws(Diagnostic) -> StageSyntax {
        let name = try quotedName(expecting: "a stage: its name and probability, as in \"Meeting booked\" 10")
        let t = peek
        guard case .integer(let probability) = t.kind else {
            throw unexpected(t, expecting: "the probability (0 to 100) of stage \"\(name.text)\", as in \"\(name.text)\" 10")
        }
        index += 1
        var outcome = StageSyntax.Outcome.open
        if acceptWord("won") { outcome = .won } else if acceptWord("lost") { outcome = .lost }
        return StageSyntax(name: name, probability: probability, probabilityRange: t.range, outcome: outcome)
    }

    /// `alter pipeline NAME (add stage STAGE [after|before S] | rename stage S to T | drop stage S)`.
    mutating func alterPipeline(start: Token) throws(Diagnostic) -> ParsedStatement {
        index += 1  // `alter`
        try expectWord("pipeline", "\"pipeline\" after \"alter\", as in alter pipeline \"Enterprise\" add stage \"Security review\" 60")
        let pipeline = try quotedName(expecting: "the name of the pipeline to alter")
        let statement: PipelineStatement
        if accept(.add) {
            try expectWord("stage", "\"stage\" after \"add\", as in add stage \"Security review\" 60 after \"Evaluated by team\"")
            let stage = try stageSyntax()
            var placement = StagePlacement.end
            if accept(.after) {
                placement = .after(try quotedName(expecting: "the stage the new one follows"))
            } else if accept(.before) {
                placement = .before(try quotedName(expecting: "the stage the new one precedes"))
            }
            statement = .addStage(pipeline: pipeline, stage: stage, placement: placement)
        } else if accept(.rename) {
            try expectWord("stage", "\"stage\" after \"rename\", as in rename stage \"Lost\" to \"Closed lost\"")
            let from = try quotedName(expecting: "the stage to rename")
            try expectWord("to", "\"to\" and the new name, as in rename stage \"\(from.text)\" to \"...\"")
            statement = .renameStage(pipeline: pipeline, from: from, to: try quotedName(expecting: "the stage's new name"))
        } else if accept(.drop) {
            try expectWord("stage", "\"stage\" after \"drop\", as in drop stage \"Security review\"")
            statement = .dropStage(pipeline: pipeline, stage: try quotedName(expecting: "the stage to drop"))
        } else {
            throw unexpected(peek, expecting: "add stage, rename stage or drop stage after the pipeline's name")
        }
        return ParsedStatement(kind: .catalog(.pipeline(statement)), range: start.range.union(previous.range))
    }

    /// `drop pipeline NAME`, after `drop`.
    mutating func dropPipeline(start: Token) throws(Diagnostic) -> ParsedStatement {
        index += 1  // `pipeline`
        let name = try quotedName(expecting: "the name of the pipeline to drop")
        return ParsedStatement(kind: .catalog(.pipeline(.drop(pipeline: name))), range: start.range.union(previous.range))
    }

    /// `require (nothing | CRITERION {, CRITERION}) for stage S [in pipeline P]`. A criterion is a
    /// field that must be filled (a bare name) or any condition.
    mutating func requireCriteria(start: Token) throws(Diagnostic) -> ParsedStatement {
        index += 1  // `require`
        var criteria: [CriterionSyntax] = []
        if isWord(peek, "for") {
            throw unexpected(peek, expecting: "what to require: fields that must be filled, a condition, or nothing")
        }
        if !acceptWord("nothing") {
            repeat {
                let t = peek
                let next = tokens[min(index + 1, tokens.count - 1)]
                if case .identifier(let s) = t.kind, next.isSymbol(.comma) || isWord(next, "for") {
                    index += 1
                    criteria.append(.filled(Name(text: s, range: t.range)))
                } else {
                    let first = index
                    let c = try condition()
                    criteria.append(.condition(c, text: Parser.canonicalText(tokens[first..<index])))
                }
            } while accept(.comma)
        }
        try expectWord("for", "\"for stage\" and the stage, as in require close_date for stage \"Proposal\"")
        try expectWord("stage", "\"stage\" after \"for\", as in require close_date for stage \"Proposal\"")
        let stage = try quotedName(expecting: "the stage the criteria are for")
        var pipeline: Name?
        if accept(.in) {
            try expectWord("pipeline", "\"pipeline\" after \"in\", as in in pipeline \"Enterprise\"")
            pipeline = try quotedName(expecting: "the pipeline's name")
        }
        return ParsedStatement(kind: .catalog(.pipeline(.require(criteria: criteria, stage: stage, pipeline: pipeline))),
                               range: start.range.union(previous.range))
    }

    /// `move ENTITY ID to STAGE`.
    mutating func moveStatement(start: Token) throws(Diagnostic) -> ParsedStatement {
        index += 1  // `move`
        let entity = try name(expecting: "what to move and its id, as in move opportunity 17 to \"Negotiation\"")
        let id = try expression()
        try expectWord("to", "\"to\" and the stage, as in move \(entity.text) 17 to \"Negotiation\"")
        let stage = try expression()
        return ParsedStatement(kind: .change(.move(entity: entity, id: id, stage: stage)), range: start.range.union(previous.range))
    }
}
