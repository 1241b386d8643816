import Foundation
import Testing
import CrmqEngine

private let demoToday = Day.from(year: 2026, month: 3, day: 15)
/// Noon on the demo's today: nothing that already happened may lie after it.
private let demoNow = demoToday * 86_400 + 12 * 3_600

/// Generated once and shared: the tests only read it.
private let demo = DemoGenerator.generate(DemoOptions(scale: 0.01, seed: 7, today: demoToday))

private func ints(_ db: Database, _ entity: String, _ field: String) -> [Int64] {
    let c = db[entity]
    return c.columns[c.entity.fieldIndex(field)!].integers.int64Array()
}

private func texts(_ db: Database, _ entity: String, _ field: String) -> TextColumn {
    let c = db[entity]
    return c.columns[c.entity.fieldIndex(field)!].textColumn
}

private func code(_ db: Database, _ enumName: String, _ value: String) -> Int64 {
    Int64(db.schema.enumValues(enumName).firstIndex(of: value)!)
}

/// Each deal's pipeline, from its stored `pipeline` code.
private func dealPipelines(_ db: Database) -> [Pipeline] {
    ints(db, "opportunities", "pipeline").map { db.schema.pipeline(code: $0) }
}

/// The codes of every pipeline's won stages, and of its lost ones.
private func closedCodes(_ db: Database) -> (won: Set<Int64>, lost: Set<Int64>) {
    let stages = db.schema.pipelines.flatMap(\.stages)
    return (Set(stages.filter(\.isWon).map { db.schema.stageCode($0.name)! }),
            Set(stages.filter(\.isLost).map { db.schema.stageCode($0.name)! }))
}

private func sameData(_ a: Database, _ b: Database) -> Bool {
    for e in a.schema.entities {
        let ca = a[e.name], cb = b[e.name]
        guard ca.count == cb.count else { return false }
        for (x, y) in zip(ca.columns, cb.columns) {
            switch (x, y) {
            case (.integers(let p), .integers(let q)): if p != q { return false }
            case (.text(let p), .text(let q)): if p.codes != q.codes || p.dictionary != q.dictionary { return false }
            default: return false
            }
        }
    }
    return true
}

@Suite struct DemoGeneratorTests {
    @Test func sameOptionsGiveTheSameData() {
        let options = DemoOptions(scale: 0.002, seed: 42, today: demoToday)
        let a = DemoGenerator.generate(options)
        let b = DemoGenerator.generate(options)
        #expect(sameData(a, b))
        var other = options
        other.seed = 43
        #expect(!sameData(a, DemoGenerator.generate(other)))
    }

    @Test func rowCountsFollowTheScale() {
        let expected = ["users": 50, "accounts": 1_000, "contacts": 5_000, "leads": 3_000, "opportunities": 10_000,
                        "activities": 20_000, "campaigns": 12, "cases": 1_500]
        for (entity, count) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(demo[entity].count == count, "\(entity)")
        }
        let changes = demo["stage_changes"].count
        #expect(changes > 20_000 && changes < 60_000)

        let tiny = DemoGenerator.generate(DemoOptions(scale: 0.0001, today: demoToday))
        let tinyExpected = ["users": 50, "accounts": 10, "contacts": 50, "leads": 30, "opportunities": 100,
                            "activities": 200, "campaigns": 12, "cases": 20]
        for (entity, count) in tinyExpected.sorted(by: { $0.key < $1.key }) {
            #expect(tiny[entity].count == count, "\(entity)")
        }
        let nothing = DemoGenerator.generate(DemoOptions(scale: 0, today: demoToday))
        for e in nothing.schema.entities { #expect(nothing[e.name].count >= 1, "\(e.name)") }
        checkReferences(tiny)
        checkReferences(nothing)
    }

    @Test func everyReferenceAndEnumCodeIsValid() {
        checkReferences(demo)
        let small = DemoGenerator.generate(DemoOptions(scale: 0.002, seed: 3, today: demoToday))
        checkReferences(small)
    }

    private func checkReferences(_ db: Database) {
        for e in db.schema.entities {
            let c = db[e.name]
            #expect(c.ids.int64Array() == (1...Int64(c.count)).map { $0 }, "\(e.name) ids run 1, 2, 3, ...")
            for (i, f) in e.fields.enumerated() {
                switch f.type {
                case .reference(let target):
                    let t = db[target]
                    let bad = c.columns[i].integers.filter { $0 != nullInt && t.row(ofId: $0) == nil }
                    #expect(bad.isEmpty, "\(e.name).\(f.name) -> \(target): \(bad.prefix(5))")
                case .enumeration(let name):
                    let n = Int64(db.schema.enumValues(name).count)
                    let bad = c.columns[i].integers.filter { $0 != nullInt && ($0 < 0 || $0 >= n) }
                    #expect(bad.isEmpty, "\(e.name).\(f.name)")
                case .bool:
                    #expect(c.columns[i].integers.allSatisfy { $0 == 0 || $0 == 1 }, "\(e.name).\(f.name)")
                default: break
                }
            }
        }
    }

    @Test func stageHistoriesEndAtTheCurrentStage() {
        let stageNames = demo.schema.enumValues("stage")
        let pipelines = dealPipelines(demo)
        let opp = ints(demo, "stage_changes", "opportunity"), from = ints(demo, "stage_changes", "from_stage")
        let to = ints(demo, "stage_changes", "to_stage"), at = ints(demo, "stage_changes", "changed_at")
        let by = ints(demo, "stage_changes", "changed_by")
        let stage = ints(demo, "opportunities", "stage"), created = ints(demo, "opportunities", "created_at")
        let close = ints(demo, "opportunities", "close_date"), owner = ints(demo, "opportunities", "owner")
        var problems: [String] = []
        var i = 0
        var seen = 0
        while i < opp.count {
            var j = i
            while j < opp.count, opp[j] == opp[i] { j += 1 }
            let o = Int(opp[i]) - 1
            let pipeline = pipelines[o]
            // A stage's place in the deal's own pipeline; every stage of its history must have one.
            func order(_ code: Int64) -> Int { pipeline.stageIndex(named: stageNames[Int(code)]) ?? -1 }
            let open = pipeline.openStages
            seen += 1
            if from[i] != nullInt || order(to[i]) != 0 || at[i] != created[o] { problems.append("start of \(o + 1)") }
            if to[j - 1] != stage[o] { problems.append("end of \(o + 1)") }
            if (i..<j).contains(where: { order(to[$0]) < 0 }) { problems.append("stage outside the pipeline in \(o + 1)") }
            for k in (i + 1)..<max(i + 1, j) {
                if from[k] != to[k - 1] { problems.append("chain of \(o + 1)") }
                if at[k] <= at[k - 1] { problems.append("time order of \(o + 1)") }
                if order(to[k]) <= order(from[k]) { problems.append("backwards in \(o + 1)") }
                let fromName = stageNames[Int(from[k])]
                if pipeline.stages[order(to[k])].isWon && !open.suffix(2).contains(where: { $0.name == fromName }) {
                    problems.append("won from early stage in \(o + 1)")
                }
            }
            let closed = pipeline.stages[max(0, order(stage[o]))].isClosed
            if closed ? at[j - 1] >= (close[o] + 1) * 86_400 || close[o] >= demoToday : at[j - 1] > demoNow {
                problems.append("too late in \(o + 1)")
            }
            if (i..<j).contains(where: { by[$0] != owner[o] }) { problems.append("changed_by of \(o + 1)") }
            i = j
        }
        #expect(seen == stage.count, "every deal has a history, grouped")
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }

    @Test func largeNewBusinessDealsUseTheSecondPipeline() {
        #expect(demo.schema.pipelines.map(\.name) == ["Sales", "Enterprise"])
        let pipelines = ints(demo, "opportunities", "pipeline"), type = ints(demo, "opportunities", "type")
        #expect(!pipelines.contains(nullInt))
        let second = pipelines.indices.filter { pipelines[$0] == 1 }
        let share = Double(second.count) / Double(pipelines.count)
        #expect(share > 0.10 && share < 0.15, "second pipeline share \(share)")
        let newBusiness = code(demo, "opportunity_type", "new business")
        #expect(second.allSatisfy { type[$0] == newBusiness })
        // Each deal's stage belongs to its own pipeline.
        let stageNames = demo.schema.enumValues("stage"), stage = ints(demo, "opportunities", "stage")
        let outside = stage.indices.filter { demo.schema.pipeline(code: pipelines[$0]).stage(named: stageNames[Int(stage[$0])]) == nil }
        #expect(outside.isEmpty, "\(outside.prefix(5))")
        // The stage enum lists each pipeline's stages in its order.
        #expect(stageNames == Schema.stageNames(of: demo.schema.pipelines))
    }

    @Test func aboutThirtyPercentOfClosedDealsAreWon() {
        let stage = ints(demo, "opportunities", "stage")
        let closed = closedCodes(demo)
        let won = stage.filter { closed.won.contains($0) }.count
        let lost = stage.filter { closed.lost.contains($0) }.count
        let share = Double(won) / Double(won + lost)
        #expect(share >= 0.25 && share <= 0.35, "won share \(share)")
        let closedShare = Double(won + lost) / Double(stage.count)
        #expect(closedShare > 0.5 && closedShare < 0.6)
    }

    @Test func probabilityComesFromTheStage() {
        let names = demo.schema.enumValues("stage")
        let stage = ints(demo, "opportunities", "stage"), probability = ints(demo, "opportunities", "probability")
        for (s, (p, pipeline)) in zip(stage, zip(probability, dealPipelines(demo))) {
            let expected = Int64(pipeline.stage(named: names[Int(s)])!.probability) * 100
            if p != expected { Issue.record("stage \(names[Int(s)]) has probability \(p)"); return }
        }
    }

    @Test func convertedLeadsLinkToWhatTheyBecame() {
        let status = ints(demo, "leads", "status"), created = ints(demo, "leads", "created_at")
        let at = ints(demo, "leads", "converted_at"), contact = ints(demo, "leads", "converted_contact")
        let deal = ints(demo, "leads", "converted_opportunity")
        let converted = code(demo, "lead_status", "converted")
        var withDeal = 0, count = 0, badConverted = 0, badOthers = 0, outOfRange = 0
        for i in status.indices {
            if status[i] == converted {
                count += 1
                if at[i] == nullInt || at[i] <= created[i] || at[i] > demoNow || contact[i] == nullInt { badConverted += 1 }
                if deal[i] != nullInt { withDeal += 1 }
            } else if at[i] != nullInt || contact[i] != nullInt || deal[i] != nullInt {
                badOthers += 1
            }
            if created[i] > demoNow || created[i] < (demoToday - 731) * 86_400 { outOfRange += 1 }
        }
        #expect(badConverted == 0 && badOthers == 0 && outOfRange == 0)
        let share = Double(count) / Double(status.count)
        #expect(share > 0.17 && share < 0.23, "converted share \(share)")
        #expect(Double(withDeal) > 0.8 * Double(count))

        // A lead that became a deal shares its source and owner, and came in before the deal did.
        let oppSource = ints(demo, "opportunities", "lead_source"), oppOwner = ints(demo, "opportunities", "owner")
        let oppCreated = ints(demo, "opportunities", "created_at")
        let source = ints(demo, "leads", "source"), owner = ints(demo, "leads", "owner")
        let mismatched = status.indices.filter { i in
            guard deal[i] != nullInt else { return false }
            let o = Int(deal[i]) - 1
            return oppSource[o] != source[i] || oppOwner[o] != owner[i] || oppCreated[o] < at[i]
        }
        #expect(mismatched.isEmpty, "\(mismatched.prefix(5))")
    }

    @Test func datesFitTheStory() {
        let stage = ints(demo, "opportunities", "stage"), close = ints(demo, "opportunities", "close_date")
        let created = ints(demo, "opportunities", "created_at")
        let closedStages = closedCodes(demo).won.union(closedCodes(demo).lost)
        var open = 0, overdue = 0, badCycle = 0, badClosed = 0, badOpen = 0
        for i in stage.indices {
            let cycle = close[i] - created[i] / 86_400
            if cycle < 9 || created[i] > demoNow { badCycle += 1 }
            if closedStages.contains(stage[i]) {
                if close[i] >= demoToday || close[i] < demoToday - 1_100 { badClosed += 1 }
            } else {
                open += 1
                if close[i] < demoToday { overdue += 1 }
                if close[i] > demoToday + 180 { badOpen += 1 }
            }
        }
        #expect(badCycle == 0 && badClosed == 0 && badOpen == 0)
        let overdueShare = Double(overdue) / Double(open)
        #expect(overdueShare > 0.05 && overdueShare < 0.11, "overdue \(overdueShare)")

        let due = ints(demo, "activities", "due_at"), done = ints(demo, "activities", "done")
        let made = ints(demo, "activities", "created_at")
        var badDue = 0, badCreated = 0, doneInFuture = 0, pastDone = 0, past = 0
        for i in due.indices {
            if due[i] < (demoToday - 180) * 86_400 || due[i] > (demoToday + 61) * 86_400 { badDue += 1 }
            if made[i] >= due[i] || made[i] > demoNow { badCreated += 1 }
            if due[i] > demoNow, done[i] != 0 { doneInFuture += 1 }
            if due[i] < demoNow {
                past += 1
                pastDone += Int(done[i])
            }
        }
        #expect(badDue == 0 && badCreated == 0 && doneInFuture == 0)
        #expect(Double(pastDone) > 0.85 * Double(past))

        let opened = ints(demo, "cases", "opened_at"), closedAt = ints(demo, "cases", "closed_at")
        let caseStatus = ints(demo, "cases", "status"), closedCode = code(demo, "case_status", "closed")
        let badCases = opened.indices.filter { i in
            (closedAt[i] != nullInt) != (caseStatus[i] == closedCode)
                || (closedAt[i] != nullInt && (closedAt[i] <= opened[i] || closedAt[i] > demoNow))
        }
        #expect(badCases.isEmpty, "\(badCases.prefix(5))")

        // Ids rise with creation time, as a CRM hands them out.
        for (entity, field) in [("accounts", "created_at"), ("contacts", "created_at"), ("leads", "created_at"),
                                ("opportunities", "created_at"), ("activities", "created_at"), ("cases", "opened_at")] {
            let t = ints(demo, entity, field)
            #expect(zip(t, t.dropFirst()).allSatisfy { $0 <= $1 }, "\(entity)")
        }
        let contactCreated = ints(demo, "contacts", "created_at"), contactAccount = ints(demo, "contacts", "account")
        let accountCreated = ints(demo, "accounts", "created_at")
        let early = contactCreated.indices.filter {
            contactAccount[$0] != nullInt && contactCreated[$0] < accountCreated[Int(contactAccount[$0]) - 1]
        }
        #expect(early.isEmpty, "contacts created before their account: \(early.prefix(5))")
    }

    @Test func looksLikeRealData() {
        let values = ints(demo, "opportunities", "value").sorted()
        let median = Double(values[values.count / 2]) / 100
        #expect(median > 8_000 && median < 18_000, "median deal \(median)")
        #expect(values.last! > 300_000 * 100)

        let names = texts(demo, "accounts", "name")
        #expect(names.dictionary.count == demo["accounts"].count, "account names are unique")
        #expect(names[0] == "Nordlys Logistikk AS")

        let emails = texts(demo, "contacts", "email")
        let gmail = (0..<emails.count).filter { emails[$0]?.hasSuffix("@gmail.com") == true }.count
        let gmailShare = Double(gmail) / Double(emails.count)
        #expect(gmailShare > 0.1 && gmailShare < 0.2, "gmail \(gmailShare)")

        let last = texts(demo, "contacts", "last_name")
        let sm = (0..<last.count).filter { last[$0]!.hasPrefix("Sm") }.count
        #expect(sm > 20 && sm < 400, "Sm... \(sm)")
        #expect(texts(demo, "contacts", "title").dictionary.contains { $0.contains("Intern") })

        let type = ints(demo, "opportunities", "type")
        let existing = Double(type.filter { $0 == code(demo, "opportunity_type", "existing customer") }.count)
        #expect(existing / Double(type.count) > 0.25 && existing / Double(type.count) < 0.55)

        let source = ints(demo, "leads", "source")
        var perSource = [Int](repeating: 0, count: demo.schema.enumValues("lead_source").count)
        for s in source { perSource[Int(s)] += 1 }
        #expect(perSource.firstIndex(of: perSource.max()!) == Int(code(demo, "lead_source", "web form")))
    }

    @Test func reportsProgressUpToOne() {
        var reports: [(String, Double)] = []
        _ = DemoGenerator.generate(DemoOptions(scale: 0.001, today: demoToday)) { reports.append(($0, $1)) }
        #expect(reports.count > 20 && reports.count < 2_000)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.1 <= $1.1 })
        #expect(reports.last?.1 == 1)
    }

    /// `CRMQ_TIME_DEMO=1 swift test -c release --filter DemoGenerator` prints how long scale 1 takes.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CRMQ_TIME_DEMO"] == "1"))
    func timeFullScale() {
        let clock = ContinuousClock()
        var db: Database?
        let elapsed = clock.measure {
            db = DemoGenerator.generate(DemoOptions(scale: 1, today: demoToday))
        }
        let rows = db!.schema.entities.map { db![$0.name].count }.reduce(0, +)
        print("demo scale 1: \(rows) rows in \(elapsed)")
        checkReferences(db!)
    }
}
