/// What the completer offers once the walk knows what the next word is expected to be.
extension CompletionWalk {
    func candidates(completing word: String) -> [Completer.Candidate] {
        func words(_ list: [String]) -> [Completer.Candidate] { list.map { Completer.Candidate($0) } }
        switch expect {
        case .statement:
            return words(previousWord == "explain" ? ["analyze", "find", "count", "sum", "avg", "min", "max", "show", "report", "rule"]
                         : CompletionWalk.statementKeywords.union([CompletionWalk.viewWord]).sorted())
        case .recordEntity:
            return words(previousWord == "convert" ? ["lead"] : ["account", "contact", "lead", "opportunity"])
        case .dropTarget:
            return words(["index", "segment", "pipeline", "rule"])
        case .sandboxWord:
            return words(SandboxControl.words.keys.sorted())
        case .segmentWord:
            return words(["segment", "pipeline", "rule"])
        case .ruleWord:
            return words(["rule"])
        case .rulesWord:
            return words(["rules"])
        case .ruleName:
            return words(rules)
        case .asWord:
            return words(["as"])
        case .segmentName:
            return words(segments.map(\.name))
        case .newSegmentName:
            return []
        case .importEntity:
            return words(schema.entityNames + ["vcards"])
        case .importFrom:
            return words(["from"])
        case .importFile:
            return []
        case .importOption:
            return words(Parser.importOptions)
        case .importField:
            return words(entity?.fields.map(\.name) ?? [])
        case .entity, .segmentBase:
            return words(schema.entityNames + segments.map(\.name))
        case .countTarget:
            return words(schema.entityNames + segments.map(\.name) + ["distinct"])
        case .distinctArgument:
            // The entity comes later (`count distinct account of ...`): any entity's fields will do.
            return words(Array(Set(schema.entities.flatMap { $0.fields.map(\.name) })).sorted())
        case .aggregateArgument:
            // The entity comes later (`sum value of ...`): any entity's numbers will do.
            return words(schema.entities.flatMap { $0.fields.filter { $0.type.isNumeric && $0.name != "id" }.map(\.name) })
        case .indexTarget:
            return indexTargets(word)
        case .reportKind:
            return words(ReportRegistry.names)
        case .grantAction:
            return words(GrantAction.allCases.map(\.rawValue) + ["change"])
        case .grantOn:
            return words(["on"])
        case .grantEntity:
            // `opportunities.va`: a field of the entity, for a field grant.
            if let dot = word.firstIndex(of: "."), let e = schema.entity(named: String(word[..<dot])) {
                return words(e.fields.dropFirst().map { "\(e.name).\($0.name)" })
            }
            return words(schema.entityNames)
        case .grantField:
            return words(entity?.fields.dropFirst().map(\.name) ?? [])
        case .grantTo:
            return words([grantVerb == "revoke" ? "from" : "to"])
        case .grantRole:
            return words(schema.enumValues("user_role"))
        case .clause where report != nil:
            return words(reportClauses)
        case .path where report != nil && clause == .groupBy:
            return words(report?.clauses.groupings ?? [])
        case .clause:
            var list: [String] = []
            // `as of DATE` comes right after the entity.
            if clause == .none && seen.isEmpty && !isDefine { list.append("as of") }
            if clause == .filter || clause == .having { list += betweenPending ? ["and"] : ["and", "or"] }
            if clause == .order, ["asc", "desc"].contains(previousWord) == false { list += ["asc", "desc"] }
            list += (isDefine ? ["where"] : isFind ? ["where", "show", "order by", "limit", "offset"]
                        : ["where", "by", "having", "order by", "limit", "offset"])
                .filter { !seen.contains($0) }
            return words(list)
        case .condition:
            // In `having`, the result's columns (its group paths among them), not the entity's fields.
            if clause == .having { return words(resultColumns.uniqued + ["not"]) }
            return paths(word) + functions(word) + words(["not"])
        case .path:
            return paths(word) + functions(word)
        case .orderKey:
            return (isFind ? functions(word) : words(["count", "sum", "avg", "min", "max"])) + paths(word)
        case .by:
            return words(["by"])
        case .comparison:
            return words(operators(for: operandType))
        case .value:
            return values(for: operandType)
        case .listValue:
            return values(for: operandType).filter { !listed.contains($0.text.lowercased().trimmingQuotes) }
        case .listStart:
            return words(["("]) + words(segmentsFitting())
        case .nullWord:
            return words(previousWord == "not" ? ["null"] : ["null", "not null"])
        case .with:
            return words(["with"])
        case .window:
            return words(["last", "next", "this"])
        case .periodUnit:
            return words(previousWord == "this" ? ["week", "month", "quarter", "year"] : ["day", "week", "month", "quarter", "year"])
        case .number, .nothing:
            return []
        case .collection:
            return words(collectionNames())
        case .collectionOpen:
            return words(previousWord == "via" ? [] : ["(", "via"])
        case .aggregateOpen:
            return words(["("])
        case .aggregateRest:
            return words(["where", ")"])
        }
    }

    /// The child collections of the statement's entity (the entities that refer to it), and the
    /// segments of those entities, which name collections too.
    fileprivate func collectionNames() -> [String] {
        guard let e = entity else { return [] }
        let children = schema.entities.filter { c in
            c.fields.contains { if case .reference(let t) = $0.type { return t == e.name }; return false }
        }.map(\.name)
        return children + segments.filter { children.contains($0.entity) }.map(\.name)
    }

    /// The entity of a collection as typed: `opportunities`, a segment, or through references
    /// (`account.opportunities`).
    func childEntity(named word: String) -> EntityDef? {
        let parts = word.split(separator: ".").map(String.init)
        guard let last = parts.last else { return nil }
        return schema.entity(named: last) ?? segments.first { $0.name.lowercased() == last }.flatMap { schema.entity(named: $0.entity) }
    }

    /// The segments `in` may name after the operand: those of the entity it refers to (`account
    /// in`), or of the statement's entity after `id in`.
    fileprivate func segmentsFitting() -> [String] {
        let target: String?
        if case .reference(let t)? = operandType { target = t }
        else if operandWord == "id" { target = entity?.name }
        else { target = nil }
        guard let target else { return [] }
        return segments.filter { $0.entity == target }.map(\.name)
    }

    /// The fields of the entity, or of the entity a dotted prefix leads to (`account.ow`).
    fileprivate func paths(_ word: String) -> [Completer.Candidate] {
        guard var e = entity else { return [] }
        let parts = word.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var prefix = ""
        for part in parts.dropLast() {
            guard let f = e.field(part), case .reference(let target) = f.type, let next = schema.entity(named: target) else { return [] }
            prefix += f.name + "."
            e = next
        }
        return e.fields.map { f in
            if case .reference = f.type { return Completer.Candidate(prefix + f.name, continues: true) }
            return Completer.Candidate(prefix + f.name)
        }
    }

    /// The functions of computed values (`year(`, `lower(`), once a word is begun: after a bare
    /// `show ` the fields are what is wanted.
    fileprivate func functions(_ word: String) -> [Completer.Candidate] {
        guard !word.isEmpty, !word.contains(".") else { return [] }
        return ScalarFunction.names.map { Completer.Candidate($0 + "(", continues: true) }
    }

    fileprivate func indexTargets(_ word: String) -> [Completer.Candidate] {
        let parts = word.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, let e = schema.entity(named: String(parts[0])) {
            return e.fields.map { Completer.Candidate(e.name + "." + $0.name) }
        }
        return schema.entityNames.map { Completer.Candidate($0 + ".", continues: true) }
    }

    fileprivate func operators(for type: FieldType?) -> [String] {
        let common = ["=", "!=", "in", "not in", "is null", "is not null"]
        switch type {
        case .text?: return common + ["contains", "starts with", "ends with", "not contains"]
        case .date?, .datetime?: return common + ["<", ">", "before", "after", "between", "within"]
        case .int?, .money?, .percent?: return common + ["<", "<=", ">", ">=", "between"]
        case .enumeration?: return common + ["<", "<=", ">", ">="]
        case .bool?, .reference?: return common
        case nil: return common + ["<", ">", "between", "contains", "before", "after", "within"]
        }
    }

    fileprivate func values(for type: FieldType?) -> [Completer.Candidate] {
        switch type {
        case .enumeration(let name)?:
            return schema.enumValues(name).map { Completer.Candidate("\"\($0)\"") }
        case .bool?:
            return [Completer.Candidate("true"), Completer.Candidate("false")]
        case .date?, .datetime?:
            return ["today", "yesterday", "tomorrow", "this", "last", "next"].map { Completer.Candidate($0) }
        default:
            return []
        }
    }
}
