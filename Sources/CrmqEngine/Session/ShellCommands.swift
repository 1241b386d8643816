/// The shell's own commands (`.format csv`), as a table: name, arguments, help.
/// `.help` is generated from the table; an unknown command gets a did-you-mean.
enum ShellCommand: String, CaseIterable, Sendable {
    case help, format, today, echo, timer, schema, indexes, quit, exit

    var arguments: String {
        switch self {
        case .format: OutputFormat.names
        case .today: "[YYYY-MM-DD]"
        case .echo, .timer: "on|off"
        case .schema, .indexes: "[ENTITY]"
        case .help, .quit, .exit: ""
        }
    }

    var help: String {
        switch self {
        case .help: "list the shell commands"
        case .format: "how results are printed (table by default)"
        case .today: "show or pin the day that relative dates count from"
        case .echo: "print each statement before its result"
        case .timer: "print how long each statement took"
        case .indexes: "the indexes, with what they know of their columns"
        case .schema: "the entities, or one entity's fields, types and values"
        case .quit, .exit: "leave crmq (.exit works too)"
        }
    }

    var maximumArguments: Int {
        switch self {
        case .help, .quit, .exit: 0
        case .format, .today, .echo, .timer, .schema, .indexes: 1
        }
    }

    var usage: String { "." + rawValue + (arguments.isEmpty ? "" : " " + arguments) }
}

enum ShellCommands {
    static func run(name: Name, arguments: [Name], session: inout Session,
                    console: inout some Console) throws(Diagnostic) -> Session.Outcome {
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
            let listed = ShellCommand.allCases.filter { $0 != .exit }
            let width = listed.map(\.usage.count).max() ?? 0
            for c in listed {
                console.write(c.usage + String(repeating: " ", count: width - c.usage.count + 2) + c.help + "\n")
            }
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
        case .echo, .timer:
            guard args.count == 1, ["on", "off"].contains(args[0].lowercased()) else {
                throw Diagnostic(.shell, ".\(command.rawValue) takes on or off", at: range,
                                 hint: args.first.flatMap { Suggestions.didYouMean($0, in: ["on", "off"]) })
            }
            if command == .echo { session.settings.echo = args[0].lowercased() == "on" }
            else { session.settings.timer = args[0].lowercased() == "on" }
        case .indexes:
            let schema = session.database.schema
            var entities = schema.entities
            if let name = args.first {
                guard let e = schema.entity(named: name) else {
                    throw Diagnostic(.shell, "unknown entity \"\(name)\"", at: range, hint: schema.entityHint(for: name))
                }
                entities = [e]
            }
            session.prepareIndexes()
            for e in entities {
                console.write(IndexListing.describe(e.name, in: session.database))
            }
        case .schema:
            let schema = session.database.schema
            guard let name = args.first else {
                for e in schema.entities {
                    console.write("\(e.name) (\(session.database[e.name].count) records)\n")
                }
                break
            }
            guard let e = schema.entity(named: name) else {
                throw Diagnostic(.shell, "unknown entity \"\(name)\"", at: range, hint: schema.entityHint(for: name))
            }
            console.write(SchemaDescription.describe(e, in: schema))
        case .quit, .exit:
            return .quit
        }
        return .success
    }
}

/// The text of `.schema ENTITY`.
enum SchemaDescription {
    static func describe(_ e: EntityDef, in schema: Schema) -> String {
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
            if !f.summary.isEmpty { line += "  -- " + f.summary }
            out += line + "\n"
        }
        return out
    }
}
