/// The session every statement input runs in: the demo data at a tiny scale (about a hundred
/// activities), generated once per process, so an input runs in well under a millisecond. Each
/// input works on its own copy; its changes stay in memory and it may not touch files.
enum FuzzFixture {
    static let today = Day.from(year: 2026, month: 6, day: 15)
    /// The id the journal target's snapshot has, and the one before it (a journal naming it is folded).
    static let snapshotId: UInt64 = 0x0123_4567_89AB_CDEF
    static let previousId: UInt64 = 0x0FED_CBA9_8765_4321

    static let session: Session = {
        var settings = Session.Settings(today: today)
        settings.keepGoing = true
        settings.allowsFiles = false
        settings.now = today * 86_400 + 12 * 3_600
        // Tables show 20 rows, as at a terminal: the fitting path runs, and a `find` of every record
        // does not spend the fuzzer's time printing it.
        settings.display.maxRows = 20
        return Session(database: DemoGenerator.generate(DemoOptions(scale: 0.001, seed: 1, today: today)),
                       settings: settings)
    }()
}
