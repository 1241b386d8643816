/// Where formatted output goes: standard output, standard error, or a string in tests.
public protocol OutputSink {
    mutating func write(_ text: String)
    /// True once the statement writing is cancelled: writers stop at their next block of rows.
    var isCancelled: Bool { get }
}

extension OutputSink {
    public var isCancelled: Bool { false }
}

/// Collects output in memory.
public struct StringSink: OutputSink {
    public var text = ""
    public init() {}
    public mutating func write(_ s: String) { text += s }
}

/// The output formats of `--format` and `.format`.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, tsv, json, jsonl, markdown

    public static var names: String { allCases.map(\.rawValue).joined(separator: "|") }
}

/// Writes a result in a format.
public enum ResultWriter {
    /// Writes a result for `display`: a chart when one is asked for and the result is a grouped
    /// `aggregate`, a fitted table at a terminal, and otherwise exactly what `write(_:as:to:)` writes.
    public static func write(_ result: ResultSet, as format: OutputFormat, display: DisplayOptions,
                             aggregate: Bool, to sink: inout some OutputSink) {
        guard format == .table else { return write(result, as: format, to: &sink) }
        if display.chart != .off, aggregate, BarChart.labelColumns(of: result) != nil {
            BarChart.write(result, style: display.chart, options: display, to: &sink)
        } else if display.isPlain {
            TableFormatter.write(result, to: &sink)
        } else {
            TerminalTable.write(result, options: display, to: &sink)
        }
    }

    public static func write(_ result: ResultSet, as format: OutputFormat, to sink: inout some OutputSink) {
        switch format {
        case .table: TableFormatter.write(result, to: &sink)
        case .csv: DelimitedFormatter.writeCSV(result, to: &sink)
        case .tsv: DelimitedFormatter.writeTSV(result, to: &sink)
        case .json: JSONFormatter.write(result, lines: false, to: &sink)
        case .jsonl: JSONFormatter.write(result, lines: true, to: &sink)
        case .markdown: TableFormatter.writeMarkdown(result, to: &sink)
        }
    }
}
