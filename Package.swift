// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "crmq",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "crmq", targets: ["crmq"]),
        .library(name: "CrmqEngine", targets: ["CrmqEngine"]),
    ],
    dependencies: [
        // The command line's flags, help and exit codes: the one library every Swift CLI uses for this.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Lexer -> Parser -> Binder -> Planner -> Executor -> Output, one folder each.
        .target(name: "CrmqEngine"),
        // The system's libedit (BSD editline): line editing, history and completion at the prompt.
        // Only the command line links it; the engine stays free of terminal concerns.
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .executableTarget(
            name: "crmq",
            dependencies: [
                "CrmqEngine",
                "CLibEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The benchmark driver: scale-1 data, CSV export for the peers, warm in-process timings.
        .executableTarget(name: "crmq-bench", dependencies: ["CrmqEngine"]),
        .testTarget(
            name: "CrmqEngineTests",
            dependencies: ["CrmqEngine"]
        ),
    ]
)

// The libFuzzer targets (scripts/fuzz), declared only when CRMQ_FUZZ is set: libFuzzer supplies
// their `main`, so they link only with --sanitize=fuzzer, and the normal build never sees them.
if Context.environment["CRMQ_FUZZ"] != nil {
    for name in ["statement", "structured", "snapshot", "journal", "csv", "vcard"] {
        package.targets.append(.executableTarget(name: "fuzz-\(name)", dependencies: ["CrmqEngine"],
                                                 path: "Sources/fuzz/\(name)"))
        package.products.append(.executable(name: "fuzz-\(name)", targets: ["fuzz-\(name)"]))
    }
}
