/// `.timeout [SECONDS|off]`: how long a statement may run before it is cancelled.
extension ShellCommands {
    static func timeout(_ argument: String?, at range: SourceRange, settings: inout Session.Settings,
                        console: inout some Console) throws(Diagnostic) {
        guard let argument else {
            console.write("timeout: \(settings.timeout.map(Cancellation.describe) ?? "off")\n")
            return
        }
        guard let limit = StatementTimeout.parse(argument) else {
            throw Diagnostic(.shell, "\"\(argument)\" is not a number of seconds", at: range,
                             hint: "e.g. .timeout 2 or .timeout 0.5; .timeout off lifts the limit")
        }
        settings.timeout = limit
    }
}

/// The text of a timeout, for `.timeout` and `--timeout`.
public enum StatementTimeout {
    /// The longest limit accepted: a day (a larger number is more likely a mistake, e.g. milliseconds).
    static let maximumSeconds = 86_400.0

    /// `2`, `0.5` (seconds), or `off` / `0` for no limit (`.some(nil)`); nil when not a timeout.
    public static func parse(_ text: String) -> Duration?? {
        if text.lowercased() == "off" { return .some(nil) }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= maximumSeconds,
              text.allSatisfy({ $0.isNumber || $0 == "." }) else { return nil }
        if seconds == 0 { return .some(nil) }
        // Milliseconds are as fine as a person can mean; below that, at least 1 ms.
        return .some(.milliseconds(max(1, Int64((seconds * 1000).rounded()))))
    }
}
