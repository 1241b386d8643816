/// Activities (calls, emails, meetings, tasks) and support cases.
extension DemoBuilder {
    fileprivate struct ActivityPlan {
        var type: UInt8
        /// 0...4 for deals (early, middle, late, won, lost), 5 for leads, 6 for accounts.
        var group: UInt8
        var subject: UInt8
        var done: Bool
        var owner: Int32
        var account: Int32
        var contact: Int32
        var opportunity: Int32
        var lead: Int32
        var due: Int64
        var created: Int64
    }

    fileprivate static let leadGroup: UInt8 = 5, accountGroup: UInt8 = 6

    mutating func makeActivities() {
        let n = counts.activities
        beginPhase("activities", rows: n)
        var r = random(7)
        let typeWeights = DemoWeights([30, 35, 15, 20] as [Int])
        let windowStart = (today - 180) * 86_400, windowEnd = (today + 61) * 86_400 - 1
        // Reps work mostly on open deals, and on deals closed recently enough to fall in the window.
        var openDeals: [Int32] = [], recentClosed: [Int32] = []
        for o in oppStage.indices {
            let s = Int(oppStage[o])
            if !isClosedStage(s) {
                openDeals.append(Int32(o))
            } else if oppClose[o] >= today - 180 {
                recentClosed.append(Int32(o))
            }
        }

        var plans: [ActivityPlan] = []
        plans.reserveCapacity(n)
        for _ in 0..<n {
            let type = typeWeights.pick(&r)
            var p = ActivityPlan(type: UInt8(type), group: DemoBuilder.accountGroup, subject: 0, done: false,
                                 owner: 0, account: -1, contact: -1, opportunity: -1, lead: -1, due: 0, created: 0)
            var parentCreated: Int64 = 0
            let u = r.unit()
            var placed = false
            if u < 0.70, !openDeals.isEmpty || !recentClosed.isEmpty {
                let useOpen = !openDeals.isEmpty && (recentClosed.isEmpty || r.chance(0.75))
                let o = Int(useOpen ? r.pick(openDeals) : r.pick(recentClosed))
                let stage = Int(oppStage[o])
                parentCreated = oppCreated[o]
                let lo = max(windowStart, parentCreated + 1_800)
                if useOpen {
                    // Work piles up in the weeks before the expected close.
                    var day = oppClose[o] - Int64(45 * r.skewedUnit())
                    if day > today + 60 { day = today + Int64(r.between(-20, 60)) }
                    p.due = DemoBuilder.workMoment(day: day, type: type, from: lo, to: windowEnd, &r)
                    p.group = UInt8(openProgress(stage, parts: 3))
                } else {
                    let day = r.between(DemoBuilder.day(of: lo), max(DemoBuilder.day(of: lo), oppClose[o]))
                    p.due = DemoBuilder.workMoment(day: day, type: type, from: lo, to: (oppClose[o] + 1) * 86_400 - 1, &r)
                    p.group = isWonStage(stage) ? 3 : 4
                }
                p.owner = r.chance(0.92) ? oppOwner[o] : salesRep(team: userTeam[Int(oppOwner[o])], &r)
                p.account = oppAccount[o]
                p.contact = oppContact[o]
                p.opportunity = Int32(o)
                placed = true
            } else if u < 0.85, !leadCreated.isEmpty {
                for _ in 0..<4 {
                    let l = r.below(leadCreated.count)
                    let lo = max(windowStart, leadCreated[l] + 600), hi = min(windowEnd, leadEnd[l])
                    guard lo < hi else { continue }
                    parentCreated = leadCreated[l]
                    let day = r.between(DemoBuilder.day(of: lo), DemoBuilder.day(of: hi))
                    p.due = DemoBuilder.workMoment(day: day, type: type, from: lo, to: hi, &r)
                    p.group = DemoBuilder.leadGroup
                    p.owner = leadOwner[l]
                    p.lead = Int32(l)
                    placed = true
                    break
                }
            }
            if !placed {
                let a = accountWeights.pick(&r)
                parentCreated = accountCreated[a]
                let lo = max(windowStart, parentCreated + 600)
                let day = r.between(DemoBuilder.day(of: lo), DemoBuilder.day(of: windowEnd))
                p.due = DemoBuilder.workMoment(day: day, type: type, from: lo, to: windowEnd, &r)
                p.owner = accountOwner[a]
                p.account = Int32(a)
                let list = contacts(of: a)
                if !list.isEmpty, r.chance(0.6) { p.contact = list[list.startIndex + r.below(list.count)] }
            }
            p.subject = UInt8(r.below(DemoSubjectText.subjects(group: Int(p.group), type: type).count))
            p.done = p.due < now && r.chance(0.93)
            // Logged up to two weeks ahead; what is due later was planned some time in the last weeks.
            var created = p.due - 600 - Int64(r.unit() * 14 * 86_400)
            if created >= now - 60 { created = now - 60 - Int64(r.unit() * 21 * 86_400) }
            created = max(created, parentCreated)
            p.created = created < p.due ? created : p.due - 600
            plans.append(p)
        }

        let order = DemoBuilder.chronologicalOrder(plans.map(\.created))
        let text = DemoSubjectText(accountName: accountName, contactFirst: contactFirst, contactLast: contactLast,
                                   leadName: leadName, leadCompany: leadCompany, oppProduct: oppProduct)
        let typeCodes = activityTypeCodes
        // The subjects are spelled out on the other lane, a chunk ahead of the rows that need them.
        let subjects = DemoPipe<String>(total: n, chunkSize: 1 << 16)
        writer.run(lane: 0) { [plans] in
            for k in 0..<subjects.chunks {
                let range = k * subjects.chunkSize..<min(n, (k + 1) * subjects.chunkSize)
                subjects.put(k, range.map { text.subject(plans[Int(order[$0])]) })
            }
        }
        write("activities", rows: n) { [plans] c in
            var row = [StoredValue](repeating: .null, count: 10)
            var chunk: [String] = []
            for (pos, pi) in order.enumerated() {
                let p = plans[Int(pi)]
                if pos % subjects.chunkSize == 0 { chunk = subjects.take(pos / subjects.chunkSize) }
                row[0] = .integer(typeCodes[Int(p.type)])
                row[1] = .text(chunk[pos % subjects.chunkSize])
                row[2] = .integer(Int64(p.owner) + 1)
                row[3] = DemoBuilder.ref(p.account)
                row[4] = DemoBuilder.ref(p.contact)
                row[5] = DemoBuilder.ref(p.opportunity)
                row[6] = DemoBuilder.ref(p.lead)
                row[7] = .integer(p.due)
                row[8] = .integer(p.done ? 1 : 0)
                row[9] = .integer(p.created)
                c.append(id: Int64(pos + 1), row)
            }
        }
        endPhase()
    }

    /// A moment on a working day near `day` (weekends move to Friday or Monday), in office hours,
    /// meetings and calls on the quarter hour; kept within `from...to`.
    static func workMoment(day: Int64, type: Int, from lo: Int64, to hi: Int64, _ r: inout DemoRandom) -> Int64 {
        var d = day
        switch Day.weekday(d) {
        case 5: d -= 1
        case 6: d += 1
        default: break
        }
        let t = type == 0 || type == 2 ? quarterHour(d, &r) : officeTime(d, &r)
        return min(max(t, lo), hi)
    }

    // MARK: cases

    mutating func makeCases() {
        let n = counts.cases
        beginPhase("cases", rows: n)
        var r = random(8)
        let statusCodes = ["new", "open", "pending", "closed"].map { code("case_status", $0) }
        let priorityCodes = ["low", "medium", "high", "urgent"].map { code("case_priority", $0) }
        let priorityWeights = DemoWeights([30, 45, 20, 5] as [Int])
        // new, open, pending, closed: fresh cases are still being handled, old ones are closed.
        let statusByAge = [DemoWeights([50, 35, 10, 5] as [Int]), DemoWeights([5, 30, 25, 40] as [Int]),
                           DemoWeights([1, 3, 4, 92] as [Int])]

        var account = [Int32](), contact = [Int32](), status = [UInt8](), priority = [UInt8]()
        var opened = [Int64](), closed = [Int64](), subject = [UInt8]()
        for _ in 0..<n {
            let a = accountWeights.pick(&r)
            let u = r.unit()
            // Customers write in during their working day, 06:00 to 20:00.
            let day = today - Int64((0.3 * u + 0.7 * u * u) * 1_095)
            var at = day * 86_400 + 21_600 + Int64(r.below(50_400))
            at = min(max(past(at, &r), accountCreated[a] + 600), now)
            let ageDays = (now - at) / 86_400
            var s = statusByAge[ageDays < 3 ? 0 : ageDays < 30 ? 1 : 2].pick(&r)
            var closedAt = nullInt
            if s == 3 {
                let seconds = min(60 * 86_400, max(900, r.logNormal(median: 20 * 3_600, sigma: 1.3)))
                closedAt = at + Int64(seconds)
                if closedAt > now {
                    s = 2
                    closedAt = nullInt
                }
            }
            account.append(Int32(a))
            contact.append(r.chance(0.8) ? contactAt(account: a, before: at, &r) : -1)
            status.append(UInt8(s))
            priority.append(UInt8(priorityWeights.pick(&r)))
            opened.append(at)
            closed.append(closedAt)
            subject.append(UInt8(r.below(DemoPhrases.caseSubjects.count)))
        }

        let order = DemoBuilder.chronologicalOrder(opened)
        write("cases", rows: n) { [account, contact, status, priority, opened, closed, subject] c in
            var row = [StoredValue](repeating: .null, count: 7)
            for (pos, i) in order.map(Int.init).enumerated() {
                row[0] = .text(DemoPhrases.caseSubjects[Int(subject[i])])
                row[1] = .integer(Int64(account[i]) + 1)
                row[2] = DemoBuilder.ref(contact[i])
                row[3] = .integer(statusCodes[Int(status[i])])
                row[4] = .integer(priorityCodes[Int(priority[i])])
                row[5] = .integer(opened[i])
                row[6] = .integer(closed[i])
                c.append(id: Int64(pos + 1), row)
            }
        }
        endPhase()
    }
}

/// Turns an activity's subject template into text; holds copies of the names it needs, so that the
/// writer thread can use it.
private struct DemoSubjectText: Sendable {
    let accountName: [String]
    let contactFirst: [String]
    let contactLast: [String]
    let leadName: [String]
    let leadCompany: [String]
    let oppProduct: [UInt8]

    static func subjects(group: Int, type: Int) -> [DemoSubject] {
        switch UInt8(group) {
        case DemoBuilder.leadGroup: DemoPhrases.leadSubjects[type]
        case DemoBuilder.accountGroup: DemoPhrases.accountSubjects[type]
        default: DemoPhrases.dealSubjects[type][group]
        }
    }

    /// Fills the subject's one slot; a missing contact is stood in for by the company.
    func subject(_ p: DemoBuilder.ActivityPlan) -> String {
        let s = DemoSubjectText.subjects(group: Int(p.group), type: Int(p.type))[Int(p.subject)]
        let company = p.account >= 0 ? accountName[Int(p.account)] : p.lead >= 0 ? leadCompany[Int(p.lead)] : ""
        let text: String = switch s.slot {
        case .none: ""
        case .contact: p.contact >= 0 ? contactFirst[Int(p.contact)] + " " + contactLast[Int(p.contact)] : company
        case .contactFirst: p.contact >= 0 ? contactFirst[Int(p.contact)] : company
        case .account: company
        case .product: p.opportunity >= 0 ? DemoPhrases.products[Int(oppProduct[Int(p.opportunity)])].name : "CRM"
        case .lead: p.lead >= 0 ? leadName[Int(p.lead)] : company
        case .company: company
        }
        return s.before + text + s.after
    }
}
