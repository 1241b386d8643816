import Foundation
import Testing
@testable import CrmqEngine

/// `grammar/crmq.ebnf` is what users read: its keywords must be the lexer's, and its examples must parse.
@Suite struct GrammarTests {
    static let ebnf = (try? String(contentsOf: Repository.root.appendingPathComponent("grammar/crmq.ebnf"), encoding: .utf8)) ?? ""

    /// The block of text after a heading comment such as `(* Keywords (reserved):` up to `*)`.
    static func block(after heading: String) -> String {
        guard let start = ebnf.range(of: heading) else { return "" }
        let rest = ebnf[start.upperBound...]
        guard let end = rest.range(of: "*)") else { return "" }
        return String(rest[..<end.lowerBound])
    }

    @Test func keywordListMatchesTheLexer() {
        let listed = Set(GrammarTests.block(after: "(* Keywords (reserved):").split(whereSeparator: \.isWhitespace).map(String.init))
        let lexer = Set(Keyword.allCases.map(\.rawValue))
        #expect(!listed.isEmpty)
        #expect(listed == lexer, "only in grammar: \(listed.subtracting(lexer)); only in lexer: \(lexer.subtracting(listed))")
    }

    @Test func quotedWordsInRulesAreKeywords() {
        // Every 'word' the rules use must be a keyword the lexer knows, and every keyword must be used.
        let withComments = GrammarTests.ebnf.components(separatedBy: "(* Keywords")[0]
        let rules = withComments.replacingOccurrences(of: #"\(\*[\s\S]*?\*\)"#, with: "", options: .regularExpression)
        let regex = try! NSRegularExpression(pattern: "'([a-z]+)'")
        let words = Set(regex.matches(in: rules, range: NSRange(rules.startIndex..., in: rules)).map {
            String(rules[Range($0.range(at: 1), in: rules)!])
        })
        let lexer = Set(Keyword.allCases.map(\.rawValue))
        #expect(words.subtracting(lexer).isEmpty, "not keywords: \(words.subtracting(lexer))")
        #expect(lexer.subtracting(words).isEmpty, "keywords no rule uses: \(lexer.subtracting(words))")
    }

    @Test func examplesInTheGrammarParseAndRun() throws {
        let lines = GrammarTests.block(after: "(* Examples").split(separator: "\n").dropFirst()
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(lines.count >= 10)
        var session = TinyCRM.session()
        for line in lines {
            var console = TranscriptConsole()
            let outcome = session.run(SourceText(name: "example", text: line), on: &console)
            #expect(outcome == .success, "grammar example failed: \(line)\n\(console.transcript)")
        }
    }
}

/// Every script in `examples/` runs without an error on the demo dataset and prints something
/// for each statement.
@Suite struct ExamplesTests {
    static var scripts: [String] {
        let folder = Repository.root.appendingPathComponent("examples").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".crmq") }.sorted()
    }

    @Test func thereAreAtLeastFive() {
        #expect(ExamplesTests.scripts.count >= 5)
    }

    @Test(arguments: scripts) func runs(_ name: String) throws {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("examples/\(name)"), encoding: .utf8)
        var session = Session(database: GoldenRun.demo, settings: Session.Settings(today: Day.parse("2026-06-15")!))
        var console = TranscriptConsole()
        let outcome = session.run(SourceText(name: name, text: text), on: &console)
        #expect(outcome == .success, "\(name):\n\(console.transcript)")
        #expect(!console.transcript.contains("error:"))
        // Each query prints its table and a row count (a segment's definition prints one line).
        let statements = try Parser.parseAll(SourceText(name: name, text: text)).filter { s in
            if case .catalog = s.kind { return false }
            // Rule statements report in lines (`run rules`, `explain rule`, `define rule`).
            if case .rule = s.kind { return false }
            // Changes and conversions report in lines, views in sections: no row count.
            if case .change = s.kind { return false }
            if case .convert = s.kind { return false }
            if case .importFile = s.kind { return false }
            if case .sandbox = s.kind { return false }
            if case .view = s.kind { return false }
            if case .explain(.view, _) = s.kind { return false }
            return !s.isShellCommand
        }
        #expect(console.transcript.components(separatedBy: "\n(").count - 1 == statements.count)
    }
}
