import Testing
@testable import CrmqEngine

/// Every plan the planner picks (indexes, reverse-index pushdown, top-k, index-order walks) must
/// return exactly what a plain scan returns. Random filters over many field types, dot paths,
/// `and`/`or`/`not`, ranges and nulls, on the demo dataset with its indexes.
@Suite struct PlannerPropertyTests {
    static let today = Day.parse("2026-06-15")!
    static let db: Database = {
        var db = DemoGenerator.generate(DemoOptions(scale: 0.002, seed: 7, today: today))
        db.buildIndexes()
        return db
    }()

    /// Runs a query with a planner limited to `passes`.
    static func run(_ text: String, passes: Set<Planner.Pass>) throws -> [[String]] {
        var parser = Parser(SourceText(name: "q", text: text))
        guard let statement = try parser.nextStatement() else { return [] }
        let planner = Planner(db, passes: passes)
        switch try Binder(schema: db.schema, today: today).bind(statement) {
        case .find(let q): return try FindExecutor(db: db).run(planner.plan(q)).plainRows
        case .aggregate(let q): return try AggregateExecutor(db: db).run(planner.plan(q)).plainRows
        default: return []
        }
    }

    @Test func indexedPlansAgreeWithScans() throws {
        var gen = FilterGenerator(db: Self.db, seed: 20261123)
        var usedIndex = 0, nonTrivial = 0
        for i in 0..<600 {
            let query = gen.query(i)
            let planned = try Self.run(query, passes: Set(Planner.Pass.allCases))
            let scanned = try Self.run(query, passes: [])
            #expect(planned == scanned, "plan and scan disagree on: \(query)")
            if !planned.isEmpty { nonTrivial += 1 }
            if case .find(let q)? = try? Binder(schema: Self.db.schema, today: Self.today)
                .bind(Parser.parseAll(SourceText(name: "q", text: query))[0]),
               case .scan = Planner(Self.db).plan(q).filter.access {} else { usedIndex += 1 }
        }
        // The test only means something if plans really differ from scans and answers are not empty.
        #expect(usedIndex > 200, "only \(usedIndex) queries used an index")
        #expect(nonTrivial > 300, "only \(nonTrivial) queries returned rows")
    }

    /// Each pass alone must also agree with the scan (a pass must not rely on another to be right).
    @Test(arguments: Planner.Pass.allCases) func eachPassAlone(_ pass: Planner.Pass) throws {
        var gen = FilterGenerator(db: Self.db, seed: 77 + UInt64(pass.rawValue.count))
        for i in 0..<150 {
            let query = gen.query(i)
            let passes: Set<Planner.Pass> = pass == .pushdown || pass == .topK ? [pass, .indexes] : [pass]
            #expect(try Self.run(query, passes: passes) == Self.run(query, passes: []), "\(pass) disagrees on: \(query)")
        }
    }
}

/// Random crmq queries built from values that occur in the data.
struct FilterGenerator {
    let db: Database
    var rng: DiffRandom

    init(db: Database, seed: UInt64) {
        self.db = db
        self.rng = DiffRandom(seed: seed)
    }

    mutating func int(_ n: Int) -> Int { rng.int(n) }
    mutating func chance(_ p: Double) -> Bool { rng.chance(p) }
    mutating func pick<T>(_ xs: [T]) -> T { rng.pick(xs) }

    /// Fields to filter on, per entity: (path, entity that holds the final field, field name).
    static let fields: [String: [(String, String, String)]] = [
        "opportunities": [("stage", "opportunities", "stage"), ("value", "opportunities", "value"),
                          ("close_date", "opportunities", "close_date"), ("created_at", "opportunities", "created_at"),
                          ("lead_source", "opportunities", "lead_source"), ("owner", "opportunities", "owner"),
                          ("type", "opportunities", "type"), ("product", "opportunities", "product"),
                          ("probability", "opportunities", "probability"), ("campaign", "opportunities", "campaign"),
                          ("account.industry", "accounts", "industry"), ("account.country", "accounts", "country"),
                          ("account.employees", "accounts", "employees"), ("account.owner.team", "users", "team"),
                          ("contact.last_name", "contacts", "last_name"), ("owner.name", "users", "name"), ("id", "opportunities", "id")],
        "contacts": [("last_name", "contacts", "last_name"), ("first_name", "contacts", "first_name"),
                     ("email", "contacts", "email"), ("title", "contacts", "title"), ("role", "contacts", "role"),
                     ("account", "contacts", "account"), ("account.industry", "accounts", "industry"),
                     ("account.name", "accounts", "name"), ("country", "contacts", "country"), ("created_at", "contacts", "created_at")],
        "activities": [("type", "activities", "type"), ("done", "activities", "done"), ("due_at", "activities", "due_at"),
                       ("owner.name", "users", "name"), ("opportunity.stage", "opportunities", "stage"),
                       ("lead", "activities", "lead"), ("opportunity.value", "opportunities", "value")],
    ]

    mutating func query(_ i: Int) -> String {
        let entity = pick(["opportunities", "opportunities", "contacts", "activities"])
        let filter = condition(entity, depth: 0)
        switch i % 4 {
        case 0:
            return "find \(entity) where \(filter) show id"
        case 1:
            let (path, _, _) = pick(Self.fields[entity]!)
            return "find \(entity) where \(filter) order by \(path)\(chance(0.5) ? " desc" : "") limit \(1 + int(30)) offset \(int(3)) show id"
        case 2:
            // No filter at all sometimes: the index-order walk.
            let key = entity == "contacts" ? "created_at" : entity == "activities" ? "due_at" : pick(["value", "close_date", "probability"])
            return "find \(entity)\(chance(0.5) ? " where \(filter)" : "") order by \(key)\(chance(0.5) ? " desc" : "") limit \(1 + int(40)) show id"
        default:
            let group = entity == "contacts" ? "role" : entity == "activities" ? "type" : pick(["stage", "owner.name", "account.country"])
            let agg = entity == "opportunities" ? "count, sum value, min close_date" : "count"
            return "\(agg) of \(entity) where \(filter) by \(group)"
        }
    }

    mutating func condition(_ entity: String, depth: Int) -> String {
        if depth < 2 && chance(0.45) {
            let a = condition(entity, depth: depth + 1), b = condition(entity, depth: depth + 1)
            switch int(3) {
            case 0: return "(\(a) and \(b))"
            case 1: return "(\(a) or \(b))"
            default: return "not (\(a))"
            }
        }
        return leaf(entity)
    }

    private mutating func sample(_ entity: String, _ field: String) -> Value {
        let c = db[entity]
        guard c.count > 0, let f = c.entity.fieldIndex(field) else { return .null }
        let path = BoundPath(root: entity, hops: [], field: FieldRef(entity: entity, field: f), type: c.entity.fields[f].type, text: field)
        return PathReader(path, in: db).value(int(c.count))
    }

    /// Child collections reachable from each entity, with the child entity: `any`/`no`/`all` leaves.
    static let collections: [String: [(String, String)]] = [
        "opportunities": [("activities", "activities"), ("account.opportunities", "opportunities"), ("account.contacts", "contacts")],
        "contacts": [("opportunities", "opportunities"), ("activities", "activities"), ("account.opportunities", "opportunities")],
        "activities": [("opportunity.activities", "activities"), ("account.contacts", "contacts")],
    ]

    /// How many `any`/`no`/`all` the leaf being made sits inside.
    var nesting = 0

    mutating func leaf(_ entity: String) -> String {
        if nesting < 2, chance(0.12), let collections = Self.collections[entity] {
            let (path, child) = pick(collections)
            let q = pick(["any", "any", "no", "all"])
            if q != "all" && chance(0.15) { return "\(q) \(path)" }
            nesting += 1
            defer { nesting -= 1 }
            return "\(q) \(path) (\(condition(child, depth: 1)))"
        }
        let (path, holder, field) = pick(Self.fields[entity]!)
        let type = db[holder].entity.field(field)!.type
        if chance(0.08) { return "\(path) is \(chance(0.5) ? "not " : "")null" }
        let v = sample(holder, field)
        if case .null = v { return "\(path) is \(chance(0.5) ? "not " : "")null" }
        let lit = literal(v)
        switch type {
        case .text:
            guard case .text(let s) = v else { return "\(path) is null" }
            let piece = String(s.prefix(1 + int(max(1, s.count))))
            switch int(5) {
            case 0: return "\(path) = \(lit)"
            case 1: return "\(path) != \(lit)"
            case 2: return "\(path) starts with \(literal(.text(piece)))"
            case 3: return "\(path) contains \(literal(.text(String(s.suffix(2)))))"
            default: return "\(path) in (\(lit), \(literal(sample(holder, field))))"
            }
        case .enumeration:
            let op = pick(["=", "!=", "<", ">=", "in", "not in"])
            if op.hasSuffix("in") { return "\(path) \(op) (\(lit), \(literal(sample(holder, field))))" }
            return "\(path) \(op) \(lit)"
        case .bool, .reference:
            return "\(path) \(pick(["=", "!="])) \(lit)"
        default:
            if case .int = type, field == "id" { return "\(path) \(pick(["=", "<", ">"])) \(lit)" }
            switch int(4) {
            case 0: return "\(path) between \(lit) and \(literal(sample(holder, field)))"
            case 1 where type.isTemporal: return "\(path) within \(pick(["last", "next"])) \(1 + int(60)) days"
            default: return "\(path) \(pick(["=", "!=", "<", "<=", ">", ">="])) \(lit)"
            }
        }
    }

    private func literal(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .text(let s): return "\"" + s.replacingOccurrences("\"", "\"\"") + "\""
        case .bool(let b): return b ? "true" : "false"
        case .datetime(let s): return Day.formatDateTime(s)
        default: return v.plainText
        }
    }
}
