import CrmqEngine

/// The floor for Q2-Q4: the same questions as plain loops over the column arrays, with no
/// language, planner or index in between. crmq should stay within 3x of these.
struct ColumnScans {
    let db: Database
    let today: Int64
    let repeats: Int

    func timings() -> [String: Double] {
        let opps = db["opportunities"]
        let stageField = opps.entity.fieldIndex("stage")!
        // Widened to plain arrays once, outside the clock: the floor is a loop over Int64 arrays.
        let stage = opps.columns[stageField].integers.int64Array()
        let value = opps.columns[opps.entity.fieldIndex("value")!].integers.int64Array()
        let close = opps.columns[opps.entity.fieldIndex("close_date")!].integers.int64Array()
        let negotiation = Int64(db.schema.enumValues("stage").firstIndex(of: "Negotiation")!)
        var sink = 0
        let q2 = time {
            var n = 0
            for i in 0..<stage.count where stage[i] == negotiation && value[i] > 1_000_000 { n += 1 }
            sink &+= n
        }
        let q3 = time {
            // Filter by date, then keep the 20 largest values.
            var best: [(Int64, Int)] = []
            for i in 0..<close.count where close[i] >= today && close[i] <= today + 30 {
                if best.count < 20 || value[i] > best[best.count - 1].0 {
                    best.append((value[i], i))
                    best.sort { $0.0 > $1.0 }
                    if best.count > 20 { best.removeLast() }
                }
            }
            sink &+= best.count
        }
        let q4 = time {
            // One slot per stage of every pipeline (the demo's Enterprise pipeline adds stages).
            let stages = db.schema.enumValues("stage").count
            var counts = [Int](repeating: 0, count: stages), sums = [Int64](repeating: 0, count: stages)
            for i in 0..<stage.count {
                let s = Int(stage[i])
                counts[s] += 1
                sums[s] &+= value[i]
            }
            sink &+= counts[0]
        }
        if sink == -1 { print(sink) }  // keeps the loops from being optimised away
        return ["Q2": q2, "Q3": q3, "Q4": q4]
    }

    private func time(_ body: () -> Void) -> Double {
        var times: [Double] = []
        for _ in 0..<repeats {
            let t0 = ContinuousClock.now
            body()
            times.append(seconds(since: t0) * 1000)
        }
        return median(times)
    }
}
