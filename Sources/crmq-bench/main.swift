// crmq-bench: the benchmark's crmq side. Generates the demo dataset, exports it as CSV for the peer
// engines, and times the benchmark queries warm and in-process (as the peers are timed), writing
// the medians and the answers as JSON for scripts/bench to compare.
//
//   crmq-bench --scale 1 --today 2026-06-15 --repeat 15 --export DIR --json FILE
// For profiling: --only Q11 --query "T1=find contacts show email" --write csv (time printing, not reading).
import CrmqEngine
import Foundation

struct Options {
    var scale = 1.0
    var seed: UInt64 = 1
    var today = Day.parse("2026-06-15")!
    var repeats = 15
    var export: String?
    var json = "crmq-bench.json"
    /// Print `explain analyze` of each query instead of timing it.
    var explain = false
    /// Time only these queries (`--only Q4`), for profiling.
    var only: Set<String> = []
    /// Also time each query as this user (by email), in the same run, alternating with admin:
    /// the cost of roles and permissions. Adds the reports R1-R3.
    var user: String?
    /// Only read this CSV file with the import's reader and report the time (`--read-csv FILE`).
    var readCSV: String?
    /// More queries to time, each `NAME=TEXT` (`--query "T1=find contacts show email"`), for profiling.
    var extra: [(String, String)] = []
    /// Time each query as executed and written in this format to a sink that drops the bytes
    /// (`--write csv`), instead of reading its cells as Strings: what the shell pays to print it.
    var write: OutputFormat?

    init(_ args: [String]) {
        var i = 1
        func value() -> String {
            i += 1
            guard i < args.count else { fail("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--scale": scale = Double(value()) ?? { fail("--scale needs a number") }()
            case "--seed": seed = UInt64(value()) ?? { fail("--seed needs a whole number") }()
            case "--today": today = Day.parse(value()) ?? { fail("--today needs YYYY-MM-DD") }()
            case "--repeat": repeats = Int(value()) ?? { fail("--repeat needs a whole number") }()
            case "--export": export = value()
            case "--json": json = value()
            case "--explain": explain = true
            case "--only": only.insert(value())
            case "--user": user = value()
            case "--read-csv": readCSV = value()
            case "--query":
                let v = value()
                guard let eq = v.firstIndex(of: "=") else { fail("--query needs NAME=TEXT") }
                extra.append((String(v[..<eq]), String(v[v.index(after: eq)...])))
            case "--write": write = OutputFormat(rawValue: value()) ?? { fail("--write needs one of \(OutputFormat.names)") }()
            default: fail("unknown argument \(args[i])")
            }
            i += 1
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("crmq-bench: \(message)\n".utf8))
    exit(2)
}

func log(_ message: String) {
    FileHandle.standardError.write(Data("\(message)\n".utf8))
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// Resident memory of this process, from /proc.
func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
    let kb = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    return kb / 1024
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

let options = Options(CommandLine.arguments)
if let path = options.readCSV {
    readCSV(path)
    exit(0)
}
var start = ContinuousClock.now
let db = DemoGenerator.generate(DemoOptions(scale: options.scale, seed: options.seed, today: options.today))
let generateSeconds = seconds(since: start)
log("generated scale \(options.scale) in \(String(format: "%.2f", generateSeconds)) s")

// Index build, measured on its own (Session.init builds whatever is missing).
start = ContinuousClock.now
var indexed = db
indexed.buildIndexes()
let indexSeconds = seconds(since: start)
var prepared = Session(database: indexed, settings: Session.Settings(today: options.today))
for text in CRMStatements.setup {
    var console = TranscriptConsole()
    if prepared.run(SourceText(name: "setup", text: text), on: &console) != .success { fail("\(text): \(console.transcript)") }
}
let session = prepared
let rss = residentMegabytes()
log("indexes built in \(String(format: "%.2f", indexSeconds)) s; resident memory \(Int(rss)) MB")

if let dir = options.export {
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for entity in db.schema.entities {
        start = ContinuousClock.now
        let result = try! session.query("find \(entity.name) show *")
        var sink = FileSink(path: "\(dir)/\(entity.name).csv")
        ResultWriter.write(result, as: .csv, to: &sink)
        sink.close()
        log("exported \(entity.name): \(result.rowCount) rows in \(String(format: "%.2f", seconds(since: start))) s")
    }
}

let queries: [(String, String)] = [
    ("Q1", "find opportunities where id = 500000 show id, name, stage, value"),
    ("Q2", #"count opportunities where stage = "Negotiation" and value > 10000"#),
    ("Q3", "find opportunities where close_date within next 30 days order by value desc limit 20 show id, value"),
    ("Q4", "count, sum value of opportunities by stage"),
    ("Q5", #"sum value of opportunities where stage = "Closed Won" and account.industry = "Retail" by account.country"#),
    ("Q6", #"find contacts where last_name starts with "Sm" and email contains "gmail" show id"#),
    ("Q7", #"sum value * probability of opportunities where close_date in this quarter and stage not in ("Closed Won", "Closed Lost") by owner.name"#),
    ("Q8", "count activities where due_at within last 30 days by owner.name, type"),
    // Related records: a semi-join, an anti-join, and aggregates over child collections.
    ("Q9", #"find accounts where any opportunities (stage = "Closed Won" and value > 50000) show id, name"#),
    ("Q10", "count accounts where no activities (due_at within last 90 days)"),
    ("Q11", "find accounts where count(contacts) >= 5 show id, name"),
    ("Q12", #"find accounts show name, count(contacts) as people, sum(opportunities.value where stage = "Closed Won") as won order by won desc limit 10"#),
] + (options.user == nil ? CRMStatements.all : [
    // The roles benchmark (BENCHMARKS.md, issue #12) times its own three reports as a user.
    ("R1", "report funnel"),
    ("R2", "report forecast by owner"),
    ("R3", "report dashboard"),
]) + options.extra

/// The session as `--user`, its permission view built (timed apart: the first query pays it).
var userSession: Session?
if let email = options.user {
    var s = session
    do { try s.setUser(email: email) } catch { fail("--user: \(error.message)") }
    start = ContinuousClock.now
    let counts = try! s.preparePermissions()
    log("permission view of \(s.role) built in \(String(format: "%.1f", seconds(since: start) * 1000)) ms: "
        + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    userSession = s
}

/// Runs a statement the way the shell does (parse, bind, plan, execute) and reads every cell,
/// as a client of the peers reads every row it fetches.
/// The cells come row by row into one array (a client reading rows into its own storage); they are
/// split into rows for the JSON after the clock stops.
func run(_ text: String, on asUser: Session? = nil) -> (cells: [String], columns: Int) {
    let result = try! (asUser ?? session).query(text)
    if let format = options.write {
        var sink = CountingSink()
        ResultWriter.write(result, as: format, to: &sink)
        return ([String(sink.bytes)], 1)
    }
    let columns = result.columns.count
    var cells: [String] = []
    cells.reserveCapacity(result.rowCount * columns)
    for r in 0..<result.rowCount {
        for c in 0..<columns { cells.append(result.value(row: r, column: c).plainText) }
    }
    return (cells, columns)
}

func rows(_ answer: (cells: [String], columns: Int)) -> [[String]] {
    guard answer.columns > 0 else { return [] }
    return stride(from: 0, to: answer.cells.count, by: answer.columns).map { Array(answer.cells[$0..<$0 + answer.columns]) }
}

if options.explain {
    var explaining = session
    for (name, text) in queries {
        var console = TranscriptConsole()
        _ = explaining.run(SourceText(name: name, text: "explain analyze " + text), on: &console)
        print("\(name): \(text)\n\(console.transcript)")
    }
    exit(0)
}

var report: [String: Any] = [
    "scale": options.scale, "generate_s": generateSeconds, "index_build_s": indexSeconds, "rss_mb": rss,
    "opportunities": indexed["opportunities"].count,
]
var results: [[String: Any]] = []
for (name, text) in queries where options.only.isEmpty || options.only.contains(name) {
    var times: [Double] = []
    var answer: (cells: [String], columns: Int) = ([], 0)
    for _ in 0..<options.repeats {
        // The previous answer is freed before the clock starts (scripts/bench.py does the same for the peers).
        answer = ([], 0)
        let t0 = ContinuousClock.now
        answer = run(text)
        times.append(seconds(since: t0) * 1000)
    }
    let answerRows = rows(answer)
    var entry: [String: Any] = ["name": name, "query": text, "median_ms": median(times), "min_ms": times.min() ?? 0, "rows": answerRows]
    if let asUser = userSession {
        // Alternating with admin's runs, so both see the same load.
        var userTimes: [Double] = []
        var adminTimes: [Double] = []
        var userAnswer: (cells: [String], columns: Int) = ([], 0)
        for _ in 0..<options.repeats {
            answer = ([], 0)
            var t0 = ContinuousClock.now
            answer = run(text)
            adminTimes.append(seconds(since: t0) * 1000)
            userAnswer = ([], 0)
            t0 = ContinuousClock.now
            userAnswer = run(text, on: asUser)
            userTimes.append(seconds(since: t0) * 1000)
        }
        log("\(name) as admin median \(String(format: "%.3f", median(adminTimes))) ms; as \(asUser.role) \(String(format: "%.3f", median(userTimes))) ms, \(rows(userAnswer).count) rows")
        entry["admin_median_ms"] = median(adminTimes)
        entry["user_median_ms"] = median(userTimes)
        entry["user_rows"] = rows(userAnswer).count
    } else {
        log("\(name) median \(String(format: "%.3f", median(times))) ms, \(answerRows.count) rows")
    }
    results.append(entry)
}
report["queries"] = results
report["scan"] = ColumnScans(db: indexed, today: options.today, repeats: min(options.repeats, 15)).timings()
// Each stage's kind in each pipeline, for the peers' SQL of the reports.
report["pipelines"] = indexed.schema.pipelines.map { p in
    ["name": p.name, "stages": p.stages.map { ["name": $0.name, "probability": $0.probability, "won": $0.isWon, "closed": $0.isClosed] }]
}
// Last: the changes leave an extra opportunity behind (the answers above are taken before).
if options.only.isEmpty {
    var upkeep = IndexUpkeep(session: session, repeats: max(options.repeats, 5))
    report["upkeep"] = upkeep.timings()
    report["upkeep_query"] = IndexUpkeep.query
    log("after a change: \(report["upkeep"]!)")
}

let data = try! JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
FileManager.default.createFile(atPath: options.json, contents: data)
log("wrote \(options.json)")
