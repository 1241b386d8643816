import Foundation
import Testing
@testable import CrmqEngine

/// Hostile input gets a diagnostic or the right answer, never a crash: any number of `and`/`or`
/// terms, nesting up to the limit and one past it, a 10 MB statement, a 1 MB text or name, a
/// 5,000-digit number, a NUL byte, invalid UTF-8, 10,000 columns, huge `limit`s.
///
/// Each statement runs on a thread with an 8 MB stack (what the main thread gets, where scripts and
/// `-c` run), so a recursion that grows with the input overflows here as it would for a user.
@Suite struct HostileInputTests {
    /// The transcript of `text` run against the tiny database, on an 8 MB stack.
    static func run(_ text: String, on database: @escaping @Sendable () -> Database = TinyCRM.build) -> String {
        runOnSmallStack {
            var settings = Session.Settings(today: TinyCRM.today)
            settings.keepGoing = true
            var session = Session(database: database(), settings: settings)
            var console = TranscriptConsole()
            _ = session.run(SourceText(name: "q", text: text), on: &console)
            return console.transcript
        }
    }

    static func runOnSmallStack(_ body: @escaping @Sendable () -> String) -> String {
        final class Box: @unchecked Sendable { var value = "" }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        done.wait()
        return box.value
    }

    static func repeated(_ s: String, _ n: Int, separator: String = "") -> String {
        [String](repeating: s, count: n).joined(separator: separator)
    }

    /// The error line and the ` --> q:LINE:COLUMN` line of a transcript.
    static func headline(_ transcript: String) -> [String] {
        Array(transcript.split(separator: "\n").prefix(2).map(String.init))
    }

    // MARK: - Many terms: flat, never deep

    @Test func twoHundredThousandAndTermsAnswerAsOneDoes() {
        let one = Self.run("count opportunities where value > 10000")
        #expect(one.contains(" 3\n"))
        let many = Self.run("count opportunities where " + Self.repeated("value > 10000", 200_000, separator: " and "))
        #expect(many == one)
        let find = Self.run("find opportunities where " + Self.repeated("value > 10000", 200_000, separator: " and "))
        #expect(find == Self.run("find opportunities where value > 10000"))
    }

    @Test func oneHundredThousandOrTermsAnswerAsOneDoes() {
        let many = Self.run("count opportunities where " + Self.repeated("value > 10000", 100_000, separator: " or "))
        #expect(many == Self.run("count opportunities where value > 10000"))
    }

    @Test func generatedListsOfDistinctTermsAreAnswered() {
        let ors = (0..<200_000).map { "id = \($0)" }.joined(separator: " or ")
        #expect(Self.run("count opportunities where " + ors) == Self.run("count opportunities"))
        let ands = (0..<200_000).map { "id != \($0 + 3)" }.joined(separator: " and ")
        #expect(Self.run("count opportunities where " + ands) == Self.run("count opportunities where id < 3"))
        let ranges = (0..<100_000).map { "value > \($0)" }.joined(separator: " and ")
        #expect(Self.run("count opportunities where " + ranges) == Self.run("count opportunities where value > 99999"))
        let union = (0..<100_000).map { "value > \($0)" }.joined(separator: " or ")
        #expect(Self.run("count opportunities where " + union) == Self.run("count opportunities where value > 0"))
    }

    // MARK: - Nesting: up to the limit works at every stage, one more is a diagnostic

    @Test func nestingUpToTheLimitRunsThroughEveryStage() {
        let parens = Self.repeated("(", 1000) + "value > 10000" + Self.repeated(")", 1000)
        #expect(Self.run("count opportunities where " + parens) == Self.run("count opportunities where value > 10000"))
        let nots = Self.repeated("not ", 1000) + "value > 10000"
        #expect(Self.run("count opportunities where " + nots) == Self.run("count opportunities where value > 10000"))
        let mixed = Self.repeated("not (", 500) + "value > 10000" + Self.repeated(")", 500)
        #expect(Self.run("count opportunities where " + mixed) == Self.run("count opportunities where value > 10000"))
        // `or` inside `and` inside `or` ...: no list flattens into its parent, so the planner and
        // evaluator meet every level.
        var alternating = ""
        for i in 0..<999 { alternating += i % 2 == 0 ? "value > \(i) or (" : "probability > \(i % 100) and (" }
        alternating += "name = \"x\"" + Self.repeated(")", 999)
        let planned = Self.run("explain analyze count opportunities where " + alternating)
        #expect(planned.hasPrefix("QUERY PLAN") && planned.contains("RESULT 1 row"), "\(planned.prefix(300))")
        // explain prints the filter, analyze runs it; a change evaluates it too.
        let explained = Self.run("explain analyze find opportunities where " + nots)
        #expect(explained.hasPrefix("QUERY PLAN"), "\(explained.prefix(300))")
        let deleted = Self.run("delete opportunities where " + Self.repeated("(", 1000) + "id = 99" + Self.repeated(")", 1000))
        #expect(!deleted.contains("error"), "\(deleted.prefix(300))")
    }

    @Test func oneLevelPastTheLimitIsADiagnosticAtTheCrossing() {
        let prefix = "count opportunities where "
        let parens = Self.run(prefix + Self.repeated("(", 100_000) + "value > 1" + Self.repeated(")", 100_000))
        #expect(Self.headline(parens) == ["error: nested too deeply (limit 1,000)", " --> q:1:\(prefix.count + 1001)"])
        let nots = Self.run(prefix + Self.repeated("not ", 1001) + "value > 1")
        #expect(Self.headline(nots) == ["error: nested too deeply (limit 1,000)", " --> q:1:\(prefix.count + 4000 + 1)"])
        // The caret line shows a window of the line, not all of it.
        #expect(parens.split(separator: "\n").allSatisfy { $0.count < 300 })
    }

    @Test func arithmeticNestsToTheLimit() {
        let sum = Self.run("sum value of opportunities")
        #expect(Self.run("sum " + Self.repeated("(", 1000) + "value" + Self.repeated(")", 1000) + " of opportunities") == sum)
        // An even number of minus signs: the same sum (under a longer header).
        let total = sum.split(separator: "\n")[2].trimmingCharacters(in: .whitespaces)
        let negated = Self.run("sum " + Self.repeated("- ", 1000) + "value of opportunities").split(separator: "\n")
        #expect(negated.count == 4 && negated[2].trimmingCharacters(in: .whitespaces) == total)
        let chain = Self.run("sum " + Self.repeated("value", 1001, separator: " + ") + " of opportunities")
        #expect(!chain.contains("error"), "\(chain.prefix(300))")
        let tooLong = Self.run("sum " + Self.repeated("value", 1002, separator: " + ") + " of opportunities")
        #expect(Self.headline(tooLong).first == "error: nested too deeply (limit 1,000)")
        let tooDeep = Self.run("sum " + Self.repeated("- ", 100_000) + "value of opportunities")
        #expect(Self.headline(tooDeep) == ["error: nested too deeply (limit 1,000)", " --> q:1:\(4 + 2000 + 1)"])
    }

    @Test func arithmeticThatOverflowsIsADiagnostic() {
        let product = Self.run("sum " + Self.repeated("value", 6, separator: " * ") + " of opportunities")
        #expect(product.hasPrefix("error: arithmetic overflow in sum(value * value * value * value * value * value)\n"))
        let deep = Self.run("sum " + Self.repeated("value", 1000, separator: " * ") + " of opportunities")
        #expect(deep.hasPrefix("error: arithmetic overflow in sum(value * value"))
        let shown = Self.run("sum value * value * value * value of opportunities")
        #expect(shown.hasPrefix("error: arithmetic overflow in sum(value * value * value * value)\n  = hint: the result is too large to show"))
    }

    // MARK: - Size

    @Test func aTenMegabyteInListIsAnswered() {
        let list = Self.repeated("\"x\"", 2_000_000, separator: ", ")
        let run = Self.run("count opportunities where name in (" + list + ", \"Acme – Support Plus\")")
        #expect(run == Self.run("count opportunities where name = \"Acme – Support Plus\""))
        let distinct = (0..<500_000).map { "\"n\($0)\"" }.joined(separator: ", ")
        #expect(Self.run("count opportunities where name in (" + distinct + ")").contains(" 0\n"))
    }

    @Test func aDiagnosticOnATenMegabyteLineShowsAWindowAroundTheCaret() {
        let text = "count opportunities where name in (" + Self.repeated("\"x\"", 2_000_000, separator: ", ") + ", 5)"
        let out = Self.run(text)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first == "error: the number 5 is not text")
        #expect(lines[1] == " --> q:1:\(text.utf8.count - 1)")
        #expect(lines.allSatisfy { $0.count < 300 })
        // The caret sits under the 5.
        let source = lines[2], caret = lines[3]
        let at = caret.firstIndex(of: "^").map { caret.distance(from: caret.startIndex, to: $0) }
        #expect(at.map { Array(source)[$0] } == "5")
    }

    @Test func theWindowKeepsTheCaretUnderItsCharacterAmongMultibyteText() {
        let text = "count opportunities where name = \"" + Self.repeated("é", 200) + "\" and é > 1"
        let lines = Self.run(text).split(separator: "\n").map(String.init)
        #expect(lines[0] == "error: unexpected character \"é\"")
        #expect(lines[2].hasPrefix("1 | ...é") && lines[2].hasSuffix("\" and é > 1"))
        let caret = lines[3].firstIndex(of: "^").map { lines[3].distance(from: lines[3].startIndex, to: $0) }
        #expect(caret.map { Array(lines[2])[$0] } == "é")
        #expect(Array(lines[2])[caret! + 1] == " ")
    }

    @Test func aMegabyteTextOrNameIsShortenedInTheMessage() {
        let big = Self.repeated("x", 1 << 20)
        #expect(Self.run("count opportunities where name = \"\(big)\"").contains(" 0\n"))
        let wrongType = Self.run("count opportunities where value = \"\(big)\"")
        #expect(Self.headline(wrongType).first
            == "error: \"value\" is a money field; the text \"\(String(repeating: "x", count: 40))...\(String(repeating: "x", count: 10))\" does not fit it")
        let name = Self.run("count opportunities where \(Self.repeated("v", 1 << 20)) > 1")
        #expect(Self.headline(name).first?.hasPrefix("error: unknown field \"vvvv") == true)
        #expect(name.split(separator: "\n").allSatisfy { $0.count < 400 })
        let entity = Self.run("count \(Self.repeated("o", 1 << 20))")
        #expect(Self.headline(entity).first?.hasPrefix("error: unknown entity \"oooo") == true)
    }

    @Test func aFiveThousandDigitNumberIsOutOfRange() {
        let out = Self.run("count opportunities where value > " + Self.repeated("1", 5000))
        #expect(Self.headline(out) == ["error: number out of range", " --> q:1:35"])
    }

    @Test func tenThousandColumnsAreShown() {
        let out = Self.run("find opportunities show " + Self.repeated("name", 10_000, separator: ", ") + " limit 1")
        #expect(out.hasSuffix("(showing 1 of 6 rows)\n") || out.contains("(1 row)"), "\(out.suffix(200))")
        #expect(!out.hasPrefix("error"))
    }

    @Test func longOrderAndGroupLists() {
        let order = Self.run("find opportunities order by " + Self.repeated("value desc", 100_000, separator: ", "))
        #expect(order == Self.run("find opportunities order by value desc"))
        let aggregateOrder = Self.run("count opportunities by stage order by " + Self.repeated("count desc, stage", 50_000, separator: ", "))
        #expect(aggregateOrder == Self.run("count opportunities by stage order by count desc, stage"))
        let groups = Self.run("count opportunities by " + Self.repeated("stage", 100_000, separator: ", "))
        #expect(Self.headline(groups) == ["error: \"stage\" is given twice after \"by\"", " --> q:1:31"])
    }

    @Test func numbersWithTooManyDecimalPlaces() {
        let out = Self.run("count opportunities where value > 1.1234567")
        #expect(Self.headline(out) == ["error: too many decimal places (at most 6)", " --> q:1:35"])
    }

    @Test func numbersAtTheEdgeOfSixtyFourBits() {
        let scaled = Self.run("count opportunities where value > 922337203685477580.7")
        #expect(Self.headline(scaled).first == "error: \"value\" is a money field; the number 922337203685477580.7 does not fit it")
        #expect(Self.run("count opportunities where id > 9223372036854775807").contains(" 0\n"))
        #expect(Self.run("count opportunities where value > 92233720368547758.07").contains(" 0\n"))
        let everything = Self.run("count opportunities where close_date <= today")
        for unit in ["days", "weeks", "months", "years"] {
            #expect(Self.run("count opportunities where close_date within last 9223372036854775807 \(unit)") == everything)
        }
        #expect(Self.run("count opportunities where close_date within next 9223372036854775807 weeks")
            == Self.run("count opportunities where close_date >= today"))
    }

    @Test func hugeLimitsAndOffsets() {
        #expect(Self.run("find opportunities order by value limit 2147483647 offset 2147483647").contains("(0 rows)"))
        #expect(Self.run("find opportunities order by value desc limit 2147483647")
            == Self.run("find opportunities order by value desc"))
        let tooBig = Self.run("find opportunities limit 99999999999999999999999")
        #expect(Self.headline(tooBig) == ["error: number out of range", " --> q:1:26"])
    }

    /// A data file's schema may refer to itself, so a path can be as long as the statement.
    @Test func pathsFollowAtMostAHundredReferences() {
        let nodes = EntityDef(name: "nodes", singular: "node",
                              fields: [FieldDef("name", .text), FieldDef("parent", .reference("nodes"))],
                              defaultColumns: ["id", "name"], titleField: "name")
        let database: @Sendable () -> Database = {
            var db = Database(schema: Schema(entities: [nodes], enums: [:], pipelines: []))
            db.modify("nodes") { $0.append(id: 1, [.text("root"), .integer(1)]) }
            return db
        }
        let longest = "count nodes where " + Self.repeated("parent", 100, separator: ".") + ".name = \"root\""
        #expect(Self.run(longest, on: database).contains(" 1\n"))
        let tooLong = "count nodes where " + Self.repeated("parent", 10_000, separator: ".") + ".name = \"root\""
        #expect(Self.headline(Self.run(tooLong, on: database))
            == ["error: path too long (limit 100 steps)", " --> q:1:\(19 + 101 * 7)"])
    }

    // MARK: - Bytes that are not text

    @Test func aNulByteIsALexerDiagnosticWithItsPlace() {
        let out = Self.run("count opportunities\u{0} where value > 1")
        #expect(Self.headline(out) == ["error: unexpected control character U+0000", " --> q:1:20"])
        // Drawn as a visible picture, not written raw to the terminal.
        #expect(!out.contains("\u{0}"))
        #expect(out.contains("count opportunities\u{2400} where"))
        // The part before the bad byte is not run as if it were the whole statement.
        let deleted = Self.run("delete opportunities\u{0} where id = 1\ncount opportunities")
        #expect(deleted.hasPrefix("error: unexpected control character U+0000"))
        #expect(deleted.contains(" count\n-------\n     6\n(1 row)\n"), "\(deleted)")
    }

    @Test func invalidUTF8IsALexerDiagnosticWithItsPlace() {
        let bytes = Array("count opportunities where ".utf8) + [0xFF, 0xFE] + Array(" value > 1".utf8)
        let out = Self.run(String(decoding: bytes, as: UTF8.self))
        #expect(Self.headline(out) == ["error: invalid UTF-8", " --> q:1:27"])
    }

    // MARK: - Did you mean

    @Test func didYouMeanSkipsCandidatesTooFarInLength() {
        #expect(Suggestions.closest(to: "vaule", in: ["name", "value"]) == "value")
        #expect(Suggestions.closest(to: "opp", in: ["opportunities"]) == "opportunities")
        #expect(Suggestions.closest(to: String(repeating: "v", count: 1 << 20), in: ["value"]) == nil)
    }
}
