import Foundation
import Testing
@testable import CrmqEngine

/// `blocked` against an independent computation: random exit criteria on the demo data's two
/// pipelines, and the blocked deals worked out in plain Swift from the stored columns (the rule as the
/// README states it), never through the binder, planner or executor.
@Suite struct BlockedPropertyTests {
    /// One criterion: how `require` spells it, and whether a deal (a row of opportunities) meets it.
    struct Criterion {
        var text: String
        var holds: (Int) -> Bool
    }

    static func criteria(_ db: Database) -> [Criterion] {
        let deals = db["opportunities"]
        func column(_ name: String) -> [Int64] { deals.columns[deals.entity.fieldIndex(name)!].integers.int64Array() }
        let value = column("value"), close = column("close_date"), contact = column("contact")
        let source = column("lead_source"), campaign = column("campaign")
        // Deals with a done meeting, from the activities' own columns.
        let acts = db["activities"]
        let actType = acts.columns[acts.entity.fieldIndex("type")!].integers
        let actDone = acts.columns[acts.entity.fieldIndex("done")!].integers
        let actDeal = acts.columns[acts.entity.fieldIndex("opportunity")!].integers
        let meeting = Int64(db.schema.enumValues("activity_type").firstIndex(of: "meeting")!)
        var met = Set<Int64>()
        for i in actType.indices where actType[i] == meeting && actDone[i] == 1 && actDeal[i] != nullInt { met.insert(actDeal[i]) }
        let ids = deals.ids
        let september = Day.parse("2026-09-01")!
        return [
            Criterion(text: "close_date") { close[$0] != nullInt },
            Criterion(text: "contact") { contact[$0] != nullInt },
            Criterion(text: "lead_source") { source[$0] != nullInt },
            Criterion(text: "campaign") { campaign[$0] != nullInt },
            Criterion(text: "value >= 20000") { value[$0] != nullInt && value[$0] >= 2_000_000 },
            Criterion(text: "close_date < 2026-09-01") { close[$0] != nullInt && close[$0] < september },
            Criterion(text: #"any activities (type = "meeting" and done = true)"#) { met.contains(ids[$0]) },
            Criterion(text: "not (value < 5000 and contact is null)") {
                !(value[$0] != nullInt && value[$0] < 500_000 && contact[$0] == nullInt)
            },
        ]
    }

    @Test(arguments: 1...8) func blockedEqualsTheRuleWorkedOutByHand(seed: Int) throws {
        var settings = Session.Settings(today: Day.parse("2026-06-15")!)
        settings.format = .csv
        var s = Session(database: GoldenRun.demo, settings: settings)
        let db = s.database
        let pool = Self.criteria(db)
        var rng = DiffRandom(seed: UInt64(seed) * 7_919)
        // Each stage gets none, one or two criteria; what was given is kept here, apart from the schema.
        var given: [[[Int]]] = []
        var script = ""
        for p in db.schema.pipelines {
            var stages: [[Int]] = []
            for stage in p.stages {
                script += "require nothing for stage \"\(stage.name)\" in pipeline \"\(p.name)\"\n"
                var picked: [Int] = []
                if rng.chance(0.45) {
                    for _ in 0..<rng.int(in: 1...2) { let c = rng.int(pool.count); if !picked.contains(c) { picked.append(c) } }
                    script += "require \(picked.map { pool[$0].text }.joined(separator: ", ")) for stage \"\(stage.name)\" in pipeline \"\(p.name)\"\n"
                }
                stages.append(picked)
            }
            given.append(stages)
        }
        var console = TranscriptConsole()
        #expect(s.run(SourceText(name: "criteria", text: script), on: &console) == .success, "\(console.transcript)")

        // The rule: an open deal is blocked when its next stage is not a lost one and a criterion of
        // that stage, or of an open stage before it, fails.
        let deals = db["opportunities"]
        let stageCodes = deals.columns[deals.entity.fieldIndex("stage")!].integers
        let pipelineCodes = deals.columns[deals.entity.fieldIndex("pipeline")!].integers
        let names = db.schema.enumValues("stage")
        var expected: [Int64] = []
        for row in 0..<deals.count where stageCodes[row] != nullInt {
            let pi = pipelineCodes[row] == nullInt ? 0 : Int(pipelineCodes[row])
            let p = db.schema.pipelines[pi]
            guard let k = p.stages.firstIndex(where: { $0.name == names[Int(stageCodes[row])] }),
                  !p.stages[k].isClosed, k + 1 < p.stages.count, !(p.stages[k + 1].isClosed && !p.stages[k + 1].isWon) else { continue }
            var required = given[pi][k + 1]
            for j in 0...k where !p.stages[j].isClosed { required += given[pi][j] }
            if required.contains(where: { !pool[$0].holds(row) }) { expected.append(deals.ids[row]) }
        }
        #expect(!expected.isEmpty && expected.count < deals.count, "the criteria drawn should block some deals, not all")
        let found = try s.query("find opportunities where blocked show id order by id").plainRows.map { Int64($0[0])! }
        #expect(found == expected, "seed \(seed): \(found.count) found, \(expected.count) expected")
        // And as a part of larger conditions.
        let notBlocked = try s.query("count opportunities where not blocked").plainRows[0][0]
        #expect(Int(notBlocked) == deals.count - expected.count)
        let inAccounts = try s.query("count accounts where any opportunities (blocked)").plainRows[0][0]
        let accountOf = deals.columns[deals.entity.fieldIndex("account")!].integers
        let wanted = Set(expected.compactMap { id in deals.row(ofId: id).map { accountOf[$0] } }.filter { $0 != nullInt })
        #expect(Int(inAccounts) == wanted.count)
    }
}
