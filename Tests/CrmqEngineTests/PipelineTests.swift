import Foundation
import Testing
@testable import CrmqEngine

/// Pipelines as data: each change re-codes the stored stages as the new stage list says, the same on
/// the statement, on replaying its journal record and after a save; rollback undoes it; old files
/// open migrated; moves meet the exit criteria or change nothing.
@Suite struct PipelineTests {
    static let enterprise = #"define pipeline "Enterprise" stages ("Meeting booked" 10, "Product evaluated" 30, "Evaluated by team" 50, "Contract received" 80, "Contract signed" 100 won, "Lost" 0 lost)"#

    /// Each deal's stage and pipeline by name, and each stage change's names: what re-coding must keep.
    static func stageNames(_ s: Session) throws -> [[String]] {
        try s.query("find opportunities show id, pipeline, stage, probability order by id").plainRows
            + s.query("find stage_changes show opportunity, from_stage, to_stage order by id").plainRows
    }

    @Test func aStageAddedInTheMiddleReCodesAndOrdersByThePipelines() throws {
        var s = SegmentTests.session()
        let before = try Self.stageNames(s)
        let out = SegmentTests.run(&s, """
            alter pipeline "Sales" add stage "Demo given" 35 after "Needs Analysis"
            \(Self.enterprise)
            alter pipeline "Enterprise" add stage "Security review" 60 after "Evaluated by team"
            """)
        #expect(out.errors == "")
        #expect(try Self.stageNames(s) == before, "every stored stage reads as before")
        let stages = s.database.schema.enumValues("stage")
        #expect(stages == Schema.stageNames(of: s.database.schema.pipelines))
        #expect(stages[3] == "Demo given" && stages.contains("Security review"))
        // Ordering by stage follows the pipelines.
        let ordered = try s.query("find opportunities show stage order by stage, id").plainRows.map { $0[0] }
        #expect(ordered == ["Proposal", "Negotiation", "Negotiation", "Closed Won", "Closed Won", "Closed Lost"])
    }

    @Test func renamingAStageSharedByTwoPipelinesRenamesItInOneOnly() throws {
        var s = SegmentTests.session()
        let out = SegmentTests.run(&s, """
            define pipeline "Partner" stages ("Intro made" 10, "Closed Won" 100 won, "Closed Lost" 0 lost)
            create opportunity name = "P", pipeline = "Partner", stage = "Intro made"
            update opportunities set stage = "Closed Lost" where id = 7
            alter pipeline "Partner" rename stage "Closed Lost" to "Fell through"
            """)
        #expect(out.errors == "")
        let rows = try s.query("find opportunities where id in (5, 7) show id, pipeline, stage").plainRows
        #expect(rows == [["5", "", "Closed Lost"], ["7", "Partner", "Fell through"]])
        let history = try s.query("find stage_changes where opportunity = 7 show from_stage, to_stage").plainRows
        #expect(history == [["", "Intro made"], ["Intro made", "Fell through"]])
    }

    @Test func pipelineChangesAreJournaledReplayedAndSaved() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var s = try DataFileTests.open(path)
        let out = DataFileTests.run(&s, """
            \(Self.enterprise)
            alter pipeline "Enterprise" add stage "Security review" 60 after "Evaluated by team"
            alter pipeline "Enterprise" rename stage "Lost" to "Closed lost"
            alter pipeline "Sales" add stage "Demo given" 35 before "Value Proposition"
            require close_date, contact for stage "Proposal"
            require any activities (type = "meeting" and done = true) for stage "Security review" in pipeline "Enterprise"
            update opportunities set pipeline = "Enterprise", stage = "Meeting booked" where id = 6
            begin
            define pipeline "Tmp" stages ("A" 10, "B" 100 won)
            create opportunity name = "T", pipeline = "Tmp"
            commit
            begin
            alter pipeline "Sales" drop stage "Demo given"
            rollback
            """)
        #expect(!out.contains("error"), "\(out)")
        let again = try DataFileTests.open(path)
        SnapshotTests.expectSameData(s.database, again.database)
        #expect(try Self.stageNames(again) == Self.stageNames(s))
        #expect(again.database.schema.pipeline(named: "Sales")?.stage(named: "Demo given") != nil, "the rollback undid the drop")
        #expect(again.database.schema.pipeline(named: "Sales")?.stage(named: "Proposal")?.criteria
                == [.filled(field: "close_date"), .filled(field: "contact")])
        // A save folds the journal in: a format 3 snapshot, as it keeps criteria.
        #expect(DataFileTests.run(&s, "save").hasPrefix("saved"))
        let third = try DataFileTests.open(path)
        SnapshotTests.expectSameData(s.database, third.database)
        #expect(try SnapshotReader.read(path: path).version == 3)
        _ = dir
    }

    @Test func rollbackUndoesPipelineChanges() throws {
        var s = SegmentTests.session()
        let before = s.database
        let out = SegmentTests.run(&s, """
            begin
            \(Self.enterprise)
            update opportunities set pipeline = "Enterprise", stage = "Contract received" where id = 1
            alter pipeline "Sales" rename stage "Proposal" to "Quote sent"
            rollback
            """)
        #expect(out.errors == "")
        SnapshotTests.expectSameData(before, s.database)
    }

    @Test func anOldFileOpensMigrated() throws {
        // A file as crmq wrote it before pipelines: no pipeline field, the standard pipeline named
        // "default", no pipeline enum; and a journal insert of an opportunity with one value fewer.
        var schema = Schema.standard
        let e = schema.entities.firstIndex { $0.name == "opportunities" }!
        let deals = schema.entities[e]
        schema.entities[e] = EntityDef(name: deals.name, singular: deals.singular, fields: Array(deals.fields.dropFirst().dropLast()),
                                       defaultColumns: deals.defaultColumns, titleField: deals.titleField)
        schema.enums["pipeline"] = nil
        schema.pipelines[0].name = "default"
        var old = Database(schema: schema)
        let tiny = TinyCRM.build()
        for entity in schema.entities {
            let c = tiny[entity.name]
            for row in 0..<c.count {
                let values = entity.fields.indices.dropFirst().map { f -> StoredValue in
                    switch c.columns[f] {
                    case .integers(let a): .integer(a[row])
                    case .text(let t): .text(t[row])
                    }
                }
                old.modify(entity.name) { $0.append(id: c.ids[row], values) }
            }
        }
        let dir = try TemporaryDirectory()
        let path = dir.path + "/old.crmq"
        _ = try DataFile.writeNew(old, to: path)
        do {
            var file = try DataFile.open(path).file
            let insert = DataChange.insert(entity: "opportunities", id: 7,
                                           values: [.text("Old deal")] + [StoredValue](repeating: .null, count: 12))
            try file.commit([insert], before: old, at: 0)
        }
        #expect(try SnapshotReader.read(path: path).version == 1)

        let opened = try DataFileTests.open(path)
        #expect(opened.database.schema.pipelines.map(\.name) == ["Sales"])
        #expect(opened.database.schema.enumValues("pipeline") == ["Sales"])
        let rows = try opened.query("find opportunities show id, pipeline, stage order by id").plainRows
        #expect(rows.count == 7)
        #expect(rows.prefix(6).allSatisfy { $0[1] == "Sales" }, "the snapshot's deals are filled in")
        #expect(rows[6] == ["7", "", ""], "the journal's deal has no pipeline, which means the standard one")
        // It changes and saves as a file of today.
        var s = opened
        #expect(!DataFileTests.run(&s, #"move opportunity 2 to "Negotiation""#).contains("error"))
        #expect(DataFileTests.run(&s, "save").hasPrefix("saved"))
        let again = try DataFileTests.open(path)
        SnapshotTests.expectSameData(s.database, again.database)
        _ = dir
    }

    @Test func aMovePastAnUnmetCriterionChangesNothing() throws {
        var s = SegmentTests.session()
        #expect(SegmentTests.run(&s, #"require value >= 10000, contact for stage "Negotiation""#).errors == "")
        let before = s.database
        // Deal 2 (8,000) may not enter Negotiation; deal 4 is closed won and may not either.
        let out = SegmentTests.run(&s, #"update opportunities set stage = "Negotiation" where id in (2, 4)"#)
        #expect(out.errors.contains("2 opportunities may not move: "))
        #expect(out.errors.contains(#"opportunity 2 may not enter "Negotiation" (not met: value >= 10000)"#))
        #expect(out.errors.contains(#"opportunity 4 may not enter "Negotiation" (not met: value >= 10000)"#))
        SnapshotTests.expectSameData(before, s.database)
        // A criterion of an earlier open stage counts too; a lost stage needs only its own.
        #expect(SegmentTests.run(&s, #"require close_date for stage "Qualification""#).errors == "")
        #expect(SegmentTests.run(&s, #"update opportunities set close_date = null where id = 2"#).errors == "")
        let past = SegmentTests.run(&s, #"move opportunity 2 to "Proposal""#)
        #expect(past.out.contains("already in stage"))
        let forward = SegmentTests.run(&s, #"update opportunities set value = 20000 where id = 2; move opportunity 2 to "Negotiation""#)
        #expect(forward.errors.contains(#"close_date (for "Qualification")"#) || forward.errors.contains("close_date filled (for \"Qualification\")"))
        #expect(SegmentTests.run(&s, #"move opportunity 2 to "Closed Lost""#).errors == "")
        // Setting the fields in the same statement meets them.
        let both = SegmentTests.run(&s, #"update opportunities set close_date = 2026-08-01, stage = "Negotiation" where id = 2"#)
        #expect(both.errors == "")
        #expect(try s.query("find opportunities where id = 2 show stage, probability").plainRows == [["Negotiation", "80.00"]])
    }

    @Test func aJournalOfOnlyAPipelineChangeReCodesCollectionsReadLater() throws {
        let (dir, path) = try DataFileTests.tinyFile()
        var s = try DataFileTests.open(path)
        let before = try Self.stageNames(s)
        #expect(!DataFileTests.run(&s, #"alter pipeline "Sales" add stage "Demo given" 35 after "Prospecting""#).contains("error"))
        // Opened on demand: no statement has read opportunities yet when the journal is replayed.
        var settings = Session.Settings(today: TinyCRM.today)
        settings.format = .csv
        let again = try Session.open(path, settings: settings).0
        #expect(try Self.stageNames(again) == before)
        _ = dir
    }

    @Test func blockedCannotBeACriterion() {
        var s = SegmentTests.session()
        let out = SegmentTests.run(&s, """
            require blocked for stage "Proposal"
            define segment stuck as opportunities where blocked
            require id in stuck for stage "Proposal"
            """)
        #expect(out.errors.contains(#"an exit criterion cannot use "blocked""#))
        let clean = s.database.schema.pipelines[0].stages.allSatisfy { $0.criteria.isEmpty }
        #expect(clean)
    }

    @Test func theCommandLineUserIsWhoMovesAreRecordedAs() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/crm.crmq"
        _ = try DataFile.writeNew(TinyCRM.build(), to: path)
        // Ben is a manager of another team than the deal's owner: an admin may move any deal.
        _ = try CommandLineTests.run([path, "-c", #"update users set role = "admin" where id = 2"#])
        let moved = try CommandLineTests.run([path, "--today", "2026-06-15", "--user", "BEN@crmq.example",
                                              "-c", #"move opportunity 2 to "Negotiation""#])
        #expect(moved.status == 0, "\(moved.stderr)")
        let seen = try CommandLineTests.run([path, "--format", "csv", "-c", "find stage_changes show opportunity, to_stage, changed_by.name"])
        #expect(seen.stdout == "opportunity,to_stage,changed_by.name\r\n2,Negotiation,Ben Smith\r\n")
        let unknown = try CommandLineTests.run([path, "--user", "bem@crmq.example", "-c", "count opportunities"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains(#"no user has the email "bem@crmq.example""#))
        #expect(unknown.stderr.contains(#"did you mean "ben@crmq.example"?"#))
    }
}
