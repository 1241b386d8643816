/// Binding `add field`, `rename field` and `drop field`: names checked against the schema (with
/// did-you-mean), types resolved, and a field in use by a segment or an exit criterion refused.
extension Binder {
    func bindField(_ statement: FieldStatement) throws(Diagnostic) -> SchemaChange {
        switch statement {
        case .add(let entityName, let field, let typeSyntax):
            let entity = try resolveEntity(entityName)
            let name = try newFieldName(field, in: entity)
            let (type, values) = try bindType(typeSyntax, field: name, entity: entity)
            return .addField(entity: entity.name, field: FieldDef(name, type, "custom field"), enumValues: values)
        case .rename(let entityName, let field, let to):
            let entity = try resolveEntity(entityName)
            let old = try customField(field, of: entity, doing: "rename")
            try refuseIfUsed(old, of: entity, doing: "rename", at: field.range)
            let new = try newFieldName(to, in: entity)
            return .renameField(entity: entity.name, from: old.name, to: new)
        case .drop(let entityName, let field):
            let entity = try resolveEntity(entityName)
            let old = try customField(field, of: entity, doing: "drop")
            try refuseIfUsed(old, of: entity, doing: "drop", at: field.range)
            return .dropField(entity: entity.name, field: old.name)
        }
    }

    /// A name a new field may take: an identifier, not a keyword, not a field the entity has.
    private func newFieldName(_ name: Name, in entity: EntityDef) throws(Diagnostic) -> String {
        let text = name.text.lowercased()
        guard SegmentDefinition.isValidName(text) else {
            throw Diagnostic(.binder, "\"\(name.text)\" cannot name a field", at: name.range,
                             hint: "a field name is letters, digits and _, starting with a letter, and not a keyword")
        }
        if entity.field(text) != nil {
            throw Diagnostic(.binder, "\(entity.name) already has a field \"\(text)\"", at: name.range,
                             hint: ".schema \(entity.name) lists its fields")
        }
        return text
    }

    private func bindType(_ syntax: FieldTypeSyntax, field: String, entity: EntityDef) throws(Diagnostic) -> (FieldType, [String]?) {
        let word = syntax.name.text.lowercased()
        switch word {
        case "text": return (.text, nil)
        case "int": return (.int, nil)
        case "money": return (.money, nil)
        case "percent": return (.percent, nil)
        case "bool": return (.bool, nil)
        case "date": return (.date, nil)
        case "datetime": return (.datetime, nil)
        case "enum":
            var seen: Set<String> = []
            for v in syntax.values {
                if v.text.isEmpty { throw Diagnostic(.binder, "an enum value cannot be empty", at: v.range) }
                guard seen.insert(v.text.lowercased()).inserted else {
                    throw Diagnostic(.binder, "the value \"\(v.text)\" is listed twice", at: v.range,
                                     hint: "enum values compare case-insensitively")
                }
            }
            // The enum is named after the field, or after entity and field when that name is taken.
            let key = schema.enums[field] == nil ? field : "\(entity.name)_\(field)"
            if schema.enums[key] != nil {
                throw Diagnostic(.binder, "an enum named \"\(key)\" exists already", at: syntax.name.range,
                                 hint: "give the field another name")
            }
            return (.enumeration(key), syntax.values.map(\.text))
        case "reference":
            guard let target = syntax.target else { return (.int, nil) }
            return (.reference(try resolveEntity(target).name), nil)
        default:
            throw Diagnostic(.binder, "unknown type \"\(syntax.name.text)\"", at: syntax.name.range,
                             hint: Suggestions.didYouMean(word, in: ["text", "int", "money", "percent", "bool", "date", "datetime", "enum", "reference"])
                                 ?? "types: text, int, money, percent, bool, date, datetime, enum (\"A\", \"B\"), reference to ENTITY")
        }
    }

    /// The entity's field `name`, which must be one users added.
    private func customField(_ name: Name, of entity: EntityDef, doing verb: String) throws(Diagnostic) -> FieldDef {
        guard let f = entity.field(name.text) else {
            throw Diagnostic(.binder, "\(entity.name) has no field \"\(name.text)\"", at: name.range,
                             hint: Suggestions.didYouMean(name.text, in: entity.fields.map(\.name)) ?? ".schema \(entity.name) lists its fields")
        }
        if f.name == "id" || SchemaChange.isStandard(f.name, of: entity.name) {
            throw Diagnostic(.binder, "cannot \(verb) \(entity.name).\(f.name): it is a standard field", at: name.range,
                             hint: "only fields added with add field can be \(verb == "drop" ? "dropped" : "renamed")")
        }
        return f
    }

    /// Refuses when a segment's condition or a pipeline's exit criterion names the field. They are
    /// kept as source text, so they are read word by word: a name in a dot path counts too.
    private func refuseIfUsed(_ field: FieldDef, of entity: EntityDef, doing verb: String, at range: SourceRange) throws(Diagnostic) {
        for s in segments {
            if let c = s.condition, Binder.mentions(c, field.name) {
                throw Diagnostic(.binder, "cannot \(verb) \(entity.name).\(field.name): segment \"\(s.name)\" uses it", at: range,
                                 hint: "drop segment \(s.name) first")
            }
        }
        for p in schema.pipelines {
            for stage in p.stages {
                for c in stage.criteria {
                    let used = switch c {
                    case .filled(let f): entity.name == Database.dealEntity && f.lowercased() == field.name
                    case .condition(let text): Binder.mentions(text, field.name)
                    }
                    if used {
                        throw Diagnostic(.binder, "cannot \(verb) \(entity.name).\(field.name): stage \"\(stage.name)\" of pipeline \"\(p.name)\" requires \(c.text)",
                                         at: range, hint: "require nothing for stage \"\(stage.name)\" in pipeline \"\(p.name)\" first")
                    }
                }
            }
        }
    }

    /// Whether source text holds `word` as a name (not inside quotes).
    static func mentions(_ text: String, _ word: String) -> Bool {
        let (tokens, _) = Lexer.tokenizePrefix(SourceText(name: "condition", text: text))
        return tokens.contains { if case .identifier(let s) = $0.kind { s.lowercased() == word } else { false } }
    }
}
