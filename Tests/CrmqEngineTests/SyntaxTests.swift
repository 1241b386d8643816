import Testing
@testable import CrmqEngine

@Suite struct LexerTests {
    func kinds(_ text: String) throws(Diagnostic) -> [TokenKind] {
        try Lexer.tokenize(SourceText(name: "t", text: text)).map(\.kind)
    }

    @Test func tokensAndRanges() throws {
        let src = SourceText(name: "t", text: #"FIND opportunities where value >= 5000.50"#)
        let tokens = try Lexer.tokenize(src)
        #expect(tokens.map(\.kind) == [.keyword(.find), .identifier("opportunities"), .keyword(.where),
                                       .identifier("value"), .symbol(.greaterEqual), .decimal(digits: 500050, places: 2), .end])
        #expect(src.slice(tokens[3].range) == "value")
        #expect(tokens[5].range == SourceRange(34, 41))
    }

    @Test func literals() throws {
        #expect(try kinds("2026-01-31") == [.date(Day.parse("2026-01-31")!), .end])
        #expect(try kinds("2026-01-31T10:30") == [.datetime(Day.parseDateTime("2026-01-31T10:30")!), .end])
        #expect(try kinds(#"'it''s' "say \"hi\"""#) == [.string("it's"), .string(#"say "hi""#), .end])
        #expect(try kinds("1_000_000 -- a comment\n<> ==") == [.integer(1_000_000), .symbol(.notEqual), .symbol(.equal), .end])
    }

    @Test func lineStartsAndDotCommands() throws {
        let tokens = try Lexer.tokenize(SourceText(name: "t", text: ".format csv\ncount leads\n  by status"))
        #expect(tokens[0].kind == .dotCommand(".format csv"))
        #expect(tokens[1].startsLine && !tokens[2].startsLine && tokens[3].startsLine)
    }

    @Test func errorsPointAtTheProblem() {
        #expect(throws: Diagnostic.self) { try kinds("value > 10k") }
        do {
            _ = try kinds("x = \"open")
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "unterminated text")
            #expect(error.isUnexpectedEnd)
            #expect(error.range == SourceRange(4, 5))
        }
        do {
            _ = try kinds("close_date > 2026-02-30")
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "\"2026-02-30\" is not a valid date")
        }
    }
}

@Suite struct ParserTests {
    /// Every query the language must accept, exactly as written in the brief.
    static let accepted = [
        #"find opportunities where stage = "Negotiation" and value > 10000"#,
        #"find opportunities where stage in ("Proposal", "Negotiation") and close_date between 2026-01-01 and 2026-03-31 order by value desc limit 10"#,
        #"find contacts where account.industry = "Retail" and not (title contains "intern") show first_name, last_name, account.name"#,
        #"find opportunities where close_date within next 30 days or (owner.name starts with "A" and value >= 5000.50)"#,
        #"find leads where converted_at is null and created_at within last 90 days order by score desc, id limit 20 offset 20"#,
        "count opportunities by stage",
        "count activities where done = false by owner.name, type",
        #"sum value of opportunities where stage = "Closed Won" by account.country"#,
        "avg value of opportunities by lead_source",
        "find opportunities show *",
    ]

    @Test(arguments: accepted) func parses(_ text: String) throws {
        let statements = try Parser.parseAll(SourceText(name: "q", text: text))
        #expect(statements.count == 1)
        #expect(statements[0].range == SourceRange(0, text.utf8.count))
    }

    @Test func precedence() throws {
        let s = try Parser.parseAll(SourceText(name: "q", text: "find x where a = 1 or b = 2 and not c = 3"))
        guard case .find(let q) = s[0].kind, case .or(let parts)? = q.filter?.kind, parts.count == 2,
              case .and(let terms) = parts[1].kind, terms.count == 2, case .not = terms[1].kind else {
            Issue.record("wrong tree: \(s)")
            return
        }
    }

    @Test func statementsEndAtLineBreaksOnlyWhenTheNextLineStartsOne() throws {
        let text = "find opportunities\n  where value > 5\n  order by value\ncount leads; count users\n.format csv\nfind users"
        let s = try Parser.parseAll(SourceText(name: "q", text: text))
        #expect(s.count == 5)
        guard case .find(let q) = s[0].kind else { Issue.record("not a find"); return }
        #expect(q.filter != nil && q.order.count == 1)
        guard case .shellCommand(let name, let args) = s[3].kind else { Issue.record("not a shell command"); return }
        #expect(name.text == "format" && args.map(\.text) == ["csv"])
        #expect(args[0].range == SourceRange(87, 90))
    }

    @Test func incompleteInputIsFlaggedForTheShell() {
        for text in ["find", "find opportunities where", "find opportunities where value >", "count leads where (a = 1",
                     "find leads where a = 1 and", "find leads order", #"find leads where name = "x"#] {
            do {
                _ = try Parser.parseAll(SourceText(name: "q", text: text))
                Issue.record("\(text) parsed")
            } catch {
                #expect(error.isUnexpectedEnd, "\(text): \(error.message)")
            }
        }
    }

    @Test func misspelledKeywordGetsASuggestion() {
        do {
            _ = try Parser.parseAll(SourceText(name: "q", text: "find opportunities wher stage = 1"))
            Issue.record("parsed")
        } catch {
            #expect(error.hint == "did you mean \"where\"?")
            #expect(!error.isUnexpectedEnd)
        }
    }
}

@Suite struct DiagnosticTests {
    @Test func rendersInTheHouseStyle() {
        let text = #"find opportunities where stage = "Won" and vaule > 10000"#
        let src = SourceText(name: "query", text: text)
        let session = TinyCRM.session()
        do {
            _ = try session.query(text)
            Issue.record("no error")
        } catch {
            // The stage is checked first.
            #expect(error.message == #""Won" is not a value of stage"#)
        }
        do {
            _ = try session.query(#"find opportunities where stage = "Closed Won" and vaule > 10000"#)
        } catch {
            let out = DiagnosticRenderer.render(error, in: SourceText(name: "query", text: #"find opportunities where stage = "Closed Won" and vaule > 10000"#))
            #expect(out == """
            error: unknown field "vaule" on opportunities
             --> query:1:51
            1 | find opportunities where stage = "Closed Won" and vaule > 10000
              |                                                   ^^^^^ did you mean "value"?

            """)
        }
        _ = src
    }

    @Test(arguments: [
        (#"find opportunity where stage = "Negociation""#, #"did you mean "Negotiation"?"#),
        ("find oportunities", #"did you mean "opportunities"?"#),
        ("count contacts by acount.name", #"did you mean "account"?"#),
        ("find contacts where account.industy = 1", #"did you mean "industry"?"#),
        ("find contacts show first_nme", #"did you mean "first_name"?"#),
        (#"find activities where type = "mail""#, #"did you mean "email"?"#),
    ])
    func didYouMean(_ query: String, _ hint: String) {
        do {
            _ = try TinyCRM.session().query(query)
            Issue.record("no error for \(query)")
        } catch {
            #expect(error.hint == hint)
            #expect(error.range != nil)
        }
    }

    @Test func suggestionDistance() {
        #expect(Suggestions.distance("vaule", "value") == 1)
        #expect(Suggestions.closest(to: "x", in: ["id"]) == nil)
    }
}
