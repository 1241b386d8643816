/// `export QUERY to "FILE" [raw] [replace]`. "to", "raw" and "replace" are read by their spelling
/// where they stand, not reserved: fields may be named so.
extension Parser {
    mutating func exportStatement(start: Token) throws(Diagnostic) -> ParsedStatement {
        let first = peek
        let queries: [Keyword] = [.find, .count, .sum, .avg, .min, .max]
        guard queries.contains(where: first.isKeyword) else {
            throw unexpected(first, expecting: "a query to export (find, count, sum, avg, min, max)", suggest: queries)
        }
        let query: ParsedStatement
        if first.isKeyword(.find) {
            index += 1
            query = try find(start: first.range)
        } else {
            query = try aggregate(start: first)
        }
        guard acceptWord("to") else {
            throw unexpected(peek, expecting: "\"to\" and a file name in quotes, as in export find contacts to \"contacts.csv\"")
        }
        guard case .string(let path) = peek.kind else {
            throw unexpected(peek, expecting: "a file name in quotes, as in \"contacts.csv\"")
        }
        let pathRange = peek.range
        index += 1
        var raw = false, replace = false
        while true {
            if !raw && acceptWord("raw") { raw = true; continue }
            if !replace && acceptWord("replace") { replace = true; continue }
            break
        }
        if case .identifier(let word) = peek.kind, !peek.startsLine {
            let options = ["raw", "replace"].filter { !(($0 == "raw" && raw) || ($0 == "replace" && replace)) }
            var d = unexpected(peek, expecting: "raw, replace or the end of the statement")
            d.hint = Suggestions.didYouMean(word.lowercased(), in: options)
                ?? "raw writes formula-like cells as they are; replace writes over an existing file"
            throw d
        }
        let syntax = ExportSyntax(query: query.kind, queryRange: query.range, path: path, pathRange: pathRange,
                                  raw: raw, replace: replace)
        return ParsedStatement(kind: .export(syntax), range: start.range.union(previous.range))
    }
}
