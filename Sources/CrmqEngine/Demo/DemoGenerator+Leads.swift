/// Leads: the top of the funnel. About a fifth are converted; most of those became one of the deals,
/// and then carry that deal's contact, company, source, campaign and owner, so attribution adds up.
extension DemoBuilder {
    private struct LeadPlan {
        var first: String
        var last: String
        var company: String
        var email: String?
        var source: UInt8
        var status: UInt8       // index into statusNames
        var score: Int64
        var owner: Int32
        var campaign: Int32
        var created: Int64
        var convertedAt: Int64  // nullInt unless converted
        var contact: Int32
        var opportunity: Int32
    }

    private static let statusNames = ["new", "working", "qualified", "unqualified", "converted"]

    /// Open leads' status (new, working, qualified, unqualified) by age: under 45 days, under 180, older.
    private static let statusByAge = [DemoWeights([50, 35, 8, 7] as [Int]), DemoWeights([6, 40, 24, 30] as [Int]),
                                      DemoWeights([1, 8, 10, 81] as [Int])]

    mutating func makeLeads() {
        let n = counts.leads
        beginPhase("leads", rows: n)
        var r = random(6)
        let horizon = (today - 730) * 86_400  // leads of the last two years
        var plans: [LeadPlan] = []
        plans.reserveCapacity(n)

        let converted = contactFirst.isEmpty ? 0 : Int(demoRound(Double(n) * 0.2))
        // Deals a lead can have become: recent enough, and with a contact for the lead to have become.
        var candidates: [Int32] = []
        for o in oppCreated.indices where oppContact[o] >= 0 && oppCreated[o] >= horizon + 5 * 86_400 {
            candidates.append(Int32(o))
        }
        let withDeal = min(candidates.count, Int(demoRound(Double(converted) * 0.9)))
        for k in 0..<withDeal {  // a partial shuffle picks distinct deals
            candidates.swapAt(k, k + r.below(candidates.count - k))
            let o = Int(candidates[k])
            let contact = oppContact[o]
            let convertedAt = oppCreated[o] - Int64(r.between(60, 7_200))
            let created = DemoBuilder.leadStart(before: convertedAt, horizon: horizon, maxDays: 120, &r)
            plans.append(LeadPlan(
                first: contactFirst[Int(contact)], last: contactLast[Int(contact)],
                company: accountName[Int(oppAccount[o])], email: contactEmail[Int(contact)],
                source: oppSource[o], status: 4, score: Int64(r.triangular(60, 100)), owner: oppOwner[o],
                campaign: oppCampaign[o], created: created, convertedAt: convertedAt,
                contact: contact, opportunity: Int32(o)))
        }
        let sourceWeights = DemoWeights([38, 6, 12, 7, 14, 13, 10] as [Int])
        for _ in withDeal..<converted {  // converted into a contact only, the deal not (yet) opened
            let contact = r.below(contactFirst.count)
            let a = Int(contactAccount[contact])
            let start = max(contactCreated[contact], horizon + 86_400)
            let convertedAt = start + Int64(r.unit() * Double(max(0, now - start)))
            let created = DemoBuilder.leadStart(before: convertedAt, horizon: horizon, maxDays: 90, &r)
            let team = a >= 0 ? DemoPlaces.countries[Int(accountCountry[a])].team : r.below(5)
            plans.append(LeadPlan(
                first: contactFirst[contact], last: contactLast[contact],
                company: a >= 0 ? accountName[a] : "", email: contactEmail[contact],
                source: UInt8(sourceWeights.pick(&r)), status: 4, score: Int64(r.triangular(55, 100)),
                owner: a >= 0 ? accountOwner[a] : salesRep(team: team, &r), campaign: -1,
                created: created, convertedAt: convertedAt, contact: Int32(contact),
                opportunity: -1))
        }
        // Companies that are not customers yet: several people from one company often show interest.
        let prospects = (0..<max(1, (n - plans.count) / 3)).map { _ in prospect(&r) }
        while plans.count < n {
            plans.append(openLead(horizon: horizon, sources: sourceWeights, prospects: prospects, &r))
        }

        let order = DemoBuilder.chronologicalOrder(plans.map(\.created))
        let statusCodes = DemoBuilder.statusNames.map { code("lead_status", $0) }
        leadCreated.reserveCapacity(n)
        leadEnd.reserveCapacity(n)
        leadOwner.reserveCapacity(n)
        leadName.reserveCapacity(n)
        leadCompany.reserveCapacity(n)
        for (pos, pi) in order.enumerated() {
            let p = plans[Int(pi)]
            leadCreated.append(p.created)
            leadEnd.append(p.convertedAt == nullInt ? .max : p.convertedAt)
            leadOwner.append(p.owner)
            leadName.append(p.first + " " + p.last)
            leadCompany.append(p.company.isEmpty ? p.first + " " + p.last : p.company)
            tick(pos)
        }
        let sourceCodes = sourceCodes
        write("leads", rows: n) { [plans] c in
            var row = [StoredValue](repeating: .null, count: 13)
            for (pos, pi) in order.enumerated() {
                let p = plans[Int(pi)]
                row[0] = .text(p.first)
                row[1] = .text(p.last)
                row[2] = .text(p.company.isEmpty ? nil : p.company)
                row[3] = .text(p.email)
                row[4] = .integer(sourceCodes[Int(p.source)])
                row[5] = .integer(statusCodes[Int(p.status)])
                row[6] = .integer(p.score)
                row[7] = .integer(Int64(p.owner) + 1)
                row[8] = DemoBuilder.ref(p.campaign)
                row[9] = .integer(p.created)
                row[10] = .integer(p.convertedAt)
                row[11] = DemoBuilder.ref(p.contact)
                row[12] = DemoBuilder.ref(p.opportunity)
                c.append(id: Int64(pos + 1), row)
            }
        }
        endPhase()
    }

    private struct DemoProspect {
        var company: String
        var domain: String
        var country: Int
        var city: Int
    }

    private func prospect(_ r: inout DemoRandom) -> DemoProspect {
        let countryIndex = DemoPlaces.countryWeights.pick(&r)
        let country = DemoPlaces.countries[countryIndex]
        let city = country.cityWeights.pick(&r)
        let style = companyStyle(country, city: city, &r)
        let base = companyBase(style: style, industry: DemoPlaces.industryWeights.pick(&r), country: country, city: city, &r)
        let domain = domainName(base, style: style, country: country, city: city, &r)
        return DemoProspect(company: legalName(base, country, &r), domain: domain, country: countryIndex, city: city)
    }

    /// When a lead that was converted at `convertedAt` came in: up to `maxDays` earlier, in office hours,
    /// but within the two years leads go back.
    static func leadStart(before convertedAt: Int64, horizon: Int64, maxDays: Int, _ r: inout DemoRandom) -> Int64 {
        let room = Int((convertedAt - horizon) / 86_400)
        let t = officeTime(DemoBuilder.day(of: convertedAt) - Int64(r.between(1, max(1, min(maxDays, room)))), &r)
        return min(max(t, horizon), convertedAt - 3_600)
    }

    /// A lead not converted (yet): its status follows its age, since new leads get worked on or
    /// disqualified within weeks; its score follows its status.
    private func openLead(horizon: Int64, sources: DemoWeights, prospects: [DemoProspect],
                          _ r: inout DemoRandom) -> LeadPlan {
        // Some leads come from existing customers (upsell interest), most from prospects.
        var from = r.pick(prospects)
        if !accountName.isEmpty, r.chance(0.2) {
            let a = accountWeights.pick(&r)
            from = DemoProspect(company: accountName[a], domain: accountDomain[a], country: Int(accountCountry[a]),
                                city: Int(accountCity[a]))
        }
        let (company, domain, city) = (from.company, from.domain, from.city)
        let country = DemoPlaces.countries[from.country]
        let culture = country.peopleMix(city: city).pick(&r)
        let pool = DemoPeople.pools[culture.rawValue]
        let name = DemoPeople.name(pool, culture, &r)
        let email: String? = r.chance(0.04) ? nil : personEmail(pool, name, workDomain: domain, workShare: 0.7, &r)

        let source = sources.pick(&r)
        var campaign: Int32 = -1
        var created: Int64 = 0
        let fromMarketing = source == DemoSource.campaign.rawValue || source == DemoSource.ad.rawValue
            || source == DemoSource.event.rawValue
        if r.chance(fromMarketing ? 0.85 : 0.08), let (k, day) = campaignLead(source: source, horizon: horizon, &r) {
            campaign = k
            created = DemoBuilder.officeTime(day, &r)
        } else {
            let u = r.unit()
            created = now - 3_600 - Int64((0.4 * u + 0.6 * u * u) * 729 * 86_400)
        }
        created = max(horizon, past(created, &r))

        let age = (now - created) / 86_400
        let status = DemoBuilder.statusByAge[age < 45 ? 0 : age < 180 ? 1 : 2].pick(&r)
        let score: Double = switch status {
        case 0: r.triangular(10, 95)
        case 1: r.triangular(20, 98)
        case 2: r.triangular(55, 100)
        default: r.triangular(0, 45)
        }
        return LeadPlan(first: pool.first[name.first], last: pool.last[name.last], company: company, email: email,
                        source: UInt8(source), status: UInt8(status), score: Int64(score),
                        owner: salesRep(team: country.team, &r), campaign: campaign, created: created,
                        convertedAt: nullInt, contact: -1, opportunity: -1)
    }

    /// A campaign of a channel that fits the source and ran in the last two years, and a day on which it
    /// brought the lead in (while it ran or in the month after).
    private func campaignLead(source: Int, horizon: Int64, _ r: inout DemoRandom) -> (Int32, Int64)? {
        // channel indexes: email, social, ads, event, webinar, partner
        let fitting: [Int] = switch DemoSource(rawValue: source)! {
        case .event: [3, 4]
        case .ad: [1, 2]
        case .campaign: [0, 1, 4]
        case .partner: [5]
        default: [0, 1, 2, 3, 4, 5]
        }
        let horizonDay = horizon / 86_400
        for _ in 0..<12 {
            let k = r.below(campaignStart.count)
            guard fitting.contains(campaignChannel[k]) else { continue }
            let from = max(campaignStart[k], horizonDay), to = min(campaignEnd[k] + 30, today - 1)
            if from <= to { return (Int32(k), r.between(from, to)) }
        }
        return nil
    }
}
