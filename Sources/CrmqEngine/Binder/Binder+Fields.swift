/// Binding `add field`, `rename field` and `drop field`: names checked against the schema (with
/// did-you-mean), types resolved, and a field in use by a segment or an exit criterion refused.
extension Binder {
    func bindField(_ statement: FieldStatement) throws(Diagnostic) -> SchemaChange {
        switch statement {
        case .add(let entityName, let field, let typeSyntax):
            let entity = try resolveEntity(entityName)
            let name = try newFieldName(field, in: entity)
            let (type, values) = try bindType(typeSyntax, field: name, entity: entity.name)
            return .addField(entity: entity.name, field: FieldDef(name, type, "custom field"), enumValues: values)
        case .rename(let entityName, let field, let to):
            let entity = try resolveEntity(entityName)
            let old = try customField(field, of: entity, doing: "rename")
            try refuseIfUsed(old, of: entity, doing: "rename", at: field.range)
            if old.name == entity.titleField {
                // Other entities' default columns name it in their dot paths (`product_ref.name`).
                throw Diagnostic(.binder, "cannot rename \(entity.name).\(old.name): it is the field that names a \(entity.singular)",
                                 at: field.range, hint: "an entity's title field keeps its name")
            }
            let new = try newFieldName(to, in: entity)
            return .renameField(entity: entity.name, from: old.name, to: new)
        case .drop(let entityName, let field):
            let entity = try resolveEntity(entityName)
            let old = try customField(field, of: entity, doing: "drop")
            try refuseIfUsed(old, of: entity, doing: "drop", at: field.range)
            if old.name == entity.titleField {
                throw Diagnostic(.binder, "cannot drop \(entity.name).\(old.name): it is the field that names a \(entity.singular)",
                                 at: field.range, hint: "an entity's title field stays while the entity does")
            }
            return .dropField(entity: entity.name, field: old.name)
        case .addEntity(let name, let singular, let fields, _):
            return try bindEntity(name, singular, fields)
        }
    }

    /// `add entity`: a plural name, a singular (given, or the plural without its s: products ->
    /// product, companies -> company, boxes -> box), `id` and the fields; named in records by `name` if it has
    /// one, else by its first text field.
    private func bindEntity(_ name: Name, _ singularName: Name?, _ fieldSyntax: [FieldSyntax]) throws(Diagnostic) -> SchemaChange {
        let plural = try newEntityName(name)
        var singular = plural.hasSuffix("ies") ? String(plural.dropLast(3)) + "y"
            : ["xes", "ches", "shes", "sses"].contains(where: plural.hasSuffix) ? String(plural.dropLast(2))
            : plural.hasSuffix("s") && plural.count > 1 ? String(plural.dropLast()) : plural
        if let s = singularName {
            singular = try newEntityName(s)
        } else if schema.entity(named: singular) != nil || !SegmentDefinition.isValidName(singular) {
            throw Diagnostic(.binder, "the singular \"\(singular)\" of \"\(plural)\" is taken or not a name", at: name.range,
                             hint: "give one: add entity \(plural) singular NAME (...)")
        }
        var shell = EntityDef(name: plural, singular: singular, fields: [], defaultColumns: [], titleField: "")
        var enums: [String: [String]] = [:]
        for f in fieldSyntax {
            let fieldName = try newFieldName(f.name, in: shell)
            let (type, values) = try bindType(f.type, field: fieldName, entity: plural, newEntity: shell, takenEnums: Set(enums.keys))
            if case .enumeration(let key) = type, let values { enums[key] = values }
            shell.fields.append(FieldDef(fieldName, type, ""))
        }
        let fields = Array(shell.fields.dropFirst())
        let title = fields.first { $0.name == "name" }?.name ?? fields.first { $0.type == .text }?.name ?? fields[0].name
        // A reference shows its target's title, as the standard entities' `owner.name` does.
        let columns = ["id"] + fields.prefix(6).map { f -> String in
            guard case .reference(let target) = f.type else { return f.name }
            let targetTitle = target == plural ? title : schema.entity(named: target)?.titleField ?? "id"
            return "\(f.name).\(targetTitle)"
        }
        return .addEntity(EntityDef(name: plural, singular: singular, fields: fields, defaultColumns: columns, titleField: title),
                          enums: enums)
    }

    /// A name a new entity may take: an identifier, not a keyword, not an entity's or a segment's.
    private func newEntityName(_ name: Name) throws(Diagnostic) -> String {
        let text = name.text.lowercased()
        guard SegmentDefinition.isValidName(text) else {
            throw Diagnostic(.binder, "\"\(name.text)\" cannot name an entity", at: name.range,
                             hint: "an entity name is letters, digits and _, starting with a letter, and not a keyword")
        }
        if let e = schema.entity(named: text) {
            throw Diagnostic(.binder, "entity \"\(e.name)\" exists already", at: name.range, hint: ".schema lists the entities")
        }
        if segment(named: text) != nil {
            throw Diagnostic(.binder, "\"\(text)\" is the name of a segment", at: name.range, hint: ".segments lists them")
        }
        return text
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

    private func bindType(_ syntax: FieldTypeSyntax, field: String, entity: String, newEntity: EntityDef? = nil,
                          takenEnums: Set<String> = []) throws(Diagnostic) -> (FieldType, [String]?) {
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
            let free = { (k: String) in schema.enums[k] == nil && !takenEnums.contains(k) }
            let key = free(field) ? field : "\(entity)_\(field)"
            if !free(key) {
                throw Diagnostic(.binder, "an enum named \"\(key)\" exists already", at: syntax.name.range,
                                 hint: "give the field another name")
            }
            return (.enumeration(key), syntax.values.map(\.text))
        case "reference":
            guard let target = syntax.target else { return (.int, nil) }
            if let e = newEntity, [e.name, e.singular].contains(target.text.lowercased()) { return (.reference(e.name), nil) }
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
        for r in rules where Binder.mentions(r.text, field.name) {
            throw Diagnostic(.binder, "cannot \(verb) \(entity.name).\(field.name): rule \"\(r.name)\" uses it", at: range,
                             hint: "drop rule \(r.name) first")
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
