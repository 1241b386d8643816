/// Opportunities and their stage histories.
extension DemoBuilder {
    /// One deal before it is written: generated in random order, written in creation order.
    private struct DealPlan {
        var account: Int32
        var contact: Int32
        var owner: Int32
        var campaign: Int32
        var stage: UInt8        // index into stageCodes
        var pipeline: UInt8     // index into pipelineShapes
        var source: UInt8
        var existing: Bool
        var product: UInt8
        var nameKind: UInt8
        var close: Int64
        var created: Int64
        var value: Int64        // cents
    }

    /// The base chance that a closed deal was won, before the factors of source, customer type, rep,
    /// cycle length and size; tuned so that about 30 % of closed deals end Closed Won.
    private static let baseWinRate = 0.285

    /// New-business deals at least this large (in currency units) go through the second pipeline.
    private static let enterpriseMinimum = 30_000.0

    mutating func makeOpportunities() {
        let n = counts.opportunities
        beginPhase("opportunities", rows: n)
        var r = random(5)
        let products = DemoPhrases.products
        let standard = pipelineShapes[0]
        let m = standard.openStages.count
        // Fewer deals stand in each later stage: the funnel narrows.
        let openWeights = DemoWeights((0..<m).map { demoPow(0.82, Double($0)) })
        let sourceWeights = DemoWeights([26, 20, 12, 14, 8, 9, 11] as [Int])
        let newWeights = DemoWeights(products.map(\.weight))
        // Existing customers buy add-ons and services more than new core licences.
        let existingWeights = DemoWeights(products.indices.map { products[$0].weight * ($0 >= 3 ? 1.8 : 1) })

        var plans: [DealPlan] = []
        plans.reserveCapacity(n)
        var createdKeys: [Int64] = []
        createdKeys.reserveCapacity(n)
        for _ in 0..<n {
            let closed = r.chance(0.55)
            let u = r.unit()
            var cycle = 10 + Int64(290 * demoPow(u, 1.5))
            var close: Int64
            var openIndex = 0
            if closed {
                let v = r.unit()
                close = today - 1 - Int64(1_094 * (0.5 * v + 0.5 * v * v))
                if r.chance(0.2) {
                    let end = DemoBuilder.monthEnd(close)
                    if end < today { close = end }
                }
            } else {
                openIndex = openWeights.pick(&r)
                if r.chance(0.08) {
                    close = today - Int64(r.between(1, 60))
                } else {
                    let v = r.unit()
                    close = today + 1 + Int64(179 * (0.6 * v + 0.4 * v * v))
                    if r.chance(0.35) { close = min(DemoBuilder.monthEnd(close), today + 180) }
                }
                // A deal that got far must have been around a while.
                cycle = max(cycle, close - today + 2 + Int64(7 * openIndex) + Int64(r.between(0, 14)))
            }
            let createdDay = close - cycle
            let created = DemoBuilder.officeTime(createdDay, &r)

            let existingAccounts = max(1, DemoBuilder.countAtMost(accountCreated, created))
            let a = accountWeights.pick(&r, among: existingAccounts)
            let team = DemoPlaces.countries[Int(accountCountry[a])].team
            let owner = r.chance(0.75) ? accountOwner[a] : salesRep(team: team, &r)
            let contact = contactAt(account: a, before: created, &r)
            let source = sourceWeights.pick(&r)
            let existing = r.chance(accountCustomerSince[a] <= createdDay ? 0.88 : 0.12)
            let product = (existing ? existingWeights : newWeights).pick(&r)

            let employees = Double(max(1, accountEmployees[a]))
            let sizeFactor = min(4, max(0.4, demoPow(employees / 50, 0.18)))
            let amount = min(5_000_000, max(250, r.logNormal(median: products[product].medianValue * sizeFactor, sigma: 1)))
            let value: Int64 = switch r.below(100) {
            case 0..<55: demoRound(amount / 100) * 100 * 100
            case 55..<85: demoRound(amount) * 100
            default: demoRound(amount * 100)
            }

            var campaign: Int32 = -1
            let fromMarketing = source == DemoSource.campaign.rawValue || source == DemoSource.ad.rawValue
                || source == DemoSource.event.rawValue
            if r.chance(fromMarketing ? 0.8 : 0.04) { campaign = recentCampaign(before: createdDay, &r) }

            // Large new-business deals go through the second pipeline, where there is one; the open
            // stage drawn for the standard pipeline maps to the same share of the way through it.
            let pipeline = pipelineShapes.count > 1 && !existing && amount >= DemoBuilder.enterpriseMinimum ? 1 : 0
            let shape = pipelineShapes[pipeline]
            let stage: Int
            if closed {
                let cycleFactor = cycle <= 30 ? 1.7 : cycle <= 60 ? 1.25 : cycle <= 120 ? 1.0 : 0.8
                let sizeWin = amount > 100_000 ? 0.75 : amount < 5_000 ? 1.1 : 1
                let p = DemoBuilder.baseWinRate * DemoSource(rawValue: source)!.winFactor * (existing ? 1.25 : 0.88)
                    * userSkill[Int(owner)] * cycleFactor * sizeWin
                stage = r.chance(min(0.9, p)) ? shape.wonStage : shape.lostStage
            } else {
                stage = shape.openStages[openIndex * shape.openStages.count / m]
            }
            let nameKind: Int = existing ? [0, 0, 0, 0, 1, 1, 1, 2, 2, 3][r.below(10)] : [0, 0, 0, 0, 0, 0, 0, 0, 4, 5][r.below(10)]
            plans.append(DealPlan(account: Int32(a), contact: contact, owner: owner, campaign: campaign,
                                  stage: UInt8(stage), pipeline: UInt8(pipeline), source: UInt8(source), existing: existing,
                                  product: UInt8(product), nameKind: UInt8(nameKind), close: close, created: created,
                                  value: value))
            createdKeys.append(created)
        }
        let order = DemoBuilder.chronologicalOrder(createdKeys)
        createdKeys = []

        let typeNew = code("opportunity_type", "new business"), typeExisting = code("opportunity_type", "existing customer")
        oppAccount.reserveCapacity(n)
        oppContact.reserveCapacity(n)
        oppOwner.reserveCapacity(n)
        oppStage.reserveCapacity(n)
        oppClose.reserveCapacity(n)
        oppCreated.reserveCapacity(n)
        oppSource.reserveCapacity(n)
        oppCampaign.reserveCapacity(n)
        oppProduct.reserveCapacity(n)
        for (pos, pi) in order.enumerated() {
            let p = plans[Int(pi)]
            oppAccount.append(p.account)
            oppContact.append(p.contact)
            oppOwner.append(p.owner)
            oppStage.append(p.stage)
            oppClose.append(p.close)
            oppCreated.append(p.created)
            oppSource.append(p.source)
            oppCampaign.append(p.campaign)
            oppProduct.append(p.product)
            tick(pos)
        }

        let shapes = pipelineShapes
        let names = accountName, stageCodes = stageCodes, probability = stageProbability, sourceCodes = sourceCodes
        write("opportunities", rows: n) { [plans, order] c in
            let nameSuffix = ["", " renewal", " upgrade", " expansion", " pilot", ""]
            var row = [StoredValue](repeating: .null, count: 14)
            for (pos, pi) in order.enumerated() {
                let p = plans[Int(pi)]
                let product = products[Int(p.product)].name
                var name = names[Int(p.account)] + " – " + product + nameSuffix[Int(p.nameKind)]
                if p.nameKind == 5 {
                    let seats = max(5, Int(demoRound(Double(p.value) / 100 / 600 / 5)) * 5)
                    name += " (\(seats) seats)"
                }
                let stage = Int(p.stage)
                row[0] = .text(name)
                row[1] = .integer(Int64(p.account) + 1)
                row[2] = DemoBuilder.ref(p.contact)
                row[3] = .integer(Int64(p.owner) + 1)
                row[4] = .integer(stageCodes[stage])
                row[5] = .integer(probability[stage])
                row[6] = .integer(p.value)
                row[7] = .integer(p.close)
                row[8] = .integer(p.created)
                row[9] = .integer(sourceCodes[Int(p.source)])
                row[10] = .integer(p.existing ? typeExisting : typeNew)
                row[11] = .text(product)
                row[12] = DemoBuilder.ref(p.campaign)
                row[13] = .integer(shapes[Int(p.pipeline)].code)
                c.append(id: Int64(pos + 1), row)
            }
        }

        let rules = DemoHistoryRules(shapes: shapes, stagePipeline: stagePipeline, now: now)
        let seed = seed
        // Stage changes are not planned ahead, only counted in the progress with their deals.
        write("stage_changes", rows: 0, reserve: n * 4) { [plans, order] c in
            var r = DemoRandom(seed: seed, stream: 15)
            var path: [Int] = [], times: [Int64] = []
            var row = [StoredValue](repeating: .null, count: 5)
            var changeId: Int64 = 0
            for (pos, pi) in order.enumerated() {
                let p = plans[Int(pi)]
                rules.path(to: Int(p.stage), in: Int(p.pipeline), into: &path, &r)
                rules.times(count: path.count, created: p.created, close: p.close, closed: rules.isClosed(Int(p.stage)),
                            into: &times, &r)
                for j in path.indices {
                    changeId += 1
                    row[0] = .integer(Int64(pos + 1))
                    row[1] = j == 0 ? .null : .integer(stageCodes[path[j - 1]])
                    row[2] = .integer(stageCodes[path[j]])
                    row[3] = .integer(times[j])
                    row[4] = .integer(Int64(p.owner) + 1)
                    c.append(id: changeId, row)
                }
            }
        }
        endPhase()
    }

    /// A contact of the account who was already in the CRM when the deal was created, else its first one;
    /// -1 when the account has no contacts.
    func contactAt(account a: Int, before time: Int64, _ r: inout DemoRandom) -> Int32 {
        let list = contacts(of: a)
        guard let first = list.first else { return -1 }
        var lo = list.startIndex, hi = list.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if contactCreated[Int(list[mid])] <= time { lo = mid + 1 } else { hi = mid }
        }
        let existing = lo - list.startIndex
        return existing > 0 ? list[list.startIndex + r.below(existing)] : first
    }

    /// A campaign that started in the four months before `day`, or -1.
    func recentCampaign(before day: Int64, _ r: inout DemoRandom) -> Int32 {
        let upTo = DemoBuilder.countAtMost(campaignStart, day)
        let from = DemoBuilder.countAtMost(campaignStart, day - 121)
        return upTo > from ? Int32(r.between(from, upTo - 1)) : -1
    }
}

/// One pipeline of the demo: its `pipeline` code and its stages as indexes into `DemoBuilder.stageCodes`.
struct DemoPipelineShape: Sendable {
    let code: Int64
    let openStages: [Int]
    let wonStage: Int
    let lostStage: Int

    /// Lost deals drop out early more often than late.
    var lostFrom: DemoWeights { DemoWeights((0..<openStages.count).map { demoPow(0.88, Double($0)) }) }
}

extension DemoBuilder {
    func isClosedStage(_ stage: Int) -> Bool {
        let shape = pipelineShapes[stagePipeline[stage]]
        return stage == shape.wonStage || stage == shape.lostStage
    }

    func isWonStage(_ stage: Int) -> Bool { pipelineShapes[stagePipeline[stage]].wonStage == stage }

    /// How far an open stage is through its pipeline, in `parts` equal parts (0 for a closed stage).
    func openProgress(_ stage: Int, parts: Int) -> Int {
        let open = pipelineShapes[stagePipeline[stage]].openStages
        return (open.firstIndex(of: stage) ?? 0) * parts / open.count
    }
}

/// How a deal's stage history is laid out; everything it needs, so that the writer thread can use it.
private struct DemoHistoryRules: Sendable {
    let shapes: [DemoPipelineShape]
    let stagePipeline: [Int]
    let now: Int64

    func isClosed(_ stage: Int) -> Bool {
        let shape = shapes[stagePipeline[stage]]
        return stage == shape.wonStage || stage == shape.lostStage
    }

    /// The stages a deal went through, as indexes into `stageCodes`: its pipeline's first stage, then
    /// forward, sometimes skipping a stage, ending at `stage`. Won deals close from the last open
    /// stages, lost ones from anywhere.
    func path(to stage: Int, in pipeline: Int, into path: inout [Int], _ r: inout DemoRandom) {
        let shape = shapes[pipeline]
        let openStages = shape.openStages
        let m = openStages.count
        let lastOpen: Int
        if stage == shape.wonStage {
            lastOpen = r.chance(0.75) || m < 2 ? m - 1 : m - 2
        } else if stage == shape.lostStage {
            lastOpen = shape.lostFrom.pick(&r)
        } else {
            lastOpen = openStages.firstIndex(of: stage) ?? 0
        }
        path.removeAll(keepingCapacity: true)
        path.append(openStages[0])
        if lastOpen > 0 {
            for j in 1..<lastOpen where r.chance(0.85) { path.append(openStages[j]) }
            path.append(openStages[lastOpen])
        }
        if isClosed(stage) { path.append(stage) }
    }

    /// Strictly increasing change times: the first at creation, a closed deal's last on its close date,
    /// the rest spread at random in between (open deals: up to now).
    func times(count: Int, created: Int64, close: Int64, closed: Bool, into times: inout [Int64],
               _ r: inout DemoRandom) {
        times.removeAll(keepingCapacity: true)
        times.append(created)
        let end = closed ? max(DemoBuilder.officeTime(close, &r), created + Int64(count) * 3_600) : now
        let between = closed ? count - 2 : count - 1
        if between > 0 {
            let lo = created + 60, hi = end - 600
            for _ in 0..<between { times.append(r.between(lo, max(lo, hi))) }
            times[1...].sort()
        }
        if closed && count > 1 { times.append(end) }
        for j in 1..<times.count where times[j] <= times[j - 1] { times[j] = times[j - 1] + 60 }
    }
}
