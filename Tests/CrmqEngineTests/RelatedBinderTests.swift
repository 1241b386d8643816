import Testing
@testable import CrmqEngine

/// Binding child collections: derived from the schema (a custom one here, whose deals refer to
/// users twice), `via`, dot paths, and each diagnostic.
@Suite struct RelatedBinderTests {
    static let today = Day.parse("2026-06-15")!

    /// users <- deals (owner, co_owner), users <- notes (author), deals <- notes (deal).
    static let schema = Schema(entities: [
        EntityDef(name: "users", singular: "user", fields: [FieldDef("name", .text)], defaultColumns: ["id"], titleField: "name"),
        EntityDef(name: "deals", singular: "deal", fields: [
            FieldDef("owner", .reference("users")), FieldDef("co_owner", .reference("users")),
            FieldDef("amount", .money), FieldDef("title", .text), FieldDef("won", .bool), FieldDef("closed", .date),
        ], defaultColumns: ["id"], titleField: "title"),
        EntityDef(name: "notes", singular: "note", fields: [
            FieldDef("author", .reference("users")), FieldDef("deal", .reference("deals")), FieldDef("words", .int),
        ], defaultColumns: ["id"], titleField: "id"),
    ], enums: [:], pipelines: [.standard])

    static func bind(_ text: String, _ schema: Schema = schema) throws(Diagnostic) -> BoundStatement {
        let statements = try Parser.parseAll(SourceText(name: "q", text: text))
        return try Binder(schema: schema, today: today).bind(statements[0])
    }

    static func error(_ text: String, _ schema: Schema = schema) -> Diagnostic? {
        do { _ = try bind(text, schema); return nil } catch { return error }
    }

    static func filter(_ text: String, _ schema: Schema = schema) throws -> BoundFilter {
        guard case .find(let q) = try bind(text, schema) else { throw Diagnostic(.binder, "not a find", at: SourceRange(0, 0)) }
        return q.filter
    }

    /// The `count(...)`/`sum(...)` on the left of the first comparison in a find's where.
    static func aggregate(_ text: String, _ schema: Schema = schema) throws(Diagnostic) -> BoundChildAggregate {
        let statements = try Parser.parseAll(SourceText(name: "q", text: text))
        guard case .find(let q) = statements[0].kind, case .compare(.child(let syntax), _, _)? = q.filter?.kind else {
            throw Diagnostic(.binder, "no aggregate", at: SourceRange(0, 0))
        }
        let binder = Binder(schema: schema, today: today)
        return try binder.bindChildAggregate(syntax, binder.resolveEntity(q.entity))
    }

    @Test func collectionsComeFromTheSchema() throws {
        let binder = Binder(schema: Self.schema, today: Self.today)
        let users = Self.schema.entity(named: "users")!
        #expect(binder.childCollections(of: users).map(\.child.name) == ["deals", "notes"])
        #expect(binder.childCollections(of: users)[0].references.count == 2)
        let standard = Binder(schema: .standard, today: Self.today)
        #expect(standard.childCollections(of: Schema.standard.entity(named: "accounts")!).map(\.child.name)
                == ["contacts", "opportunities", "activities", "cases"])
        #expect(standard.childCollections(of: Schema.standard.entity(named: "opportunities")!).map(\.child.name)
                == ["leads", "stage_changes", "activities"])
    }

    @Test func ambiguousReferenceListsTheChoices() {
        let e = Self.error("find users where any deals (won = true)")
        #expect(e?.message == "deals refer to users in 2 ways")
        #expect(e?.hint == #"name the reference: "deals via owner" or "deals via co_owner""#)
        #expect(e?.range == SourceRange(21, 26))
        do { _ = try Self.aggregate("find users where count(deals) > 2") } catch {
            #expect(error.message == "deals refer to users in 2 ways")
        }
    }

    @Test func viaPicksTheReference() throws {
        guard case .related(.any, let c, _) = try Self.filter("find users where any deals via co_owner (won = true)") else {
            Issue.record("not a related filter"); return
        }
        #expect(c.child == "deals" && c.reference == 2 && c.parent == "users" && c.hops.isEmpty)
        #expect(c.text == "deals via co_owner")
        // The only reference may be named too.
        guard case .related(.no, let n, .all) = try Self.filter("find users where no notes via author") else {
            Issue.record("not a related filter"); return
        }
        #expect(n.reference == 1)
    }

    @Test func viaOnAWrongField() {
        let e = Self.error("find users where any deals via amount (won = true)")
        #expect(e?.message == #""amount" is not a reference from deals to users"#)
        #expect(e?.hint == #"deals refer to users through "owner" or "co_owner""#)
        let unknown = Self.error("find users where any deals via ownr (won = true)")
        #expect(unknown?.message == #"unknown field "ownr" on deals"#)
        #expect(unknown?.hint == #"did you mean "owner"?"#)
        let otherParent = Self.error("find users where any notes via deal")
        #expect(otherParent?.message == #""deal" is not a reference from notes to users"#)
    }

    @Test func throughADotPath() throws {
        guard case .related(.all, let c, _) = try Self.filter("find notes where all deal.owner.deals via owner (won = true)") else {
            Issue.record("not a related filter"); return
        }
        #expect(c.hops.map(\.entity) == ["notes", "deals"])
        #expect(c.parent == "users" && c.child == "deals" && c.text == "deal.owner.deals via owner")
    }

    @Test func misspelledCollection() {
        let e = Self.error(#"find accounts where any opportunites (stage = "Closed Won")"#, .standard)
        #expect(e?.message == #"unknown child collection "opportunites" on accounts"#)
        #expect(e?.hint == #"did you mean "opportunities"?"#)
        let field = Self.error(#"find accounts where any industry (stage = "Closed Won")"#, .standard)
        #expect(field?.message == #""industry" is a text field of accounts, not a child collection"#)
        #expect(field?.hint?.contains("child collections of accounts: contacts, opportunities, activities, cases") == true)
        let reference = Self.error(#"find contacts where any account (name = "x")"#, .standard)
        #expect(reference?.message == #""account" refers to one record, it is not a child collection"#)
        #expect(reference?.hint?.contains("account.name = ...") == true)
        let fieldOfIt = Self.error("find accounts where no opportunities.value (value > 1)", .standard)
        #expect(fieldOfIt?.message == #""no" takes a child collection, not a field of it"#)
    }

    @Test func aggregatesTypeCheck() throws {
        let count = try Self.aggregate("find users where count(deals via owner where won = true) > 1")
        #expect(count.function == .count && count.resultType == .int && count.field == nil && count.filter != .all)
        let sum = try Self.aggregate("find users where sum(deals.amount via owner) > 1")
        #expect(sum.resultType == .money && sum.field?.text == "amount")
        let avg = try Self.aggregate("find users where avg(notes.words) > 1")
        #expect(avg.resultType == .decimal)
        let min = try Self.aggregate("find users where min(deals.closed via co_owner) > 1")
        #expect(min.resultType == .date)
        let through = try Self.aggregate("find notes where max(deal.owner.notes.deal.amount) > 1")
        #expect(through.collection.hops.count == 2 && through.field?.hops.count == 1 && through.resultType == .money)

        #expect(throws: Diagnostic.self) { try Self.aggregate("find users where sum(deals.title via owner) > 1") }
        do { _ = try Self.aggregate("find users where sum(deals.title via owner) > 1") } catch {
            #expect(error.message == #"cannot sum "title": it is a text field"#)
        }
        do { _ = try Self.aggregate("find users where max(deals.won via owner) > 1") } catch {
            #expect(error.message == #"cannot take the max of "won": it is a bool field"#)
        }
        do { _ = try Self.aggregate("find users where count(notes.words) > 1") } catch {
            #expect(error.message == "count takes just the collection, not a field of it")
        }
        do { _ = try Self.aggregate("find users where sum(notes) > 1") } catch {
            #expect(error.message == "sum needs a field of notes")
            #expect(error.hint == "name it after the collection: sum(notes.words)")
        }
    }
}
