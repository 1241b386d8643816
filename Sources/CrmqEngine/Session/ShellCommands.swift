/// The shell's own commands (`.format csv`), as a table: name, arguments, help.
/// `.help` is generated from the table; an unknown command gets a did-you-mean.
enum ShellCommand: String, CaseIterable, Sendable {
    case help, format, today, echo, timer, timeout
    case width, rows, chart, pager
    case schema, indexes, read
    case segments, show, rules
    case pipelines, user, roles
    case open, save
    case quit, exit

    var arguments: String {
        switch self {
        case .format: OutputFormat.names
        case .today: "[YYYY-MM-DD]"
        case .echo, .timer, .pager: "on|off"
        case .timeout: "[SECONDS|off]"
        case .schema, .indexes: "[ENTITY]"
        case .segments, .rules: "[ENTITY]"
        case .show, .pipelines, .roles: ""
        case .user: "[EMAIL|off]"
        case .help: "[TOPIC]"
        case .width: "[N|auto]"
        case .rows: "[N|all]"
        case .chart: "on|off|funnel"
        case .read, .open: "FILE"
        case .save: "[FILE]"
        case .quit, .exit: ""
        }
    }

    var help: String {
        switch self {
        case .help: "the shell commands; or a command, or a CRM topic with a live query"
        case .width: "show or set the width tables and charts fit (auto: the terminal's)"
        case .rows: "show or set how many rows a table shows (all: every row)"
        case .chart: "draw grouped counts and sums as bars, or as a sales funnel"
        case .pager: "at a terminal, show results taller than the screen through $PAGER"
        case .read: "run the statements of a script file"
        case .open: "open a data file (a new, empty one when it does not exist)"
        case .save: "save the data to its file, or a copy to FILE"
        case .format: "how results are printed (table by default)"
        case .today: "show or pin the day that relative dates count from"
        case .echo: "print each statement before its result"
        case .timer: "print how long each statement took"
        case .timeout: "show or set how long a statement may run before it is cancelled"
        case .indexes: "the indexes, with what they know of their columns"
        case .schema: "the entities, or one entity's fields, types and values"
        case .segments: "the segments, or one entity's (.help segmentation explains them)"
        case .rules: "the workflow rules: what sets each off, whether it is on, what it does (.help workflow)"
        case .show: "the settings: format, today, the fiscal year, display, timeout"
        case .pipelines: "the pipelines: each stage's probability, whether it is won or lost, its exit criteria"
        case .user: "show or set the session's user: their role decides what they may read and change; off for nobody (admin)"
        case .roles: "what each role may read and change (grant and revoke change it), and the session's role"
        case .quit, .exit: "leave crmq (.exit works too)"
        }
    }

    var maximumArguments: Int {
        switch self {
        case .quit, .exit, .show, .pipelines, .roles: 0
        case .format, .today, .echo, .timer, .timeout, .schema, .indexes, .help, .width, .rows, .chart, .pager, .segments,
             .user, .rules: 1
        // A file name may hold spaces: the words are joined again.
        case .read, .open, .save: Int.max
        }
    }

    var usage: String { "." + rawValue + (arguments.isEmpty ? "" : " " + arguments) }
}

enum ShellCommands {
    static func run(name: Name, arguments: [Name], session: inout Session, console: inout some Console,
                    cancellation: Cancellation) throws(Diagnostic) -> Session.Outcome {
        guard let command = ShellCommand(rawValue: name.text.lowercased()) else {
            throw Diagnostic(.shell, "unknown command \".\(name.text)\"", at: name.range,
                             hint: Suggestions.closest(to: name.text, in: ShellCommand.allCases.map(\.rawValue))
                                 .map { "did you mean \".\($0)\"?" } ?? "type .help for the list")
        }
        let args = arguments.map(\.text)
        // Errors point at the arguments, or at the command when it has none.
        let range = arguments.isEmpty ? name.range : arguments[0].range.union(arguments[arguments.count - 1].range)
        if arguments.count > command.maximumArguments {
            throw Diagnostic(.shell, ".\(command.rawValue) takes \(command.maximumArguments == 0 ? "no arguments" : "one argument")",
                             at: range, hint: "usage: \(command.usage)")
        }
        switch command {
        case .help:
            try help(topic: args.first, at: range, session: &session, console: &console)
        case .width, .rows, .chart, .pager:
            try display(command, args.first, at: range, settings: &session.settings.display, console: &console)
        case .read:
            return try read(args.joined(separator: " "), at: range, session: &session, console: &console,
                            cancellation: cancellation)
        case .open, .save:
            try dataFile(command, args.isEmpty ? nil : args.joined(separator: " "), at: range, session: &session,
                         console: &console, cancellation: cancellation)
        case .format:
            guard let name = args.first else {
                console.write("format: \(session.settings.format.rawValue)\n")
                break
            }
            guard args.count == 1, let f = OutputFormat(rawValue: name.lowercased()) else {
                throw Diagnostic(.shell, "unknown format \"\(args.joined(separator: " "))\"", at: range,
                                 hint: Suggestions.didYouMean(name, in: OutputFormat.allCases.map(\.rawValue))
                                     ?? "formats: \(OutputFormat.names)")
            }
            session.settings.format = f
        case .today:
            guard let text = args.first else {
                console.write("today: \(Day.format(session.settings.today))\n")
                break
            }
            guard args.count == 1, let d = Day.parse(text) else {
                throw Diagnostic(.shell, "\"\(args.joined(separator: " "))\" is not a date", at: range,
                                 hint: "write it as YYYY-MM-DD")
            }
            session.settings.today = d
            session.settings.now = d * 86_400 + 12 * 3_600
        case .echo, .timer:
            guard args.count == 1, ["on", "off"].contains(args[0].lowercased()) else {
                throw Diagnostic(.shell, ".\(command.rawValue) takes on or off", at: range,
                                 hint: args.first.flatMap { Suggestions.didYouMean($0, in: ["on", "off"]) })
            }
            if command == .echo { session.settings.echo = args[0].lowercased() == "on" }
            else { session.settings.timer = args[0].lowercased() == "on" }
        case .timeout:
            try timeout(args.first, at: range, settings: &session.settings, console: &console)
        case .indexes:
            let schema = session.database.schema
            var entities = schema.entities
            if let name = args.first {
                guard let e = schema.entity(named: name) else {
                    throw Diagnostic(.shell, "unknown entity \"\(name)\"", at: range, hint: schema.entityHint(for: name))
                }
                entities = [e]
            }
            // The statistics describe every record: not for a role that may read only some (Permissions/).
            if session.role != Grants.admin {
                throw Diagnostic(.shell, "only an admin may list the indexes: their statistics describe every record, and this session runs as \(session.role)",
                                 at: range, hint: ".schema lists the entities and fields")
            }
            try session.prepareIndexes(cancellation: cancellation)
            for e in entities {
                console.write(IndexListing.describe(e.name, in: session.database))
            }
        case .schema:
            let schema = session.database.schema
            guard let name = args.first else {
                // The records the session's role may read (Permissions/).
                let visible = try session.permittedData(cancellation: cancellation)
                for e in schema.entities {
                    console.write("\(e.name) (\(visible[e.name].count) records)\n")
                }
                break
            }
            guard let e = schema.entity(named: name) else {
                throw Diagnostic(.shell, "unknown entity \"\(name)\"", at: range, hint: schema.entityHint(for: name))
            }
            console.write(SchemaDescription.describe(e, in: schema, indexed: session.database[e.name].indexedFields))
        case .segments:
            try segments(of: args.first, at: range, session: session, console: &console)
        case .rules:
            try rules(of: args.first, at: range, session: session, console: &console)
        case .show:
            show(session, console: &console)
        case .pipelines:
            pipelines(session, console: &console)
        case .user:
            if let email = args.first { try session.setUser(email: email, at: range) }
            console.write("user: \(session.describeUser())\n")
        case .roles:
            console.write(session.describeRoles())
        case .quit, .exit:
            return .quit
        }
        return .success
    }
}

/// The text of `.schema ENTITY`.
enum SchemaDescription {
    static func describe(_ e: EntityDef, in schema: Schema, indexed: Set<Int> = []) -> String {
        let width = e.fields.map(\.name.count).max() ?? 0
        var out = "\(e.name) (\(e.singular))\n"
        for f in e.fields {
            var line = "  " + f.name + String(repeating: " ", count: width - f.name.count + 2)
            switch f.type {
            case .enumeration(let n):
                line += "enum: " + schema.enumValues(n).map { "\"\($0)\"" }.joined(separator: ", ")
            case .reference(let t):
                line += "-> \(t)"
            default:
                line += f.type.name
            }
            if let i = e.fieldIndex(f.name), indexed.contains(i) { line += "  (indexed)" }
            if !f.summary.isEmpty { line += "  -- " + f.summary }
            out += line + "\n"
        }
        return out
    }
}

extension ShellCommands {
    /// `.open FILE` and `.save [FILE]`. Their errors are the shell's: they do not end a transaction.
    static func dataFile(_ command: ShellCommand, _ path: String?, at range: SourceRange, session: inout Session,
                         console: inout some Console, cancellation: Cancellation) throws(Diagnostic) {
        do throws(Diagnostic) {
            if command == .save {
                try session.save(to: path, at: range, on: &console, cancellation: cancellation)
            } else if let path {
                try session.openFile(path, at: range, on: &console)
            } else {
                throw Diagnostic(.shell, ".open needs a file", at: range, hint: "usage: .open FILE")
            }
        } catch {
            var d = error
            if d.cancelled != nil { throw d }
            d.stage = .shell
            throw d
        }
    }
}
