import Testing
@testable import CrmqEngine

/// Tab completion: the text before the cursor in, the words it may become out.
@Suite struct CompleterTests {
    let completer = Completer(schema: .standard)

    func texts(_ input: String) -> [String] { completer.complete(input).candidates.map(\.text) }

    @Test func statementKeywordsAtTheStart() {
        #expect(texts("grant ") == ["read", "create", "update", "delete", "change"])
        #expect(texts("grant read ") == ["on"])
        #expect(texts("revoke read on opportunities.va") == ["opportunities.value"])
        #expect(texts("revoke read on opportunities ") == ["from"])
        #expect(texts("grant read on cases to ") == ["admin", "manager", "sales", "support"])
        #expect(texts("grant read on cases to sales ") == ["where"])
        #expect(texts("") == ["add", "alter", "avg", "convert", "count", "define", "disable", "drop", "enable", "explain", "export",
                              "find", "grant", "import", "index", "max", "min", "move", "rename", "report", "require", "revoke", "run",
                              "sandbox", "show", "sum"])
        #expect(texts("convert ") == ["lead"])
        #expect(texts("sandbox ") == ["apply", "diff", "discard"])
        #expect(texts("sandbox di") == ["diff", "discard"])
        #expect(texts("show ") == ["account", "contact", "lead", "opportunity"])
        #expect(texts("explain show a") == ["account"])
        #expect(texts("fi") == ["find"])
        #expect(texts("explain ") .contains("analyze"))
    }

    @Test func importOffersEntitiesOptionsAndFields() {
        #expect(texts("import vc") == ["vcards"])
        #expect(texts("import acc") == ["accounts"])
        #expect(texts("import contacts f") == ["from"])
        #expect(texts("import contacts from \"x.csv\" sk") == ["skip bad rows"])
        #expect(texts("import contacts from \"x.csv\" by em") == ["email"])
        #expect(texts("import contacts from \"x.csv\" map \"E-mail\" to em") == ["email"])
        #expect(texts("import opportunities from \"x.csv\" skip bad rows wi") == ["without history"])
        #expect(texts("import vcards from \"x.vcf\" by fi") == ["first_name"])
    }

    @Test func segmentsWhereEntitiesGoAndAfterIn() {
        let segments = [
            SegmentDefinition(name: "smb", base: "accounts", entity: "accounts", condition: "employees < 20"),
            SegmentDefinition(name: "nordic_smb", base: "smb", entity: "accounts", condition: nil),
            SegmentDefinition(name: "small_deals", base: "opportunities", entity: "opportunities", condition: "value < 1000"),
        ]
        let c = Completer(schema: .standard, segments: segments)
        func texts(_ input: String) -> [String] { c.complete(input).candidates.map(\.text) }
        #expect(texts("find nor") == ["nordic_smb"])
        #expect(texts("count sm") == ["smb", "small_deals"])
        #expect(texts("sum annual_revenue of sma") == ["small_deals"])
        // A segment's fields are its entity's.
        #expect(texts("find nordic_smb where empl") == ["employees"])
        #expect(texts("count smb by ind") == ["industry"])
        // After `in`: the segments of the entity the reference points at, or of the entity after `id in`.
        #expect(texts("count contacts where account in ") == ["(", "smb", "nordic_smb"])
        #expect(texts("count contacts where account not in nor") == ["nordic_smb"])
        #expect(texts("find opportunities where id in ") == ["(", "small_deals"])
        #expect(texts("find opportunities where stage in ") == ["("])
        // define and drop.
        #expect(texts("def") == ["define"])
        #expect(texts("define ") == ["segment", "pipeline", "rule"])
        #expect(texts("define segment big ") == ["as"])
        #expect(texts("define segment big as sm") == ["smb", "small_deals"])
        #expect(texts("define segment big as accounts ") == ["where"])
        #expect(texts("define segment big as smb where coun") == ["country"])
        #expect(texts("drop ") == ["index", "segment", "pipeline", "rule"])
        #expect(texts("drop segment ") == ["smb", "nordic_smb", "small_deals"])
        #expect(texts(".segments acc") == ["accounts"])
        #expect(texts(".sh") == [".show"])
    }

    @Test func entitiesAfterFindCountAndOf() {
        #expect(texts("find opp") == ["opportunities"])
        #expect(texts("count le") == ["leads"])
        #expect(texts("sum value of acc") == ["accounts"])
        #expect(texts("count, sum value of ca") == ["campaigns", "cases"])
        #expect(texts("find ").count == Schema.standard.entities.count)
    }

    @Test func clauseKeywordsAfterTheEntity() {
        #expect(texts("find opportunities w") == ["where"])
        #expect(texts("find opportunities o") == ["order by", "offset"])
        #expect(texts("find opportunities a") == ["as of"])
        #expect(texts("count opportunities as of last quarter ").contains("by"))
        #expect(!texts("count opportunities as of last quarter ").contains("as of"))
        #expect(!texts("find opportunities where value > 1 ").contains("as of"))
        #expect(texts("count opportunities as of 2026-03-31 where sta") == ["stage"])
        #expect(texts("count opportunities b") == ["by"])
        // A clause already given is not offered again.
        #expect(!texts("find leads where score > 50 ").contains("where"))
        #expect(texts("find leads where score > 50 ").contains("and"))
    }

    @Test func functionsOnceAWordIsBegun() {
        #expect(texts("find opportunities show name, ye") == ["year("])
        #expect(texts("find opportunities where mon") == ["month("])
        #expect(texts("count opportunities by fis") == ["fiscal_year(", "fiscal_quarter("])
        #expect(texts("find accounts order by low") == ["lower("])
        #expect(!texts("find opportunities show ").contains("year("))
    }

    @Test func fieldsAfterWhereShowByAndOrderBy() {
        #expect(texts("find opportunities where st") == ["stage"])
        #expect(texts("find opportunities where stage = \"Proposal\" and va") == ["value"])
        #expect(texts("find opportunities where value > 5 or clo") == ["close_date"])
        #expect(texts("find contacts show first_name, la") == ["last_name"])
        #expect(texts("count opportunities by ow") == ["owner"])
        #expect(texts("find leads order by sc") == ["score"])
        #expect(texts("count leads by source order by co") == ["count", "company", "converted_at", "converted_contact", "converted_opportunity"])
    }

    @Test func referencesContinueWithADot() {
        let c = completer.complete("find opportunities where acc")
        #expect(c.candidates == [Completer.Candidate("account", continues: true)])
        #expect(texts("find opportunities where account.ind") == ["account.industry"])
        #expect(texts("find opportunities show account.owner.te") == ["account.owner.team"])
        #expect(texts("find opportunities where acount.na").isEmpty, "an unknown reference offers nothing")
    }

    @Test func enumValuesQuotedAfterAComparison() {
        #expect(texts("find opportunities where stage = \"Neg") == ["\"Negotiation\""])
        #expect(texts("find opportunities where stage = Neg") == ["\"Negotiation\""])
        #expect(texts("find opportunities where stage = 'clo") == ["'Closed Won'", "'Closed Lost'"])
        #expect(texts("find opportunities where stage >= \"").count == Pipeline.standard.stages.count)
        #expect(texts("find opportunities where account.owner.role = \"ad") == ["\"admin\""])
    }

    @Test func enumValuesInAList() {
        #expect(texts("find opportunities where type in (") == ["\"new business\"", "\"existing customer\""])
        // Values already in the list are not offered again.
        #expect(texts("find opportunities where type in (\"new business\", ") == ["\"existing customer\""])
        #expect(texts("find leads where source not in (\"web form\", \"ad\", \"c") == ["\"cold call\"", "\"campaign\""])
    }

    @Test func valuesForOtherTypes() {
        #expect(texts("find activities where done = ") == ["true", "false"])
        #expect(texts("find opportunities where close_date < to") == ["today", "tomorrow"])
        #expect(texts("find opportunities where close_date within ") == ["last", "next", "this"])
        #expect(texts("find opportunities where value > ").isEmpty)
    }

    @Test func operatorsAfterAField() {
        #expect(texts("find contacts where title con") == ["contains"])
        #expect(texts("find contacts where account is ") == ["null", "not null"])
        #expect(texts("find contacts where title starts ") == ["with"])
        #expect(texts("find opportunities where close_date be").contains("before"))
    }

    @Test func multiLineStatementsKeepTheirContext() {
        #expect(texts("find opportunities\nwhere stage = \"Qua") == ["\"Qualification\""])
        #expect(texts("count users;\nfind le") == ["leads"])
        #expect(texts("count users\nfind leads where sc") == ["score"])
    }

    @Test func shellCommandsAndTheirArguments() {
        #expect(texts(".fo") == [".format"])
        #expect(texts(".format cs") == ["csv"])
        #expect(texts(".schema opp") == ["opportunities"])
        #expect(texts(".timer o") == ["on", "off"])
        #expect(texts(".chart f") == ["funnel"])
        #expect(texts(".help fore") == ["forecast"])
        #expect(completer.complete(".read examples/0").wantsFileName)
        #expect(completer.complete(".read examples/0").word == "examples/0")
    }

    @Test func nothingInsideACommentOrAfterLimit() {
        #expect(texts("find leads -- the best on").isEmpty)
        #expect(texts("find leads limit ").isEmpty)
    }

    @Test func theCommonPrefixOfTheCandidates() {
        #expect(completer.complete("find opportunities where stage = \"Clo").commonPrefix == "\"Closed ")
        #expect(completer.complete("find con").commonPrefix == "contacts")
        #expect(completer.complete("find contacts where x").commonPrefix == "x")
    }

    @Test func theWordBeingCompleted() {
        #expect(completer.complete("find opportunities where stage = \"Closed W").word == "\"Closed W")
        #expect(completer.complete("find opportunities where account.ow").word == "account.ow")
        #expect(completer.complete("find opportunities ").word == "")
    }

    @Test func countDistinctAndHaving() {
        #expect(texts("count dis") == ["distinct"])
        #expect(texts("count distinct acc").contains("account"))
        #expect(texts("count opportunities by owner h") == ["having"])
        #expect(!texts("find opportunities ").contains("having"))
        // In having, the result's columns: its aggregates by header and its group paths.
        #expect(texts("count, sum value of opportunities by owner having ") == ["count", "sum", "sum_value", "owner", "not"])
        #expect(texts("count distinct account of opportunities by stage having c") == ["count_distinct_account"])
        #expect(texts("count opportunities by stage having count > 5 a") == ["and"])
        #expect(texts("count opportunities by stage having count ").contains(">="))
        #expect(!texts("count opportunities by stage having count > 5 ").contains("having"))
    }
}

/// Completing reports: the kinds after `report`, then the clauses the kind takes.
@Suite struct CompleterReportTests {
    func texts(_ s: String) -> [String] { Completer(schema: .standard).complete(s).candidates.map(\.text) }

    @Test func kindsAndTheirClauses() {
        #expect(texts("report ") == ReportRegistry.names)
        #expect(texts("report won by ") == ["type", "size", "product", "owner", "owner.team", "lead_source"])
        #expect(texts("report attribution by ") == ["source", "campaign"])
        #expect(texts("report attribution where sc") == ["score"])
        #expect(texts("report fo") == ["forecast"])
        #expect(texts("explain rep") == ["report"])
        #expect(texts("report funnel ") == ["for pipeline", "as of", "where"])
        #expect(texts("report forecast ") == ["this", "last", "next", "between", "by", "as of", "where"])
        #expect(texts("report forecast this quarter ") == ["by", "as of", "where"])
        #expect(texts("report funnel as of 2026-03-31 ") == ["for pipeline", "where"])
        #expect(texts("report forecast by ") == ["owner", "owner.team", "month"])
        #expect(texts("report activity by owner.team where ty") == ["type"])
        #expect(texts("report dashboard ") == ["as of", "where"])
    }
}
