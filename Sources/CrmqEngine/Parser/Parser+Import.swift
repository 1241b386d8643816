/// `import ENTITY from "FILE" [OPTION ...]`. Every option word but `set` and `by` is read by its
/// spelling where it stands, not reserved: fields may be named `map`, `date` or `encoding`.
extension Parser {
    static let importOptions = ["map", "ignore", "set", "by", "skip bad rows", "decimal comma", "date format",
                                "encoding", "delimiter", "without history"]

    mutating func importStatement(start: Token) throws(Diagnostic) -> ParsedStatement {
        let entity = try name(expecting: "what to import into (an entity such as contacts, or vcards)")
        guard acceptWord("from") else {
            throw unexpected(peek, expecting: "\"from\" and a file name in quotes, as in import contacts from \"contacts.csv\"")
        }
        guard case .string(let path) = peek.kind else {
            throw unexpected(peek, expecting: "a file name in quotes, as in \"contacts.csv\"")
        }
        var syntax = ImportSyntax(entity: entity, vcards: entity.text.lowercased() == "vcards", path: path,
                                  pathRange: peek.range)
        index += 1
        var seen: Set<String> = []
        while let option = try importOption(&syntax) {
            if seen.contains(option.text) {
                throw Diagnostic(.parser, "\"\(option.text)\" is given twice", at: option.range,
                                 hint: "give each option once; a list goes after one word, as in map a to x, b to y")
            }
            seen.insert(option.text)
        }
        if case .identifier(let word) = peek.kind, !peek.startsLine {
            var d = unexpected(peek, expecting: "an import option or the end of the statement")
            let words = Parser.importOptions.map { $0.split(separator: " ")[0] }.map(String.init)
            d.hint = Suggestions.closest(to: word.lowercased(), in: words)
                .map { w in "did you mean \"\(Parser.importOptions.first { $0.hasPrefix(w) }!)\"?" }
                ?? "options: " + Parser.importOptions.joined(separator: ", ")
            throw d
        }
        return ParsedStatement(kind: .importFile(syntax), range: start.range.union(previous.range))
    }

    /// One option, or nil when the next token starts none. Returns the option's name and where it stands.
    private mutating func importOption(_ s: inout ImportSyntax) throws(Diagnostic) -> Name? {
        let t = peek
        func named(_ text: String) -> Name { Name(text: text, range: t.range.union(previous.range)) }
        if accept(.set) {
            s.sets = try assignments(after: "set")
            return named("set")
        }
        if accept(.by) {
            repeat { s.keys.append(try name(expecting: "a key field after \"by\", as in by email")) } while accept(.comma)
            return named("by")
        }
        guard case .identifier(let word) = t.kind else { return nil }
        switch word.lowercased() {
        case "map":
            index += 1
            repeat {
                let column: Name
                switch peek.kind {
                case .string(let text), .identifier(let text):
                    column = Name(text: text, range: peek.range)
                    index += 1
                default:
                    throw unexpected(peek, expecting: "a column of the file, as in map \"E-mail\" to email")
                }
                guard acceptWord("to") else {
                    throw unexpected(peek, expecting: "\"to\" and a field, as in map \"\(column.text)\" to email")
                }
                let field = try name(expecting: "the field that column \"\(column.text)\" fills")
                s.maps.append(ImportSyntax.ColumnMap(column: column, field: field))
            } while accept(.comma)
            return named("map")
        case "ignore":
            index += 1
            repeat {
                switch peek.kind {
                case .string(let text), .identifier(let text):
                    s.ignores.append(Name(text: text, range: peek.range))
                    index += 1
                default:
                    throw unexpected(peek, expecting: "a column of the file in quotes, as in ignore \"Fax\"")
                }
            } while accept(.comma)
            return named("ignore")
        case "skip":
            index += 1
            guard acceptWord("bad"), acceptWord("rows") else {
                throw unexpected(peek, expecting: "\"bad rows\": skip bad rows")
            }
            s.skipBadRows = t.range.union(previous.range)
            return named("skip bad rows")
        case "decimal":
            index += 1
            guard acceptWord("comma") else { throw unexpected(peek, expecting: "\"comma\": decimal comma") }
            s.decimalComma = t.range.union(previous.range)
            return named("decimal comma")
        case "date":
            index += 1
            guard acceptWord("format") else { throw unexpected(peek, expecting: "\"format\": date format \"dd.mm.yyyy\"") }
            guard case .string(let pattern) = peek.kind else {
                throw unexpected(peek, expecting: "a date pattern in quotes, as in date format \"dd.mm.yyyy\"")
            }
            s.dateFormat = Name(text: pattern, range: peek.range)
            index += 1
            return named("date format")
        case "encoding":
            index += 1
            guard case .identifier(let e) = peek.kind else {
                throw unexpected(peek, expecting: "latin1 or utf8 after \"encoding\"")
            }
            s.encoding = Name(text: e, range: peek.range)
            index += 1
            return named("encoding")
        case "delimiter":
            index += 1
            switch peek.kind {
            case .string(let d), .identifier(let d):
                s.delimiter = Name(text: d, range: peek.range)
                index += 1
            default:
                throw unexpected(peek, expecting: "the delimiter in quotes, as in delimiter \";\", or tab")
            }
            return named("delimiter")
        case "without":
            index += 1
            guard acceptWord("history") else { throw unexpected(peek, expecting: "\"history\": without history") }
            s.withoutHistory = t.range.union(previous.range)
            return named("without history")
        default:
            return nil
        }
    }
}
