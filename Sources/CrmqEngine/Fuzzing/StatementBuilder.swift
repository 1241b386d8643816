/// Builds statements from the grammar (`grammar/crmq.ebnf`), the fuzzer's bytes choosing each step:
/// the statement form, entities and fields that exist, operators that suit the field, literals of
/// the field's type, nesting. Nearly every statement it builds passes the parser, so the binder,
/// planner and executors see far more inputs than random text reaches; a few choices break a rule
/// on purpose (a wrong type, an unknown name, a stray token) so the diagnostics behind each stage run too.
struct StatementBuilder {
    let schema: Schema

    /// Up to eight statements, one per line or separated by `;`.
    func script(from bytes: [UInt8]) -> String {
        var b = FuzzBytes(bytes)
        var out = ""
        for i in 0..<8 {
            if i > 0 && b.isExhausted { break }
            if i > 0 { out += b.pick([";\n", "\n", "; "]) }
            out += statement(&b)
        }
        return out
    }

    // MARK: - Statements

    private func statement(_ b: inout FuzzBytes) -> String {
        var text: String
        switch b.below(14) {
        case 0, 1, 2, 3: text = find(&b)
        case 4, 5, 6: text = aggregate(&b)
        case 7: text = "explain " + (b.oneIn(2) ? "analyze " : "") + (b.oneIn(2) ? find(&b) : aggregate(&b))
        case 8: text = change(&b)
        case 9: text = b.pick(["begin", "commit", "rollback"])
        case 10:
            let e = entity(&b)
            text = (b.oneIn(2) ? "drop index " : "index ") + e.name + "." + field(of: e, &b).name
        case 11: text = shellCommand(&b)
        default: text = change(&b)
        }
        if b.oneIn(16) { text = breakRule(text, &b) }
        return text
    }

    private func find(_ b: inout FuzzBytes) -> String {
        let e = entity(&b)
        var text = "find " + e.name
        for clause in clauses(&b) {
            switch clause {
            case 0: text += " where " + condition(e, depth: 0, &b)
            case 1: text += " show " + (b.oneIn(4) ? "*" : list(1 + b.below(4), &b) { path(from: e, &$0).text })
            case 2: text += " order by " + list(1 + b.below(3), &b) { orderKey(e, aggregate: false, &$0) }
            case 3: text += " limit " + smallNumber(&b)
            default: text += " offset " + smallNumber(&b)
            }
        }
        return text
    }

    private func aggregate(_ b: inout FuzzBytes) -> String {
        let e = entity(&b)
        var text: String
        if b.oneIn(2) {
            text = "count " + (b.oneIn(2) ? "of " : "") + e.name
        } else {
            text = list(1 + b.below(3), &b) { aggregateCall(e, &$0) } + " of " + e.name
        }
        for clause in clauses(&b) {
            switch clause {
            case 0: text += " where " + condition(e, depth: 0, &b)
            case 1: text += " by " + list(1 + b.below(3), &b) { path(from: e, &$0).text }
            case 2: text += " order by " + list(1 + b.below(3), &b) { orderKey(e, aggregate: true, &$0) }
            case 3: text += " limit " + smallNumber(&b)
            default: text += " offset " + smallNumber(&b)
            }
        }
        return text
    }

    /// Which of the five clauses a query has (each at most once: a second is a parse error), in any order.
    private func clauses(_ b: inout FuzzBytes) -> [Int] {
        var left = [0, 1, 2, 3, 4]
        return (0..<b.below(6)).map { _ in left.remove(at: b.below(left.count)) }
    }

    private func aggregateCall(_ e: EntityDef, _ b: inout FuzzBytes) -> String {
        let function = b.pick(["count", "sum", "avg", "min", "max"])
        return function == "count" ? function : function + " " + arithmetic(e, depth: 0, &b)
    }

    private func arithmetic(_ e: EntityDef, depth: Int, _ b: inout FuzzBytes) -> String {
        var text = factor(e, depth: depth, &b)
        while depth < 3 && b.oneIn(3) {
            text += b.pick([" + ", " - ", " * ", " / "]) + factor(e, depth: depth, &b)
        }
        return text
    }

    private func factor(_ e: EntityDef, depth: Int, _ b: inout FuzzBytes) -> String {
        switch b.below(6) {
        case 0 where depth < 3 && !b.isExhausted: return "(" + arithmetic(e, depth: depth + 1, &b) + ")"
        // A space after the minus: "--" would start a comment.
        case 1 where depth < 3: return "- " + factor(e, depth: depth + 1, &b)
        case 2: return number(&b)
        default:
            let numeric = e.fields.filter { $0.type.isNumeric }
            return numeric.isEmpty || b.oneIn(8) ? path(from: e, &b).text : b.pick(numeric).name
        }
    }

    private func orderKey(_ e: EntityDef, aggregate: Bool, _ b: inout FuzzBytes) -> String {
        var key = aggregate && b.oneIn(2)
            ? b.pick(["count", "sum", "avg", "min", "max", "sum_value", "avg_value", "count_of"])
            : path(from: e, &b).text
        key += b.pick(["", " asc", " desc"])
        return key
    }

    private func change(_ b: inout FuzzBytes) -> String {
        let e = entity(&b)
        let writable = Array(e.fields.dropFirst())
        func assignments(_ b: inout FuzzBytes) -> String {
            list(1 + b.below(4), &b) { b in
                let f = writable.isEmpty || b.oneIn(12) ? field(of: e, &b) : b.pick(writable)
                return f.name + " = " + literal(f.type, &b)
            }
        }
        switch b.below(4) {
        case 0:
            return "create " + (b.oneIn(2) ? e.singular : e.name) + (b.oneIn(2) ? " set " : " ") + assignments(&b)
        case 1:
            return "update " + e.name + " set " + assignments(&b) + (b.oneIn(4) ? "" : " where " + condition(e, depth: 0, &b))
        case 2:
            return "delete " + e.name + (b.oneIn(4) ? "" : " where " + condition(e, depth: 0, &b))
        default:
            let keys = list(1 + b.below(2), &b) { (writable.isEmpty ? field(of: e, &$0) : $0.pick(writable)).name }
            return "upsert " + (b.oneIn(2) ? e.singular : e.name) + " by " + keys + " set " + assignments(&b)
        }
    }

    private func shellCommand(_ b: inout FuzzBytes) -> String {
        switch b.below(9) {
        case 0: return ".format " + b.pick(OutputFormat.allCases.map(\.rawValue) + ["xml"])
        case 1: return ".today " + b.pick(["2026-06-15", "2024-02-29", "1970-01-01", "9999-12-31", "2026-13-01"])
        case 2: return ".rows " + b.pick(["0", "1", "5", "all", "-1"])
        case 3: return ".width " + b.pick(["0", "1", "20", "80", "auto", "100000"])
        case 4: return ".chart " + b.pick(["on", "off", "funnel"])
        case 5: return ".schema" + (b.oneIn(3) ? "" : " " + entity(&b).name)
        case 6: return ".indexes" + (b.oneIn(3) ? "" : " " + entity(&b).name)
        case 7: return ".help" + (b.oneIn(3) ? "" : " " + b.pick(["find", "count", "opportunities", "deals", "dates", "save", "xyz"]))
        default: return ".echo " + b.pick(["on", "off"])
        }
    }

    // MARK: - Conditions

    private func condition(_ e: EntityDef, depth: Int, _ b: inout FuzzBytes) -> String {
        guard depth < 4 else { return predicate(e, &b) }
        // The first choice (all that is left once the bytes run out) ends the nesting.
        switch b.below(8) {
        case 4: return condition(e, depth: depth + 1, &b) + " and " + condition(e, depth: depth + 1, &b)
        case 5: return condition(e, depth: depth + 1, &b) + " or " + condition(e, depth: depth + 1, &b)
        case 6: return "not " + condition(e, depth: depth + 1, &b)
        case 7: return "(" + condition(e, depth: depth + 1, &b) + ")"
        default: return predicate(e, &b)
        }
    }

    private func predicate(_ e: EntityDef, _ b: inout FuzzBytes) -> String {
        let (p, type) = path(from: e, &b)
        let not = b.oneIn(4) ? "not " : ""
        // Text matching on other types now and then: the binder refuses it with a diagnostic.
        let textual = type == .text || b.oneIn(8)
        switch b.below(10) {
        case 0: return p + " is " + (b.oneIn(2) ? "not " : "") + "null"
        case 1: return p + " " + not + "in (" + list(1 + b.below(5), &b) { operand(type, &$0) } + ")"
        case 2: return p + " " + not + "between " + operand(type, &b) + " and " + operand(type, &b)
        case 3 where type.isTemporal: return p + (b.oneIn(2) ? " before " : " after ") + operand(type, &b)
        case 4 where type.isTemporal: return p + " within " + window(&b)
        case 5 where type.isTemporal: return p + " " + not + "in " + period(&b)
        case let k where (3...6).contains(k) && textual:
            return p + " " + not + b.pick(["contains ", "starts with ", "ends with "]) + operand(type, &b)
        default: return p + " " + b.pick(["=", "==", "!=", "<>", "<", "<=", ">", ">="]) + " " + operand(type, &b)
        }
    }

    private func operand(_ type: FieldType, _ b: inout FuzzBytes) -> String {
        b.oneIn(10) ? name(&b) : literal(type, &b)
    }

    private func window(_ b: inout FuzzBytes) -> String {
        if b.oneIn(3) { return period(&b) }
        return b.pick(["last ", "next "]) + smallNumber(&b) + " "
            + b.pick(["day", "days", "week", "weeks", "month", "months", "quarter", "year", "years"])
    }

    private func period(_ b: inout FuzzBytes) -> String {
        b.pick(["this ", "last ", "next "]) + b.pick(["day", "week", "month", "quarter", "year"])
    }

    // MARK: - Names and literals

    private func entity(_ b: inout FuzzBytes) -> EntityDef {
        let entities = schema.entities
        return b.pick(entities)
    }

    private func field(of e: EntityDef, _ b: inout FuzzBytes) -> FieldDef {
        b.oneIn(24) ? FieldDef("vaule", .text) : b.pick(e.fields)
    }

    /// A field, or a dot path through references (up to three steps), with the type it ends in.
    private func path(from e: EntityDef, _ b: inout FuzzBytes) -> (text: String, type: FieldType) {
        var entity = e
        var text = ""
        for step in 0..<4 {
            let f = field(of: entity, &b)
            text += (step == 0 ? "" : ".") + f.name
            guard step < 3, case .reference(let target) = f.type, b.oneIn(3),
                  let next = schema.entity(named: target) else { return (text, f.type) }
            entity = next
        }
        return (text, .text)
    }

    /// A name a statement may use as an operand: a field of some entity (often not the one in scope).
    private func name(_ b: inout FuzzBytes) -> String {
        b.pick(entity(&b).fields).name
    }

    private func literal(_ type: FieldType, _ b: inout FuzzBytes) -> String {
        // Now and then a literal of some other type: the binder's type checks run too.
        let type = b.oneIn(12) ? b.pick([FieldType.text, .int, .money, .percent, .bool, .date, .datetime]) : type
        if b.oneIn(16) { return "null" }
        switch type {
        case .text: return text(&b)
        case .int: return b.oneIn(4) ? hugeNumber(&b) : number(&b)
        case .money, .percent: return number(&b)
        case .bool: return b.pick(["true", "false"])
        case .date:
            return b.pick(["2026-06-15", "2026-01-31", "2024-02-29", "2026-02-30", "0001-01-01", "9999-12-31",
                           "today", "yesterday", "tomorrow", "this quarter", "last year"])
        case .datetime:
            return b.pick(["2026-01-05T08:00:00", "2026-01-05T08:00", "2026-06-15T23:59:59Z", "2026-06-15",
                           "1970-01-01T00:00:00Z", "2026-06-15T24:00:00", "today", "next month"])
        case .enumeration(let name):
            let values = schema.enumValues(name)
            return values.isEmpty || b.oneIn(8) ? text(&b) : quoted(b.pick(values), &b)
        case .reference:
            return b.oneIn(8) ? hugeNumber(&b) : String(b.below(40))
        }
    }

    private func text(_ b: inout FuzzBytes) -> String {
        quoted(b.pick(["Acme", "", "a", "Retail", "Closed Won", "ann@acme.example", "Ünïcode ✓", "O'Brien",
                       "say \"hi\"", "back\\slash", "%", "_", "line\nbreak", "Negotiation", "web form",
                       String(repeating: "x", count: 300)]), &b)
    }

    /// `s` as a text literal in double or single quotes, its quotes doubled or escaped.
    private func quoted(_ s: String, _ b: inout FuzzBytes) -> String {
        let q = b.oneIn(3) ? "'" : "\""
        let body = s.replacingAll("\\", with: "\\\\").replacingAll(q, with: b.oneIn(2) ? q + q : "\\" + q)
            .replacingAll("\n", with: b.oneIn(2) ? "\\n" : "\n")
        return q + body + q
    }

    private func number(_ b: inout FuzzBytes) -> String {
        switch b.below(6) {
        case 0: return smallNumber(&b)
        case 1: return "-" + smallNumber(&b)
        case 2: return smallNumber(&b) + "." + String(b.below(100))
        case 3: return b.pick(["0", "0.5", "1_000", "100", "100.01", "60", "0.001", "12345.678"])
        case 4: return String(Int64(bitPattern: b.u64()) % 10_000_000)
        default: return String(b.below(256) * 1000)
        }
    }

    private func hugeNumber(_ b: inout FuzzBytes) -> String {
        b.pick(["9223372036854775807", "-9223372036854775808", "9223372036854775808", "99999999999999999999999",
                "92233720368547758.07", "1e10", String(Int64(bitPattern: b.u64()))])
    }

    private func smallNumber(_ b: inout FuzzBytes) -> String { String(b.below(50)) }

    private func list(_ count: Int, _ b: inout FuzzBytes, _ item: (inout FuzzBytes) -> String) -> String {
        (0..<count).map { _ in item(&b) }.joined(separator: ", ")
    }

    /// One deliberate slip in an otherwise valid statement: a token dropped, doubled or swapped.
    private func breakRule(_ text: String, _ b: inout FuzzBytes) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard !words.isEmpty else { return text }
        let i = b.below(min(words.count, 256))
        switch b.below(4) {
        case 0: words.remove(at: i)
        case 1: words.insert(words[i], at: i)
        case 2: words[i] = b.pick(["(", ")", ",", ".", "*", "where", "and", "by", "of", "\"", "--", "'", "1.2.3", "é"])
        default: words.insert(b.pick(Keyword.allCases).rawValue, at: i)
        }
        return words.joined(separator: " ")
    }
}

private extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
