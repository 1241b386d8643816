/// `.help`: the command table, `.help COMMAND` for one command, `.help TOPIC` for a CRM concept
/// with its live queries.
extension ShellCommands {
    static func help(topic word: String?, at range: SourceRange?, session: inout Session,
                     console: inout some Console) throws(Diagnostic) {
        guard let word else {
            console.write(commandTable())
            console.write("\nCRM topics, each with a live query: .help TOPIC\n")
            console.write(TextWidth.wrap(HelpTopic.all.map(\.name).joined(separator: ", "), indent: "  ", width: 80))
            return
        }
        let w = word.hasPrefix(".") ? String(word.dropFirst()) : word
        if let command = ShellCommand(rawValue: w.lowercased()) {
            console.write("usage: \(command.usage)\n  \(command.help)\n")
            return
        }
        if w.lowercased() == "topics" {
            for t in HelpTopic.all { console.write("  " + t.name + String(repeating: " ", count: max(1, 14 - t.name.count)) + t.title + "\n") }
            return
        }
        guard let topic = HelpTopic.named(w) else {
            let names = HelpTopic.all.flatMap { [$0.name] + $0.aliases } + ShellCommand.allCases.map(\.rawValue)
            throw Diagnostic(.shell, "no help on \"\(word)\"", at: range,
                             hint: Suggestions.didYouMean(w, in: names) ?? ".help topics lists the topics")
        }
        console.write(topic.title + "\n\n")
        console.write(topic.text.split(separator: "\n").map { "  " + $0 + "\n" }.joined())
        console.write("\n")
        // A topic that defines segments or adds fields does so in a copy of the session without its
        // file: help never changes the data, its file or its journal.
        if topic.queries.contains(where: { ["define ", "set ", "add ", "update "].contains(where: $0.hasPrefix) }) {
            var scratch = session
            scratch.file = nil
            runQueries(of: topic, in: &scratch, console: &console)
        } else {
            runQueries(of: topic, in: &session, console: &console)
        }
    }

    private static func runQueries(of topic: HelpTopic, in session: inout Session, console: inout some Console) {
        for q in topic.queries {
            // With .echo on the session prints the query itself.
            if !session.settings.echo { console.write("crmq> \(q)\n") }
            // A topic's query can fail only on a database without the standard fields; its error
            // is shown like any other, and the help goes on.
            _ = session.run(SourceText(name: "help \(topic.name)", text: q), on: &console)
        }
    }

    /// One line per command: usage, padded, then what it does. `.exit` is `.quit`'s twin.
    static func commandTable() -> String {
        let listed = ShellCommand.allCases.filter { $0 != .exit }
        let width = listed.map(\.usage.count).max() ?? 0
        return listed.map { $0.usage + String(repeating: " ", count: width - $0.usage.count + 2) + $0.help + "\n" }.joined()
    }
}
