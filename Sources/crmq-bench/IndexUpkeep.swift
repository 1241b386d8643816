import CrmqEngine

/// What a change costs the next indexed query (issue #13: indexes kept current incrementally):
/// on the 1M-row opportunities collection, a `create` or an `update ... where id = N`, then an
/// indexed query, each timed apart; both run as the shell runs them (`Session.run`), so that the
/// indexes the session keeps (or rebuilds) are the ones the next statement sees.
struct IndexUpkeep {
    /// Uses the stage postings and the value index (Q2's plan).
    static let query = #"count opportunities where stage = "Negotiation" and value > 10000"#
    var session: Session
    let repeats: Int

    /// Medians in ms: the query alone, and after each kind of change the change and the query.
    mutating func timings() -> [String: Double] {
        var plain: [Double] = []
        for _ in 0..<repeats { plain.append(time(Self.query)) }
        var createTimes: [Double] = [], afterCreate: [Double] = []
        for _ in 0..<repeats {
            createTimes.append(time(#"create opportunity name = "bench", value = 1000, stage = "Prospecting""#))
            afterCreate.append(time(Self.query))
        }
        var updateTimes: [Double] = [], afterUpdate: [Double] = []
        for k in 0..<repeats {
            // Alternating values, so that each update changes the row (and its index entries).
            updateTimes.append(time("update opportunities set value = \(k % 2 == 0 ? 12345 : 54321) where id = 17"))
            afterUpdate.append(time(Self.query))
        }
        return ["query_ms": median(plain), "create_ms": median(createTimes), "query_after_create_ms": median(afterCreate),
                "update_ms": median(updateTimes), "query_after_update_ms": median(afterUpdate),
                "query_after_create_max_ms": afterCreate.max() ?? 0, "query_after_update_max_ms": afterUpdate.max() ?? 0]
    }

    private mutating func time(_ text: String) -> Double {
        var console = TranscriptConsole()
        let t0 = ContinuousClock.now
        let outcome = session.run(SourceText(name: "bench", text: text), on: &console)
        let ms = seconds(since: t0) * 1000
        if outcome != .success { fail("\(text): \(console.transcript)") }
        return ms
    }
}
