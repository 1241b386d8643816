/// What the demo data set looks like: its size, its randomness and the day it is generated around.
public struct DemoOptions: Sendable {
    /// 1.0 = full size (a million opportunities); 0.01, the default, is ten thousand. At most 100.
    public var scale: Double
    public var seed: UInt64
    /// The day number (`Day.from(year:month:day:)`) the data treats as today: closed deals lie before it,
    /// open deals mostly after it.
    public var today: Int64

    public init(scale: Double = 0.01, seed: UInt64 = 1, today: Int64) {
        self.scale = scale
        self.seed = seed
        self.today = today
    }
}

/// Builds the built-in demo CRM: users, accounts, contacts, leads, opportunities with their stage
/// histories, activities, campaigns and cases, all referring to each other consistently.
///
/// The same options always give the same data, byte for byte: all randomness comes from `DemoRandom`,
/// and nothing iterates a hashed collection.
public enum DemoGenerator {
    /// `progress(phase, fractionDone)` reports the fraction of the whole generation done so far (0...1,
    /// never decreasing): about a hundred times while each entity is planned, once as each is written
    /// (phases "writing accounts", ...), and finally `("done", 1)`. It is called on the calling thread.
    public static func generate(_ options: DemoOptions, progress: ((String, Double) -> Void)? = nil) -> Database {
        var b = DemoBuilder(options, progress: progress)
        b.makeUsers()
        b.makeCampaigns()
        b.makeAccounts()
        b.makeContacts()
        b.makeOpportunities()
        b.makeLeads()
        b.makeCases()
        b.makeActivities()
        b.finishWriting()
        progress?("done", 1)
        return b.db
    }
}

/// Row counts for a scale.
struct DemoCounts: Sendable {
    let users: Int, accounts: Int, contacts: Int, leads: Int, opportunities: Int, activities: Int
    let campaigns: Int, cases: Int

    init(scale: Double) {
        precondition(scale.isFinite && scale >= 0 && scale <= 100, "scale must be between 0 and 100")
        func n(_ full: Double, atLeast m: Int = 1) -> Int { max(m, Int(demoRound(full * scale))) }
        users = DemoOrg.users.count
        accounts = n(100_000)
        contacts = n(500_000)
        leads = n(300_000)
        opportunities = n(1_000_000)
        activities = n(2_000_000)
        campaigns = n(400, atLeast: 12)
        cases = n(150_000, atLeast: 20)
    }
}

/// The lead sources in the order the generator's weight tables use.
enum DemoSource: Int, CaseIterable {
    case webForm, referral, event, partner, coldCall, ad, campaign

    var name: String {
        ["web form", "referral", "event", "partner", "cold call", "ad", "campaign"][rawValue]
    }

    /// How much more (or less) often a deal from this source is won than the average one.
    var winFactor: Double { [0.9, 1.35, 1.0, 1.15, 0.6, 0.85, 0.95][rawValue] }
}

/// The generation state: the database under construction plus, per entity, the few facts later
/// entities need (who owns an account, when a deal was created, ...), kept in plain arrays by row.
struct DemoBuilder {
    let seed: UInt64
    let counts: DemoCounts
    let today: Int64
    /// Noon on `today`: everything that has happened happened before it.
    let now: Int64
    var db: Database
    let writer = DemoWriter()

    private let progressSink: ((String, Double) -> Void)?
    private let progressTotal: Double
    private var progressBase = 0.0
    private var phaseName = ""
    private var phaseRows = 1
    private var phaseStride = 1

    // Enum codes, looked up once by name so that the schema's value order is the only truth.
    /// Every pipeline's stages, pipeline by pipeline: a deal's stage is an index into these lists.
    let stageCodes: [Int64]
    let stageProbability: [Int64]    // hundredths, by index into stageCodes
    /// The demo's pipelines (the standard one first), each as indexes into stageCodes.
    let pipelineShapes: [DemoPipelineShape]
    /// The pipeline (index into pipelineShapes) of each entry of stageCodes.
    let stagePipeline: [Int]
    let sourceCodes: [Int64]         // by DemoSource
    let activityTypeCodes: [Int64]   // call, email, meeting, task

    // Users: index = id - 1.
    var salesByTeam: [[Int32]] = []
    var managerOfTeam: [Int32] = []
    var userTeam: [Int] = []
    /// How good each rep is at closing, relative to the average: "by rep" reports then differ.
    var userSkill: [Double] = []

    // Campaigns, ordered by start date.
    var campaignStart: [Int64] = []
    var campaignEnd: [Int64] = []
    var campaignChannel: [Int] = []

    // Accounts, ordered by created_at.
    var accountName: [String] = []
    var accountDomain: [String] = []
    var accountCountry: [UInt8] = []
    var accountCity: [UInt8] = []
    var accountOwner: [Int32] = []
    var accountCreated: [Int64] = []
    var accountCustomerSince: [Int64] = []
    var accountEmployees: [Int64] = []
    var accountWeights = DemoWeights([1])
    /// Each account's contacts, oldest first: `accountContacts[accountContactStart[a] ..< accountContactStart[a + 1]]`.
    var accountContactStart: [Int32] = []
    var accountContacts: [Int32] = []

    // Contacts, ordered by created_at.
    var contactAccount: [Int32] = []
    var contactCreated: [Int64] = []
    var contactFirst: [String] = []
    var contactLast: [String] = []
    var contactEmail: [String?] = []

    // Opportunities, ordered by created_at.
    var oppAccount: [Int32] = []
    var oppContact: [Int32] = []
    var oppOwner: [Int32] = []
    var oppStage: [UInt8] = []       // index into stageCodes
    var oppClose: [Int64] = []
    var oppCreated: [Int64] = []
    var oppSource: [UInt8] = []
    var oppCampaign: [Int32] = []
    var oppProduct: [UInt8] = []

    // Leads, ordered by created_at.
    var leadCreated: [Int64] = []
    /// When work on the lead stopped: its conversion, or never (the far future).
    var leadEnd: [Int64] = []
    var leadOwner: [Int32] = []
    var leadName: [String] = []
    var leadCompany: [String] = []

    init(_ options: DemoOptions, progress: ((String, Double) -> Void)?) {
        seed = options.seed
        counts = DemoCounts(scale: options.scale)
        today = options.today
        now = options.today * 86_400 + 12 * 3_600
        var schema = Schema.standard
        schema.setPipelines([.standard, .enterprise])
        db = Database(schema: schema)
        progressSink = progress
        // Planning and writing each count once per row (stage changes are not known ahead).
        progressTotal = 2 * Double(counts.users + counts.campaigns + counts.accounts + counts.contacts
            + counts.opportunities + counts.leads + counts.activities + counts.cases)

        func code(_ e: String, _ v: String) -> Int64 {
            guard let i = schema.enums[e]?.firstIndex(of: v) else { preconditionFailure("enum \(e) lacks \(v)") }
            return Int64(i)
        }
        var codes: [Int64] = [], probabilities: [Int64] = [], shapes: [DemoPipelineShape] = [], owners: [Int] = []
        for (n, pipeline) in schema.pipelines.enumerated() {
            let first = codes.count
            codes += pipeline.stages.map { schema.stageCode($0.name)! }
            probabilities += pipeline.stages.map { Int64($0.probability) * 100 }
            owners += pipeline.stages.map { _ in n }
            let open = pipeline.stages.indices.filter { !pipeline.stages[$0].isClosed }.map { $0 + first }
            guard let won = pipeline.stages.firstIndex(where: { $0.isWon }),
                  let lost = pipeline.stages.firstIndex(where: { $0.isLost }),
                  !open.isEmpty else { preconditionFailure("a pipeline needs open, won and lost stages") }
            shapes.append(DemoPipelineShape(code: code("pipeline", pipeline.name), openStages: open,
                                            wonStage: won + first, lostStage: lost + first))
        }
        stageCodes = codes
        stageProbability = probabilities
        pipelineShapes = shapes
        stagePipeline = owners
        sourceCodes = DemoSource.allCases.map { code("lead_source", $0.name) }
        activityTypeCodes = ["call", "email", "meeting", "task"].map { code("activity_type", $0) }
    }

    func code(_ enumName: String, _ value: String) -> Int64 {
        guard let i = db.schema.enums[enumName]?.firstIndex(of: value) else {
            preconditionFailure("enum \(enumName) lacks \(value)")
        }
        return Int64(i)
    }

    /// A fresh random stream for one phase.
    func random(_ stream: UInt64) -> DemoRandom { DemoRandom(seed: seed, stream: stream) }

    // MARK: progress

    mutating func beginPhase(_ name: String, rows: Int) {
        phaseName = name
        phaseRows = max(rows, 1)
        phaseStride = max(1, rows / 100)
        progressSink?(name, min(1, progressBase / progressTotal))
    }

    /// Cheap enough to call per row: it reports only every hundredth of the phase.
    @inline(__always)
    mutating func tick(_ row: Int) {
        guard progressSink != nil, row % phaseStride == 0, row > 0 else { return }
        progressSink?(phaseName, min(1, (progressBase + Double(row)) / progressTotal))
    }

    mutating func endPhase() {
        progressBase += Double(phaseRows)
        progressSink?(phaseName, min(1, progressBase / progressTotal))
    }

    /// Writes `rows` rows of `entity` on the writer's thread; `fill` gets the collection, reserved,
    /// and must only read what it captured.
    func write(_ entity: String, rows: Int, reserve: Int? = nil,
               _ fill: @escaping @Sendable (inout Collection) -> Void) {
        let def = db.schema.entity(named: entity)!
        let lane = entity == "contacts" || entity == "stage_changes" || entity == "activities" ? 1 : 0
        writer.submit(entity, rows: rows, lane: lane) {
            var c = Collection(entity: def)
            c.reserve(reserve ?? rows)
            fill(&c)
            return c
        }
    }

    /// Waits for the writer and puts its collections into the database.
    mutating func finishWriting() {
        for (name, rows, collection) in writer.results() {
            db[name] = collection()
            progressBase += Double(rows)
            progressSink?("writing " + name, min(1, progressBase / progressTotal))
        }
    }

    // MARK: shared helpers

    /// A moment in office hours (07:30 to 18:00, whole minutes) on `day`.
    static func officeTime(_ day: Int64, _ r: inout DemoRandom) -> Int64 {
        day * 86_400 + 27_000 + Int64(r.below(630)) * 60
    }

    /// A meeting-like moment on `day`: 08:00 to 17:45 on the quarter hour.
    static func quarterHour(_ day: Int64, _ r: inout DemoRandom) -> Int64 {
        day * 86_400 + 28_800 + Int64(r.below(40)) * 900
    }

    /// `t` if it lies in the past, else a moment in the three hours before now: what has already
    /// happened today happened this morning, not all at one instant.
    func past(_ t: Int64, _ r: inout DemoRandom) -> Int64 {
        t < now - 60 ? t : now - 60 - Int64(r.below(3 * 3_600))
    }

    static func day(of seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// The last day of the month `day` falls in: where sales people like to put close dates.
    static func monthEnd(_ day: Int64) -> Int64 {
        let (y, m, _) = Day.civil(day)
        return Day.from(year: y, month: m, day: Day.daysInMonth(year: y, month: m))
    }

    /// The permutation that orders `keys` ascending; ties keep their generation order, so ids handed
    /// out along it rise with creation time, as in a real CRM.
    static func chronologicalOrder(_ keys: [Int64]) -> [Int32] {
        guard let lo = keys.min(), let hi = keys.max() else { return [] }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        if !overflow, span < 1 << 32, keys.count < 1 << 32 {
            // Key and position packed in one integer sort several times faster than a closure compare.
            var packed = keys.indices.map { UInt64(keys[$0] - lo) << 32 | UInt64($0) }
            packed.sort()
            return packed.map { Int32(truncatingIfNeeded: $0) }
        }
        var order = (0..<Int32(keys.count)).map { $0 }
        order.sort { a, b in
            let ka = keys[Int(a)], kb = keys[Int(b)]
            return ka != kb ? ka < kb : a < b
        }
        return order
    }

    /// Number of leading entries of an ascending array that are `<= limit`.
    static func countAtMost(_ sorted: [Int64], _ limit: Int64) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= limit { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    static func ref(_ index: Int32) -> StoredValue { index < 0 ? .null : .integer(Int64(index) + 1) }

    func collection(_ name: String) -> Collection { db[name] }

    // MARK: users

    mutating func makeUsers() {
        let users = DemoOrg.users
        beginPhase("users", rows: users.count)
        var r = random(1)
        var c = collection("users")
        c.reserve(users.count)
        salesByTeam = Array(repeating: [], count: DemoOrg.teams.count)
        managerOfTeam = Array(repeating: -1, count: DemoOrg.teams.count)
        for (i, u) in users.enumerated() {
            let email = demoSlug(u.first) + "." + demoSlug(u.last) + "@" + DemoOrg.domain
            c.append(id: Int64(i + 1), [.text(u.first + " " + u.last), .text(email),
                                        .integer(code("user_role", u.role)), .text(DemoOrg.teams[u.team])])
            if u.role == "sales" { salesByTeam[u.team].append(Int32(i)) }
            if u.role == "manager" { managerOfTeam[u.team] = Int32(i) }
            userTeam.append(u.team)
            userSkill.append(0.75 + 0.5 * r.unit())
        }
        db["users"] = c
        endPhase()
    }

    /// A sales rep of the team, or any sales rep when the team has none.
    func salesRep(team: Int, _ r: inout DemoRandom) -> Int32 {
        if team < salesByTeam.count, !salesByTeam[team].isEmpty { return r.pick(salesByTeam[team]) }
        let all = salesByTeam.flatMap { $0 }
        return all.isEmpty ? 0 : r.pick(all)
    }

    // MARK: campaigns

    mutating func makeCampaigns() {
        let n = counts.campaigns
        beginPhase("campaigns", rows: n)
        var r = random(2)
        var c = collection("campaigns")
        c.reserve(n)
        let channels = ["email", "social", "ads", "event", "webinar", "partner"]
        let channelCodes = channels.map { code("channel", $0) }
        let channelWeights = DemoWeights([25, 12, 17, 18, 18, 10] as [Int])
        // Spread evenly over about three years up to two months ahead, so even the twelve campaigns of a
        // tiny data set cover the whole period; the spread also makes ids rise with start dates.
        let first = today - 1_125, span = 1_185.0
        var used = Set<String>()
        for i in 0..<n {
            let start = first + Int64((Double(i) + r.unit()) * span / Double(n))
            let ch = channelWeights.pick(&r)
            var name = campaignName(channel: channels[ch], start: start, &r)
            if used.contains(name) { name += " – " + DemoOrg.teams[r.below(5)] }
            var k = 2
            let base = name
            while used.contains(name) {
                name = base + " (\(k))"
                k += 1
            }
            used.insert(name)
            let (days, budgetLo, budgetHi): (Int, Int, Int) = switch channels[ch] {
            case "email": (r.between(0, 13), 5, 50)
            case "social": (r.between(14, 60), 10, 150)
            case "ads": (r.between(14, 90), 20, 600)
            case "event": (r.between(0, 2), 50, 800)
            case "webinar": (name.contains("Series") ? r.between(21, 60) : 0, 3, 40)
            default: (r.between(30, 120), 20, 250)
            }
            let end = start + Int64(days)
            let budget = Int64(r.between(budgetLo, budgetHi)) * 100 * 100
            campaignStart.append(start)
            campaignEnd.append(end)
            campaignChannel.append(ch)
            c.append(id: Int64(i + 1), [.text(name), .integer(channelCodes[ch]), .integer(start), .integer(end),
                                        .integer(budget)])
            tick(i)
        }
        db["campaigns"] = c
        endPhase()
    }

    private func campaignName(channel: String, start: Int64, _ r: inout DemoRandom) -> String {
        let (y, m, _) = Day.civil(start)
        let year = String(y), q = "Q\((m - 1) / 3 + 1)", season = DemoPhrases.season(month: m)
        let region = DemoOrg.teams[r.below(5)]
        let product = r.pick(DemoPhrases.products).name
        let topic = r.pick(DemoPhrases.webinarTopics)
        switch channel {
        case "email":
            if m == 11, r.chance(0.5) { return "Black Friday Offer " + year }
            return r.pick([DemoPhrases.months[m - 1] + " Newsletter " + year, product + " Launch Email " + year,
                           "Win-back Campaign " + q + " " + year, "Renewal Reminder " + q + " " + year])
        case "social":
            return r.pick(["LinkedIn Thought Leadership " + q + " " + year, "Customer Stories " + season + " " + year,
                           topic + " Social Campaign " + year])
        case "ads":
            return r.pick(["Google Ads – " + region + " " + q + " " + year, "LinkedIn Ads – " + product + " " + q
                           + " " + year, "Retargeting Ads " + season + " " + year])
        case "event":
            let country = DemoPlaces.countries[DemoPlaces.countryWeights.pick(&r)]
            return r.pick(DemoPhrases.eventNames) + " " + country.cities[country.cityWeights.pick(&r)] + " " + year
        case "webinar":
            return r.chance(0.4) ? season + " Webinar Series " + year : "Webinar: " + topic + " (" + year + ")"
        default:
            return r.pick(["Partner Co-marketing – " + region + " " + year, "Reseller Incentive " + q + " " + year,
                           "Partner Roadshow " + region + " " + year])
        }
    }
}
