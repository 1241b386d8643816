/// The kinds of report `report KIND` knows. A new kind is a `ReportDefinition` in a file of its
/// own and one line here.
enum ReportRegistry {
    static let all: [any ReportDefinition.Type] = [
        FunnelReport.self,
        ForecastReport.self,
        ActivityReport.self,
        DashboardReport.self,
        AttributionReport.self,
        WonReport.self,
    ]

    static var names: [String] { all.map { $0.name } }

    static func definition(named name: String) -> (any ReportDefinition.Type)? {
        all.first { $0.name == name.lowercased() }
    }
}
