import CrmqEngine
import Foundation

/// The prompt at a terminal: reads lines until a statement is complete, then runs it.
/// (Line editing with history and completion comes with the libedit shell.)
struct InteractiveLoop {
    var session: Session
    let banner: String

    mutating func run(_ console: inout StandardConsole) {
        console.write(banner)
        var buffer = ""
        while true {
            console.write(buffer.isEmpty ? "crmq> " : "...> ")
            console.flush()
            guard let line = readLine(strippingNewline: true) else {
                console.write("\n")
                return
            }
            buffer += buffer.isEmpty ? line : "\n" + line
            if buffer.allSatisfy({ $0.isWhitespace }) { buffer = ""; continue }
            if Self.isIncomplete(buffer) { continue }
            let outcome = session.run(SourceText(name: "input", text: buffer), on: &console)
            buffer = ""
            if outcome == .quit { return }
        }
    }

    /// True while the text stops in the middle of a statement: an open quote or parenthesis,
    /// a trailing `and`, a clause keyword with nothing after it.
    static func isIncomplete(_ text: String) -> Bool {
        do {
            _ = try Parser.parseAll(SourceText(name: "input", text: text))
            return false
        } catch {
            return error.isUnexpectedEnd
        }
    }
}
