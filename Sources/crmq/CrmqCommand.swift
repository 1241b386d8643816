import ArgumentParser
import CrmqEngine
import Foundation

extension OutputFormat: ExpressibleByArgument {}

/// `crmq [options]`: run statements on a dataset, from arguments, a file, a pipe or the prompt.
/// Other tasks are subcommands (`crmq generate`, `crmq check`).
struct CrmqCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmq",
        abstract: "A CRM query-language shell.",
        discussion: """
        With no -c or -f, crmq reads statements from standard input: at a terminal it shows a \
        prompt, from a pipe it runs them as a script. With no FILE, it opens the built-in \
        demo dataset; with one, the data in it (a new, empty one when FILE does not exist), where \
        every committed change is kept.

        Examples:
          crmq -c 'find opportunities where stage = "Negotiation" and value > 10000'
          crmq -c 'count opportunities by stage' --format csv
          crmq -f examples/01-pipeline.crmq --today 2026-11-23
          crmq generate --scale 1 -o crm.crmq && crmq crm.crmq
        """,
        subcommands: [GenerateCommand.self, CheckCommand.self]
    )

    @Argument(help: ArgumentHelp("The data file to open, or to create with the first change or save.", valueName: "FILE"))
    var dataFile: String?

    @Option(name: .customShort("c"), help: ArgumentHelp("Run a statement, print its result, and exit (may be repeated).", valueName: "QUERY"))
    var commands: [String] = []

    @Option(name: .customShort("f"), help: ArgumentHelp("Run a script file ('-' reads standard input).", valueName: "FILE"))
    var file: String?

    @Option(help: ArgumentHelp("Output format: \(OutputFormat.names).", valueName: "FORMAT"))
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("Pin \"today\" (YYYY-MM-DD) so dates and relative periods are reproducible.", valueName: "DATE"))
    var today: String?

    @Option(help: ArgumentHelp("Make changes as this user (by email): who stage moves are recorded as made by, and the owner of new deals.", valueName: "EMAIL"))
    var user: String?

    @Option(help: "Size of the demo dataset: 1 = 1,000,000 opportunities (0.01 when not given).")
    var scale: Double?

    @Option(help: "Variant of the demo dataset (1 when not given).")
    var seed: UInt64?

    @Option(help: ArgumentHelp("Cancel a statement that runs longer than this (as .timeout does).", valueName: "SECONDS"))
    var timeout: String?

    @Flag(name: .customLong("keep-going"), help: "Go on after a failing statement (the exit status is still 1).")
    var keepGoing = false

    @Flag(help: "Print each statement before its result.")
    var echo = false

    @Flag(help: "Print how long each statement took, on standard error.")
    var timer = false

    @Flag(help: "Draw grouped counts and sums as bar charts (as .chart on does).")
    var chart = false

    @Flag(name: .customLong("no-edit"), help: "At a terminal, read plain lines: no line editing, history or completion.")
    var noEdit = false

    func validate() throws {
        if let today, Day.parse(today) == nil {
            throw ValidationError("--today needs a date as YYYY-MM-DD, not \"\(today)\"")
        }
        if let scale, !(scale > 0 && scale <= 20) { throw ValidationError("--scale must be above 0 and at most 20") }
        if file != nil && !commands.isEmpty { throw ValidationError("give either -c or -f, not both") }
        if let timeout, StatementTimeout.parse(timeout) == nil {
            throw ValidationError("--timeout needs a number of seconds (e.g. 2 or 0.5), not \"\(timeout)\"")
        }
        if dataFile != nil && (scale != nil || seed != nil) {
            throw ValidationError("--scale and --seed choose the demo dataset; a data file holds its own data")
        }
    }

    func run() throws {
        let day = today.flatMap(Day.parse) ?? Self.localToday()
        var settings = Session.Settings(today: day)
        // A pinned day also pins the moment changes are stamped with: scripts give the same output.
        if today != nil { settings.now = day * 86_400 + 12 * 3_600 }
        settings.format = format
        settings.keepGoing = keepGoing
        settings.echo = echo
        settings.timer = timer
        settings.timeout = timeout.flatMap(StatementTimeout.parse) ?? nil
        // A test hook, read once here (see `TestHold`); the runs below pass it down. A script is not
        // cancelled by a token (Ctrl-C ends it, as it ends any program), only by --timeout.
        let hold = TestHold.fromEnvironment()
        let cancellation = Cancellation(CancellationToken(hold: hold))
        settings.display = Terminal.display(chart: chart)
        var console = StandardConsole()
        defer { console.flush() }
        var session: Session
        if let dataFile {
            do {
                let (opened, warnings) = try Session.open(dataFile, settings: settings)
                session = opened
                for w in warnings { console.error(w + "\n") }
            } catch {
                console.error(DiagnosticRenderer.render(error.diagnostic, in: nil, color: console.colorErrors))
                console.flush()
                throw ExitCode(1)
            }
        } else {
            session = Session(database: Self.loadDemo(scale: scale ?? 0.01, seed: seed ?? 1, today: day), settings: settings)
        }
        if let user {
            do {
                try session.setUser(email: user)
            } catch {
                var d = error
                d.message = "--user: " + d.message
                console.error(DiagnosticRenderer.render(d, in: nil, color: console.colorErrors))
                console.flush()
                throw ExitCode(1)
            }
        }
        var status: Int32 = 0
        defer {
            // A transaction a script leaves open is not committed, as in psql; say so.
            if let undone = session.discardTransaction() {
                console.error("warning: the transaction was not committed; "
                              + (undone == 1 ? "its 1 statement was undone\n" : "its \(undone) statements were undone\n"))
            }
            // So is a sandbox: a script that wants its changes says `sandbox apply`.
            if let undone = session.discardSandbox() {
                console.error("warning: the sandbox was discarded, not applied; "
                              + (undone == 1 ? "its 1 statement was undone\n" : "its \(undone) statements were undone\n"))
            }
            console.flush()
            // The process ends here with the data still held: releasing millions of values one by
            // one would take longer than a query on a large file does (0.2 s at scale 1).
            withExtendedLifetime(session) { Foundation.exit(status) }
        }

        if commands.isEmpty && file == nil && isatty(STDIN_FILENO) == 1 {
            var loop = InteractiveLoop(session: session, banner: bannerText(day, session), lineEditing: !noEdit, hold: hold)
            loop.run(&console)
            session = loop.session
            return
        }
        // Scripts, -c and piped input run on a thread with a large stack: a statement may nest up
        // to the parser's limit (1,000 levels of parentheses, calls and related records) and every
        // stage walks that tree recursively, more than the main thread's 8 MB in a debug build.
        // (The shell stays on the main thread, where libedit expects its signals.)
        LargeStack.run {
            status = runScripts(&session, &console, cancellation)
        }
    }

    /// Runs `-c` commands, `-f FILE` or piped input; the exit status.
    private func runScripts(_ session: inout Session, _ console: inout StandardConsole,
                            _ cancellation: Cancellation) -> Int32 {
        var status: Int32 = 0
        if !commands.isEmpty {
            var failed = false
            for text in commands {
                let outcome = session.run(SourceText(name: "query", text: text), on: &console, cancellation: cancellation)
                if outcome == .quit { break }
                if outcome == .failed {
                    failed = true
                    if !keepGoing { break }
                }
            }
            if failed { status = 1 }
            return status
        }
        if let file {
            // Statements run as they arrive, from a file as from a pipe (see StatementStream).
            var input: FileInput
            if file == "-" {
                input = FileInput(descriptor: STDIN_FILENO)
            } else {
                do {
                    input = try FileInput(path: file)
                } catch {
                    console.error("error: cannot read \"\(file)\": no such file, or not readable\n")
                    status = 1
                    return status
                }
            }
            if session.run(script: &input, name: file == "-" ? "stdin" : file, on: &console,
                                  cancellation: cancellation) == .failed { status = 1 }
            return status
        }
        var input = FileInput(descriptor: STDIN_FILENO)
        if session.run(script: &input, name: "stdin", on: &console, cancellation: cancellation) == .failed { status = 1 }
        return status
    }

    static func loadDemo(scale: Double, seed: UInt64, today: Int64) -> Database {
        let showProgress = isatty(STDERR_FILENO) == 1
        var lastShown = -1
        let start = DispatchTime.now()
        let db = DemoGenerator.generate(DemoOptions(scale: scale, seed: seed, today: today)) { phase, fraction in
            // Only work that takes a noticeable time gets a progress line.
            guard showProgress, DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds > 300_000_000 else { return }
            let percent = Int(fraction * 100)
            if percent != lastShown {
                lastShown = percent
                StandardStreams.error("\rgenerating demo data: \(phase) \(percent)%\u{1B}[K")
            }
        }
        if showProgress && lastShown >= 0 { StandardStreams.error("\r\u{1B}[K") }
        return db
    }

    private func bannerText(_ day: Int64, _ session: Session) -> String {
        let data = session.file.map { "\"\($0.path)\"" } ?? "demo dataset (scale \(scale ?? 0.01), seed \(seed ?? 1))"
        return "crmq: \(data), today is \(Day.format(day)).\n"
            + "Type a query such as: count opportunities by stage\n"
            + "Enter .help for the shell commands, .quit to leave.\n"
    }

    static func localToday() -> Int64 {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day.from(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }
}
