import CrmqEngine
import Foundation

/// What crmq needs to know about the terminal: whether there is one, its width, whether colour is wanted.
enum Terminal {
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// The terminal's width in columns, or `$COLUMNS` when the terminal does not say.
    static func columns(of fd: Int32 = STDOUT_FILENO) -> Int? {
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Colour only for a person: never with NO_COLOR set (no-color.org), nor on a terminal that cannot.
    static func colorAllowed(on fd: Int32) -> Bool {
        let env = ProcessInfo.processInfo.environment
        return isTerminal(fd) && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    /// The display settings for results written to standard output: plain on a pipe or file;
    /// fitted, limited to a screenful of rows and coloured at a terminal.
    static func display(chart: Bool) -> DisplayOptions {
        var display = DisplayOptions()
        display.chart = chart ? .bars : .off
        guard isTerminal(STDOUT_FILENO) else { return display }
        display.terminalWidth = columns()
        display.maxRows = DisplayOptions.terminalRows
        display.color = colorAllowed(on: STDOUT_FILENO)
        return display
    }
}
