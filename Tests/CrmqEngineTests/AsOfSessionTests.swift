import Foundation
import Testing
@testable import CrmqEngine

/// `as of`: the moment the binder works out, and the view the session keeps for it.
@Suite struct AsOfSessionTests {
    static let today = Day.parse("2026-06-15")!

    static func cutoff(_ text: String, fiscalStart: Int = 1) throws -> Int64? {
        var binder = Binder(schema: .standard, today: today)
        binder.fiscalYearStartMonth = fiscalStart
        guard case .aggregate(let q) = try binder.bind(try Parser.parseAll(SourceText(name: "t", text: text))[0]) else {
            Issue.record("not an aggregate: \(text)")
            return nil
        }
        return q.asOf
    }

    static func end(_ day: String) -> Int64 { (Day.parse(day)! + 1) * 86_400 - 1 }

    @Test func theMomentOfEachForm() throws {
        #expect(try Self.cutoff("count opportunities") == nil)
        #expect(try Self.cutoff("count opportunities as of 2026-03-31") == Self.end("2026-03-31"))
        #expect(try Self.cutoff("count opportunities as of 2026-03-31T12:30:00") == Day.parseDateTime("2026-03-31T12:30:00"))
        #expect(try Self.cutoff("count opportunities as of today") == Self.end("2026-06-15"))
        #expect(try Self.cutoff("count opportunities as of yesterday") == Self.end("2026-06-14"))
        #expect(try Self.cutoff("count opportunities as of last quarter") == Self.end("2026-03-31"))
        #expect(try Self.cutoff("count opportunities as of last month") == Self.end("2026-05-31"))
        #expect(try Self.cutoff("count opportunities as of last year") == Self.end("2025-12-31"))
        #expect(try Self.cutoff("count opportunities as of last fiscal year", fiscalStart: 4) == Self.end("2026-03-31"))
        // After today: now (the end of today).
        #expect(try Self.cutoff("count opportunities as of tomorrow") == Self.end("2026-06-15"))
        #expect(try Self.cutoff("count opportunities as of this quarter") == Self.end("2026-06-15"))
        #expect(try Self.cutoff("count opportunities as of 2030-01-01") == Self.end("2026-06-15"))
    }

    @Test func theViewIsKeptForItsMomentAndDroppedByAChange() throws {
        var session = Session(database: GoldenRun.demo, settings: Session.Settings(today: Self.today))
        var console = TranscriptConsole()
        #expect(session.run(SourceText(name: "t", text: "count opportunities as of 2026-03-31 by stage"), on: &console) == .success)
        let view = try #require(session.asOfView)
        #expect(view.cutoff == Self.end("2026-03-31"))
        #expect(view.steps["opportunities"] != nil && view.steps["accounts"] == nil)
        // The next statement at the same moment grows the same view.
        #expect(session.run(SourceText(name: "t", text: "count accounts as of 2026-03-31"), on: &console) == .success)
        #expect(session.asOfView?.steps["opportunities"] != nil && session.asOfView?.steps["accounts"] != nil)
        // Another moment replaces it.
        #expect(session.run(SourceText(name: "t", text: "count accounts as of 2025-12-31"), on: &console) == .success)
        #expect(session.asOfView?.cutoff == Self.end("2025-12-31") && session.asOfView?.steps["opportunities"] == nil)
        // A change drops it, and the next query sees the change.
        #expect(session.run(SourceText(name: "t", text: "update accounts set employees = 7 where id = 1"), on: &console) == .success)
        #expect(session.asOfView == nil)
        let before = try session.query("count accounts as of 2025-12-31 where employees = 7").plainRows
        #expect(session.run(SourceText(name: "t", text: "count accounts as of 2025-12-31 where employees = 7"), on: &console) == .success)
        #expect(console.transcript.hasSuffix(" count\n-------\n     \(before[0][0])\n(1 row)\n\n"))
    }

    /// A deal's stage then is its last change's at or before the moment; with two at the same
    /// moment, the later recorded one (the larger id); with none, no stage.
    @Test func theStageThenComesFromTheLastChange() throws {
        var db = TinyCRM.build()
        let opportunities = db["opportunities"], changes = db["stage_changes"]
        let stages = db.schema.enumValues("stage")
        let deal = try #require(opportunities.ids.first)
        let fields = db.schema.entity(named: "stage_changes")!.fields
        func change(_ id: Int64, to stage: String, at time: String) {
            var values = [StoredValue](repeating: .null, count: fields.count - 1)
            values[fields.firstIndex { $0.name == "opportunity" }! - 1] = .integer(deal)
            values[fields.firstIndex { $0.name == "to_stage" }! - 1] = .integer(Int64(stages.firstIndex(of: stage)!))
            values[fields.firstIndex { $0.name == "changed_at" }! - 1] = .integer(Day.parseDateTime(time)!)
            db.modify("stage_changes") { $0.append(id: id, values) }
        }
        let next = changes.nextId
        change(next + 1, to: "Proposal", at: "2020-02-01T10:00:00")
        change(next, to: "Qualification", at: "2020-02-01T10:00:00")
        change(next + 2, to: "Negotiation", at: "2020-03-01T10:00:00")
        var created = db["opportunities"]
        created.set(created.entity.fieldIndex("created_at")!, rows: [Int32(created.row(ofId: deal)!)],
                    to: .integer(Day.parseDateTime("2020-01-01T00:00:00")!))
        db["opportunities"] = created
        let session = Session(database: db, settings: Session.Settings(today: Self.today))
        func stageThen(_ day: String) throws -> [String] {
            try session.query("find opportunities as of \(day) where id = \(deal) show stage, probability").plainRows.first ?? []
        }
        #expect(try stageThen("2020-01-15") == ["", ""])
        #expect(try stageThen("2020-02-15") == ["Proposal", "60.00"])
        #expect(try stageThen("2020-03-01") == ["Negotiation", "80.00"])
        #expect(try stageThen("2019-12-31") == [])
    }

    /// An aggregate's view slices only the columns it reads; a later statement at the same moment that
    /// reads others gets them sliced then, and sees what a view with every column shows.
    @Test func anAggregateSlicesItsColumnsAndALaterStatementAddsOthers() throws {
        var session = Session(database: GoldenRun.demo, settings: Session.Settings(today: Self.today))
        var console = TranscriptConsole()
        #expect(session.run(SourceText(name: "t", text: "count opportunities as of 2026-03-31 by stage"), on: &console) == .success)
        let view = try #require(session.asOfView)
        let deals = view.database["opportunities"]
        #expect(deals.count < session.database["opportunities"].count, "the demo has deals created after the moment")
        let value = try #require(deals.entity.fieldIndex("value")), stage = try #require(deals.entity.fieldIndex("stage"))
        #expect(deals.columns[value].count == 0 && deals.columns[stage].count == deals.count)
        #expect(session.run(SourceText(name: "t", text: "find opportunities as of 2026-03-31 where value > 20000 "
                                        + "show id, name, value, close_date, owner.name order by value desc limit 5"), on: &console) == .success)
        let grown = try #require(session.asOfView?.database["opportunities"])
        var full = AsOfView(of: session.database, cutoff: view.cutoff)
        full.include(["opportunities"], from: session.database)
        let all = full.database["opportunities"]
        #expect(grown.count == all.count && grown.columns.count == all.columns.count)
        for (f, column) in all.columns.enumerated() {
            switch (column, grown.columns[f]) {
            case (.integers(let a), .integers(let b)): #expect(a == b, "\(all.entity.fields[f].name)")
            case (.text(let a), .text(let b)): #expect(a.codes == b.codes, "\(all.entity.fields[f].name)")
            default: Issue.record("field \(f) changed its kind")
            }
        }
    }

    /// A change is applied in place: neither the data a statement ran on nor the last view `as of`
    /// a moment (`as of today` keeps every deal, so it shares their columns) still shares the columns
    /// it writes when it is applied (sharing would copy each whole column).
    @Test func aChangeAfterAnAsOfQueryWritesTheColumnsInPlace() throws {
        var session = Session(database: GoldenRun.demo, settings: Session.Settings(today: Self.today))
        var console = TranscriptConsole()
        let value = try #require(session.database["opportunities"].entity.fieldIndex("value"))
        let deal = session.database["opportunities"].ids[0]
        // The first write copies the column from the demo data, which every test shares.
        #expect(session.run(SourceText(name: "t", text: "update opportunities set value = 1000 where id = \(deal)"), on: &console) == .success)
        #expect(session.run(SourceText(name: "t", text: "count opportunities as of today where value > 0 by stage"), on: &console) == .success)
        #expect(session.asOfView != nil)
        func address(_ s: Session) -> Int {
            s.database["opportunities"].columns[value].integers.withUnsafeBytes { Int(bitPattern: $0.baseAddress) }
        }
        let before = address(session)
        #expect(session.run(SourceText(name: "t", text: "update opportunities set value = 1234 where id = \(deal)"), on: &console) == .success)
        #expect(address(session) == before)
    }
}
