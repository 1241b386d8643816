import Testing
@testable import CrmqEngine

/// Tab completion of related records: the collections after any/no/all and count(, and the child's
/// fields inside their parentheses, back to the parent's after the `)`.
@Suite struct CompleterRelatedTests {
    let completer = Completer(schema: .standard, segments: [
        SegmentDefinition(name: "big_deals", base: "opportunities", entity: "opportunities", condition: "value > 100000"),
        SegmentDefinition(name: "smb", base: "accounts", entity: "accounts", condition: "employees < 20"),
    ])

    func texts(_ input: String) -> [String] { completer.complete(input).candidates.map(\.text) }

    @Test func collectionsAfterAQuantifier() {
        #expect(texts("find accounts where any ") == ["contacts", "opportunities", "activities", "cases", "big_deals"])
        #expect(texts("find accounts where no opp") == ["opportunities"])
        #expect(texts("find accounts where all big") == ["big_deals"])
        #expect(texts("find accounts where any opportunities ") == ["(", "via"])
    }

    @Test func theChildsFieldsInsideTheParentheses() {
        #expect(texts("find accounts where any opportunities (sta") == ["stage"])
        #expect(texts("find accounts where any opportunities (stage = \"Closed Won\") and indu") == ["industry"])
        #expect(texts("find accounts where any opportunities (any activities (do") == ["done"])
        #expect(texts("find accounts where any opportunities (any activities (done = true) and val") == ["value"])
    }

    @Test func aggregatesOverRelatedRecords() {
        #expect(texts("find accounts where count(") == ["contacts", "opportunities", "activities", "cases", "big_deals"])
        #expect(texts("find accounts where count(opportunities ") == ["where", ")"])
        #expect(texts("find accounts where count(opportunities where sta") == ["stage"])
        #expect(texts("find accounts show name, count(contacts) as people, count(cases where stat") == ["status"])
        #expect(texts("find accounts where count(contacts) >= 5 and indu") == ["industry"])
    }
}
