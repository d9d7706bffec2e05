// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "chaoslake",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "chaoslake", targets: ["chaoslake"]),
    .library(name: "ChaosOracle", targets: ["ChaosOracle"]),
    .library(name: "Pipeline", targets: ["Pipeline"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
  ],
  targets: [
    // libpq, found through pkg-config (Debian: libpq-dev).
    .systemLibrary(
      name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
    // A thin Swift API over libpq: connect, parameterized statements, COPY, errors, notices.
    .target(
      name: "PostgresClient",
      dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")]
    ),
    // posix_spawn with inherited descriptors closed (Foundation's Process can hang on
    // pg_ctl, whose daemon would inherit the pipe Process watches).
    .target(name: "CProcess"),
    // The throwaway local PostgreSQL cluster: initdb, pg_ctl, Unix socket only.
    .target(name: "LocalCluster", dependencies: ["CProcess"]),
    // The export file contract (CSV dialect, columns, number and time formats) shared by
    // every producer of the five files: the oracle and each pipeline engine.
    .target(name: "ExportFormat"),
    // Seeded world model, chaos injector and oracle. Never imports the pipeline.
    .target(
      name: "ChaosOracle",
      dependencies: [
        "ExportFormat",
        .product(name: "HeapModule", package: "swift-collections"),
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    // The pipeline core. Never imports the oracle: it must work on data no oracle knows.
    .target(
      name: "Pipeline", dependencies: ["ExportFormat", "PostgresClient"],
      resources: [.copy("SQL")]),
    // The self-contained HTML report of a run (and of a verification), from export files.
    .target(name: "Report", dependencies: ["ExportFormat"]),
    // Scenario files, the generate → pipeline → compare runner, the diff and the shrinker.
    // The one place that imports both sides.
    .target(
      name: "Harness",
      dependencies: [
        "ChaosOracle", "ExportFormat", "Pipeline", "PostgresClient",
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .executableTarget(
      name: "chaoslake",
      dependencies: [
        "ChaosOracle",
        "Harness",
        "LocalCluster",
        "Pipeline",
        "PostgresClient",
        "Report",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .testTarget(
      name: "PropertyTests",
      dependencies: [
        "ChaosOracle",
        "Harness",
        "ExportFormat",
        "Pipeline",
        "Report",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    .testTarget(
      name: "IntegrationTests",
      dependencies: [
        "ChaosOracle", "ExportFormat", "Harness", "LocalCluster", "Pipeline", "PostgresClient",
        "Report",
      ]
    ),
  ]
)
