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
        .executableTarget(
            name: "crmq",
            dependencies: [
                "CrmqEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CrmqEngineTests",
            dependencies: ["CrmqEngine"]
        ),
    ]
)
