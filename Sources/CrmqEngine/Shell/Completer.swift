/// Tab completion at the prompt: from the text before the cursor and the schema, what the word
/// being typed may become. A pure function of its input, so it is tested without a terminal.
///
/// The context comes from a small walk over the statement so far, forgiving of unfinished input:
/// - keywords where a statement or a clause begins (`find`, `where`, `order by`, `and`);
/// - entity names after `find`, `count` and `of`;
/// - the entity's fields after `where`, `show`, `by`, `order by`, `and`, `or`, and through references
///   with a dot (`account.owner.team`);
/// - an enum's values, quoted, after `stage =` or `type in (`; `true`/`false`; relative dates;
/// - shell command names after `.`, and their arguments (entities, formats, topics, on/off).
public struct Completer: Sendable {
    public let schema: Schema
    /// The segments defined: offered where entities go and after `in` (the caller keeps it current).
    public var segments: [SegmentDefinition] = []
    /// The workflow rules' names: offered after `drop rule`, `enable rule`, `explain rule`.
    public var rules: [String] = []

    public init(schema: Schema, segments: [SegmentDefinition] = []) {
        self.schema = schema
        self.segments = segments
    }

    /// What the word before the cursor may be completed to.
    public struct Completion: Equatable, Sendable {
        /// The word being completed, as typed: the candidates replace it.
        public var word: String
        public var candidates: [Candidate]
        /// The word is a file name (after `.read`): the caller, which may look at the disk, lists them.
        public var wantsFileName = false

        /// The longest text every candidate starts with (at least the word as typed).
        public var commonPrefix: String {
            guard var prefix = candidates.first?.text else { return word }
            for c in candidates.dropFirst() {
                while !c.text.lowercased().hasPrefix(prefix.lowercased()) { prefix.removeLast() }
            }
            return prefix.count >= word.count ? prefix : word
        }
    }

    public struct Candidate: Equatable, Sendable {
        public var text: String
        /// More follows without a space: a reference field, before its `.`.
        public var continues: Bool

        public init(_ text: String, continues: Bool = false) {
            self.text = text
            self.continues = continues
        }
    }

    public func complete(_ textBeforeCursor: String) -> Completion {
        let lines = textBeforeCursor.split(separator: "\n", omittingEmptySubsequences: false)
        let lastLine = lines.last.map(String.init) ?? ""
        if lastLine.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(".") {
            return completeShellCommand(String(lastLine.drop(while: { $0 == " " || $0 == "\t" })))
        }
        let scan = CompletionScan(textBeforeCursor)
        if scan.inComment { return Completion(word: "", candidates: []) }
        let word = scan.currentWord
        var walk = CompletionWalk(schema: schema, segments: segments)
        walk.rules = rules
        for t in scan.statementTokens { walk.step(t) }
        let candidates = walk.candidates(completing: word)
        return Completion(word: word, candidates: Completer.matching(word, candidates))
    }

    /// Candidates that start with `word`, ignoring case; a quoted value also matches the word
    /// typed without its quote, or with single quotes. No duplicates.
    static func matching(_ word: String, _ all: [Candidate]) -> [Candidate] {
        let w = word.lowercased()
        let singleQuoted = w.hasPrefix("'")
        var seen: Set<String> = []
        var out: [Candidate] = []
        for c in all where seen.insert(c.text).inserted {
            let t = c.text.lowercased()
            if t.hasPrefix(w) {
                out.append(c)
            } else if t.hasPrefix("\""), unquoted(t).hasPrefix(unquoted(w)), singleQuoted || !w.hasPrefix("\"") {
                // Keep the user's quote: 'Neg completes to 'Negotiation'.
                out.append(singleQuoted ? Candidate("'" + c.text.dropFirst().dropLast() + "'", continues: c.continues) : c)
            }
        }
        return out
    }

    private static func unquoted(_ s: String) -> String {
        s.hasPrefix("\"") || s.hasPrefix("'") ? String(s.dropFirst()) : s
    }

    // MARK: - Shell commands

    private func completeShellCommand(_ line: String) -> Completion {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 {
            let names = ShellCommand.allCases.map { Candidate("." + $0.rawValue) }
            return Completion(word: line, candidates: Completer.matching(line, names))
        }
        let word = parts.last ?? ""
        // A file name may hold spaces; every other argument is one word.
        guard let command = ShellCommand(rawValue: String(parts[0].dropFirst()).lowercased()),
              parts.count == 2 || [.read, .open, .save].contains(command) else {
            return Completion(word: word, candidates: [])
        }
        let options: [String]
        switch command {
        case .schema, .indexes, .segments, .rules: options = schema.entityNames
        case .format: options = OutputFormat.allCases.map(\.rawValue)
        case .echo, .timer, .pager: options = ["on", "off"]
        case .chart: options = ChartStyle.allCases.map(\.rawValue)
        case .width: options = ["auto"]
        case .rows: options = ["all"]
        case .timeout: options = ["off"]
        case .help: options = HelpTopic.all.map(\.name) + ShellCommand.allCases.map(\.rawValue) + ["topics"]
        case .read, .open, .save:
            return Completion(word: parts.dropFirst().joined(separator: " "), candidates: [], wantsFileName: true)
        case .user: options = ["off"]
        case .today, .quit, .exit, .show, .pipelines, .roles: options = []
        }
        return Completion(word: word, candidates: Completer.matching(word, options.map { Candidate($0) }))
    }
}

// MARK: - Reading unfinished input

/// The tokens of the statement being typed, and the word under the cursor. Unlike the lexer it
/// never fails: an unclosed quote is the word being typed, an unknown character is skipped.
struct CompletionScan {
    enum Token: Equatable {
        /// A name or keyword, dots included: `account.owner.name`.
        case word(String)
        /// A quoted string (its text), a number or a date: any literal.
        case value(String)
        case symbol(String)
    }

    var statementTokens: [Token] = []
    var currentWord = ""
    var inComment = false

    init(_ text: String) {
        let chars = Array(text)
        var i = 0
        var tokens: [Token] = []
        var lineStart = true
        func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" { lineStart = true; i += 1; continue }
            if c.isWhitespace { i += 1; continue }
            let startsLine = lineStart
            lineStart = false
            if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                if i == chars.count { inComment = true }
                continue
            }
            if c == "\"" || c == "'" {
                var j = i + 1
                while j < chars.count, chars[j] != c { j += 1 }
                if j == chars.count {
                    currentWord = String(chars[i...])
                    statementTokens = tokens
                    return
                }
                tokens.append(.value(String(chars[(i + 1)..<j])))
                i = j + 1
                continue
            }
            if c.isNumber {
                // Numbers and dates (2026-03-31, 2026-03-31T14:00) are values wherever they stand.
                var j = i
                while j < chars.count, chars[j].isNumber || "-:.T".contains(chars[j]) { j += 1 }
                if j == chars.count { currentWord = String(chars[i...]) }
                tokens.append(.value(String(chars[i..<j])))
                i = j
                continue
            }
            if isWordChar(c) {
                var j = i
                while j < chars.count, isWordChar(chars[j]) { j += 1 }
                let word = String(chars[i..<j])
                if j == chars.count {
                    currentWord = word
                    statementTokens = tokens
                    return
                }
                // A statement keyword at the start of a line begins a new statement.
                if startsLine, CompletionWalk.statementKeywords.contains(word.lowercased()) { tokens = [] }
                tokens.append(.word(word))
                i = j
                continue
            }
            if c == ";" { tokens = []; i += 1; continue }
            let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
            if ["!=", "<=", ">="].contains(two) {
                tokens.append(.symbol(two))
                i += 2
            } else {
                tokens.append(.symbol(String(c)))
                i += 1
            }
        }
        statementTokens = currentWord.isEmpty ? tokens : Array(tokens.dropLast())
    }
}

/// A forgiving walk over a statement's tokens: what the next word is expected to be.
struct CompletionWalk {
    static let statementKeywords: Set<String> = ["find", "count", "sum", "avg", "min", "max", "explain", "index", "drop", "define",
                                                 "convert", "report", "alter", "require", "move", "add", "rename", "export",
                                                 "import", "sandbox", "grant", "revoke", "run", "enable", "disable"]
    /// Offered at the start too, but a line starting with it may go on a `find` (`show name`).
    static let viewWord = "show"
    static let comparisons: Set<String> = ["=", "!=", "<", "<=", ">", ">="]

    enum Expect: Equatable {
        case statement, entity, countTarget, aggregateArgument, distinctArgument, indexTarget
        case clause, condition, path, orderKey, comparison, value, listStart, listValue
        case nullWord, with, window, periodUnit, number, by, nothing
        /// `define segment NAME as BASE`, `drop segment NAME`.
        case segmentWord, newSegmentName, asWord, segmentBase, dropTarget, segmentName
        /// Related records: the collection after `any`/`no`/`all` or `count(`, the `(` after it,
        /// and `where` or `)` after an aggregate's collection.
        case collection, collectionOpen, aggregateOpen, aggregateRest
        /// `convert lead`, `show account`: the record's entity.
        case recordEntity
        /// `report KIND` (Completer+Reports.swift).
        case reportKind
        /// `rule` after `enable`/`disable`, `rules` after `run`, a rule's name after `drop rule` and the like.
        case ruleWord, rulesWord, ruleName
        /// `sandbox diff | apply | discard`.
        case sandboxWord
        /// `import ENTITY from "FILE" OPTION ...`: the entity (or vcards), `from`, the options,
        /// and a field after `by`, `set` or `map ... to`.
        case importEntity, importFrom, importFile, importOption, importField
        /// `grant ACTION, ... on ENTITY[.FIELD] to ROLE` (`revoke ... from ROLE`).
        case grantAction, grantOn, grantEntity, grantField, grantTo, grantRole
    }

    /// Inside `any C (...)` or `count(C where ...)`, what was in force outside, restored at its `)`.
    struct Scope {
        var entity: EntityDef?
        var clause: Clause
        var depth: Int
    }

    enum Clause { case none, filter, show, groupBy, having, order }

    let schema: Schema
    let segments: [SegmentDefinition]
    var rules: [String] = []
    var expect = Expect.statement
    var isFind = false
    /// `grant` or `revoke`, in such a statement: which of `to` and `from` comes.
    var grantVerb = ""
    /// In `define segment`: only `where` follows the base.
    var isDefine = false
    /// The word on the left of the comparison being written (`id in` takes the entity's segments).
    var operandWord = ""
    var entity: EntityDef?
    var clause = Clause.none
    var seen: Set<String> = []
    /// The type of the field on the left of the comparison being written.
    var operandType: FieldType?
    /// The values already in an `in (...)` list, not offered again.
    var listed: Set<String> = []
    var betweenPending = false
    var previousWord = ""
    /// An aggregate's result columns so far (`count`, `sum_value`, `count_distinct_account`, the
    /// `by` paths): what `having` may name.
    var resultColumns: [String] = []
    private static let aggregateWords = ["count", "sum", "avg", "min", "max"]
    /// Open parentheses, and the scopes of related records opened at some of them.
    var depth = 0
    var scopes: [Scope] = []
    /// The collection's entity, between `any C` and its `(`.
    var pendingChild: EntityDef?
    /// Whether the collection being named is an aggregate's (`count(C`) rather than `any C`'s.
    var inAggregate = false
    /// In `report KIND ...`: the kind, whose clauses are offered.
    var report: (any ReportDefinition.Type)?

    init(schema: Schema, segments: [SegmentDefinition]) {
        self.schema = schema
        self.segments = segments
    }

    /// An entity, or a segment's entity.
    private func source(named word: String) -> EntityDef? {
        schema.entity(named: word) ?? segments.first { $0.name.lowercased() == word }.flatMap { schema.entity(named: $0.entity) }
    }

    mutating func step(_ token: CompletionScan.Token) {
        let word: String
        var isValue = false
        switch token {
        case .word(let w): word = w.lowercased()
        case .value(let v): word = v.lowercased(); isValue = true
        case .symbol(let s): word = s
        }
        defer { previousWord = word }
        if !isValue, word == "(" { depth += 1 }
        if !isValue, word == ")" {
            if let top = scopes.last, top.depth == depth {
                scopes.removeLast()
                entity = top.entity
                clause = top.clause
                expect = .clause
                depth -= 1
                return
            }
            depth -= 1
        }
        switch expect {
        case .statement:
            switch word {
            case "find": isFind = true; expect = .entity
            case "count": expect = .countTarget; resultColumns.append("count")
            case "sum", "avg", "min", "max": expect = .aggregateArgument; resultColumns.append(word)
            case "explain", "analyze": expect = .statement
            case "rule" where previousWord == "explain": expect = .ruleName
            case "enable", "disable": expect = .ruleWord
            case "run": expect = .rulesWord
            case "index": expect = .indexTarget
            case "drop": expect = .dropTarget
            case "define": isDefine = true; expect = .segmentWord
            case "convert", CompletionWalk.viewWord: expect = .recordEntity
            case "report": expect = .reportKind
            case "grant", "revoke": grantVerb = word; expect = .grantAction
            case "import": expect = .importEntity
            case "sandbox": expect = .sandboxWord
            default: expect = .nothing
            }
        case .sandboxWord:
            expect = .nothing
        case .grantAction:
            expect = .grantOn
        case .grantOn:
            expect = word == "," ? .grantAction : word == "on" ? .grantEntity : .nothing
        case .grantEntity:
            entity = source(named: word)
            expect = .grantTo
        case .grantField:
            expect = .grantTo
        case .grantTo:
            expect = word == "." ? .grantField : ["to", "from"].contains(word) ? .grantRole : .nothing
        case .grantRole:
            isDefine = true
            expect = .clause
        case .importEntity:
            entity = word == "vcards" ? schema.entity(named: "contacts") : schema.entity(named: word)
            expect = .importFrom
        case .importFrom:
            expect = word == "from" ? .importFile : .nothing
        case .importFile:
            expect = isValue ? .importOption : .nothing
        case .importOption:
            if ["by", "set", "to"].contains(word) && !isValue { expect = .importField }
        case .importField:
            if word != "," { expect = .importOption }
        case .reportKind:
            reportKind(word)
        case .dropTarget:
            expect = word == "segment" ? .segmentName : word == "index" ? .indexTarget : word == "rule" ? .ruleName : .nothing
        case .ruleWord:
            expect = word == "rule" ? .ruleName : .nothing
        case .rulesWord, .ruleName:
            expect = .nothing
        case .segmentName:
            expect = .nothing
        case .segmentWord:
            expect = word == "segment" ? .newSegmentName : .nothing
        case .newSegmentName:
            expect = .asWord
        case .asWord:
            expect = word == "as" ? .segmentBase : .nothing
        case .segmentBase:
            entity = source(named: word)
            expect = .clause
        case .entity:
            entity = source(named: word)
            expect = .clause
        case .countTarget:
            if word == "distinct" { expect = .distinctArgument } else if word == "," { expect = .statement } else if word == "of" { expect = .entity } else {
                entity = source(named: word)
                expect = .clause
            }
        case .aggregateArgument:
            if word == "of" { expect = .entity } else if word == "," { expect = .statement }
            else if CompletionWalk.aggregateWords.contains(previousWord) {
                resultColumns.append(previousWord + "_" + word.replacingOccurrences(".", "_"))
            }
        case .distinctArgument:
            if resultColumns.last == "count" { resultColumns.removeLast() }  // it is count_distinct_...
            resultColumns.append("count_distinct_" + word.replacingOccurrences(".", "_"))
            expect = .aggregateArgument
        case .indexTarget, .nothing, .recordEntity:
            expect = .nothing
        case .clause:
            if report != nil { reportClauseWord(word) }
            clauseWord(word)
        case .condition:
            if !isValue, word == "not" || word == "(" { break }
            if !isValue, ["any", "no", "all"].contains(word) { inAggregate = false; expect = .collection; break }
            if !isValue, CompletionWalk.aggregateWords.contains(word), clause != .having { expect = .aggregateOpen; break }
            operandType = isValue ? nil : fieldType(of: word)
                ?? (clause == .having && resultColumns.contains(word) ? .int : nil)
            operandWord = isValue ? "" : word
            expect = .comparison
        case .path:
            if CompletionWalk.aggregateWords.contains(word) { expect = .aggregateOpen; break }
            if clause == .groupBy { resultColumns.append(word) }
            expect = .clause
        case .aggregateOpen:
            if word == "(" {
                scopes.append(Scope(entity: entity, clause: clause, depth: depth))
                inAggregate = true
                expect = .collection
            } else {
                expect = .clause
            }
        case .collection:
            pendingChild = childEntity(named: word)
            if inAggregate {
                entity = pendingChild
                expect = .aggregateRest
            } else {
                expect = .collectionOpen
            }
        case .aggregateRest:
            if word == "where" { clause = .filter; expect = .condition }
        case .collectionOpen:
            if word == "(" {
                scopes.append(Scope(entity: entity, clause: clause, depth: depth))
                entity = pendingChild
                expect = .condition
            } else if word != "via" && previousWord != "via" {
                expect = .clause
                clauseWord(word)
            }
        case .orderKey:
            expect = .clause
        case .by:
            expect = word == "by" ? .orderKey : .clause
            if word == "by" { clause = .order }
        case .comparison:
            if CompletionWalk.comparisons.contains(word) { expect = .value; break }
            switch word {
            case "before", "after", "contains": expect = .value
            case "between": expect = .value; betweenPending = true
            case "in": expect = .listStart
            case "not": break
            case "is": expect = .nullWord
            case "starts", "ends": expect = .with
            case "within": expect = .window
            default: expect = .clause
            }
        case .with:
            expect = .value
        case .value:
            if ["this", "last", "next"].contains(word) { expect = .periodUnit } else if word != "-" { expect = .clause }
        case .periodUnit, .number:
            expect = .clause
        case .listStart:
            if word == "(" { expect = .listValue; listed = [] } else if ["this", "last", "next"].contains(word) { expect = .periodUnit }
            else { expect = .clause }
        case .listValue:
            if word == ")" { expect = .clause } else if isValue { listed.insert(word) }
        case .nullWord:
            if word != "not" { expect = .clause }
        case .window:
            expect = ["last", "next"].contains(word) ? .number : .periodUnit
        }
    }

    private mutating func clauseWord(_ word: String) {
        switch word {
        case "where": clause = .filter; seen.insert(word); expect = .condition
        case "show": clause = .show; seen.insert(word); expect = .path
        case "by": clause = .groupBy; seen.insert(word); expect = .path
        case "having": clause = .having; seen.insert(word); expect = .condition
        case "order": seen.insert("order by"); expect = .by
        case "as" where clause == .none: seen.insert("as of")
        case "limit", "offset": seen.insert(word); expect = .number
        case "and" where betweenPending: betweenPending = false; expect = .value
        case "and", "or", "not", "(":
            if clause == .filter || clause == .having { expect = .condition }
        case ",":
            if clause == .show || clause == .groupBy { expect = .path } else if clause == .order { expect = .orderKey }
        default: break  // asc, desc, ")": the clause goes on
        }
    }

    /// The type a path ends in, following references from the statement's entity.
    private func fieldType(of path: String) -> FieldType? {
        guard var e = entity else { return nil }
        let parts = path.split(separator: ".", omittingEmptySubsequences: false)
        for (i, part) in parts.enumerated() {
            guard let f = e.field(String(part)) else { return nil }
            if i == parts.count - 1 { return f.type }
            guard case .reference(let target) = f.type, let next = schema.entity(named: target) else { return nil }
            e = next
        }
        return nil
    }
}

extension Array where Element == String {
    /// The words in order, each once.
    var uniqued: [String] {
        var seen: Set<String> = []
        return filter { seen.insert($0).inserted }
    }
}

extension String {
    var trimmingQuotes: String { hasPrefix("\"") && hasSuffix("\"") && count >= 2 ? String(dropFirst().dropLast()) : self }
}
