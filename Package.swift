// swift-tools-version:6.1
import Foundation
import PackageDescription

let package = Package(
    name: "Lapse",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lapse", targets: ["lapse"]),
        .library(name: "LapseCore", targets: ["LapseCore"]),
        .library(name: "LapseStore", targets: ["LapseStore"]),
        .library(name: "LapsePostgres", targets: ["LapsePostgres"]),
        .library(name: "LapseReports", targets: ["LapseReports"]),
        .library(name: "LapseApp", targets: ["LapseApp"]),
        .library(name: "LapseCLI", targets: ["LapseCLI"]),
        .library(name: "LapseServer", targets: ["LapseServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Domain model, EventTime, the timeline and the regulatory rules: Foundation only, no SQL.
        .target(name: "LapseCore", resources: [.copy("Rules")]),
        // The embedded SQLite store (system libsqlite3 through GRDB).
        .target(
            name: "LapseStore",
            dependencies: ["LapseCore", "CSQLiteTuning", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]
        ),
        // The PostgreSQL store (postgres-nio): the same contract over a shared database server.
        .target(
            name: "LapsePostgres",
            dependencies: [
                "LapseCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // SQLite settings that only C can make (sqlite3_config is variadic).
        .target(name: "CSQLiteTuning", linkerSettings: [.linkedLibrary("sqlite3")]),
        // Reports (Markdown, HTML with SVG, JSON, CSV) from plain model values.
        .target(
            name: "LapseReports",
            dependencies: ["LapseCore", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // The application layer: one type per use case, over the store contract (LapseCore/Store).
        // Front ends (the CLI, later a server) call it; it never sees GRDB or a concrete store.
        .target(name: "LapseApp", dependencies: ["LapseCore", "LapseReports", .product(name: "Yams", package: "Yams")]),
        // `lapse serve`: the HTTP API and the web app, a front end over the application layer.
        .target(
            name: "LapseServer",
            dependencies: [
                "LapseCore", "LapseApp", "LapseReports",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        // The commands, as a library so tests can run them.
        .target(
            name: "LapseCLI",
            dependencies: [
                "LapseCore", "LapseApp", "LapseStore", "LapsePostgres", "LapseReports", "LapseServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "lapse", dependencies: ["LapseCLI", "LapseStore"]),
        // Benchmarks of the engine and the store: `swift run -c release lapse-bench`.
        .executableTarget(name: "lapse-bench", dependencies: ["LapseCLI", "LapseCore", "LapseStore"]),
        .testTarget(
            name: "LapseCoreTests",
            dependencies: ["LapseCore", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")]
        ),
        // A throwaway PostgreSQL cluster for the tests that run against a real server.
        .target(name: "PostgresTestSupport", dependencies: ["LapsePostgres"], path: "Tests/PostgresTestSupport"),
        .testTarget(name: "LapseStoreTests", dependencies: ["LapseStore", "LapsePostgres", "PostgresTestSupport"]),
        .testTarget(name: "LapseAppTests", dependencies: ["LapseApp", "LapseReports", "LapseStore"]),
        .testTarget(
            name: "LapseReportsTests",
            dependencies: ["LapseReports", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")]
        ),
        // Depends on the executable so the concurrency test can run two real `lapse` processes.
        .testTarget(
            name: "LapseServerTests",
            dependencies: ["LapseServer", "LapseStore", "LapseApp", "LapseReports", "PostgresTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "HTTPTypes", package: "swift-http-types")]
        ),
        .testTarget(name: "LapseCLITests", dependencies: ["LapseCLI", "LapseApp", "LapseReports", "PostgresTestSupport", "lapse"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets, declared only for `scripts/fuzz` (LAPSE_FUZZ=1), which builds them with
// -sanitize=fuzzer,address into .build-fuzz: the ordinary build and tests never compile them.
if ProcessInfo.processInfo.environment["LAPSE_FUZZ"] == "1" {
    package.targets.append(.target(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"))
    package.targets.append(.target(name: "LapseFuzzing", dependencies: ["CLibFuzzer", "LapseApp", "LapseCore", "LapseReports", "LapseStore"], path: "Fuzz/LapseFuzzing"))
    for name in ["event-time", "date-pattern", "delimited", "document", "veris", "hibp"] {
        package.targets.append(.executableTarget(name: "fuzz-\(name)", dependencies: ["LapseFuzzing"], path: "Fuzz/fuzz-\(name)"))
    }
}
