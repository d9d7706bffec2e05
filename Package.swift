// swift-tools-version:6.0
import PackageDescription

// Linux only: the PostgreSQL side spawns server processes with glibc's posix_spawn
// extensions and drops root with runuser. Nothing here is built or tested on other systems.
let package = Package(
  name: "chaoslake",
  products: [
    .executable(name: "chaoslake", targets: ["chaoslake"]),
    .library(name: "ChaosOracle", targets: ["ChaosOracle"]),
    .library(name: "Pipeline", targets: ["Pipeline"]),
    .library(name: "Warehouse", targets: ["Warehouse"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
  ],
  targets: [
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
    // The pipeline core: reading, rules, SCD2 history, marts and the in-memory engine.
    // Pure Swift, no database. Never imports the oracle: it must work on data no oracle knows.
    .target(name: "Pipeline", dependencies: ["ExportFormat"]),
    // libpq, found through pkg-config (Debian: libpq-dev).
    .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
    // A thin Swift API over libpq: connect, parameterized statements, typed rows, COPY,
    // errors, notices.
    .target(
      name: "PostgresClient",
      dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")]
    ),
    // The PostgreSQL engine: migrations, ingest into raw, the SQL models, export from the
    // database and point-in-time queries. Reuses the pipeline's reading rules at ingest.
    .target(
      name: "Warehouse", dependencies: ["ExportFormat", "Pipeline", "PostgresClient"],
      resources: [.copy("SQL")]),
    // posix_spawn with inherited descriptors closed (Foundation's Process can hang on
    // pg_ctl, whose daemon would inherit the pipe Process watches).
    .target(name: "CProcess"),
    // The throwaway local PostgreSQL cluster: initdb, pg_ctl, Unix socket only.
    .target(name: "LocalCluster", dependencies: ["CProcess"]),
    // The self-contained HTML report of a run (and of a verification), from export files.
    .target(name: "Report", dependencies: ["ExportFormat"]),
    // Scenario files, the generate → pipeline → compare runner, the diff and the shrinker.
    // The one library that imports both the oracle and the pipeline; engines are plugged in
    // as closures, so it needs no database.
    .target(
      name: "Harness",
      dependencies: [
        "ChaosOracle", "ExportFormat", "Pipeline", .product(name: "Yams", package: "Yams"),
      ]
    ),
    // Verifying someone else's pipeline: target files, running the pipeline's commands
    // batch by batch against a scratch database, reading its history back.
    .target(
      name: "Targets",
      dependencies: [
        "ChaosOracle", "ExportFormat", "Harness", "Pipeline", "PostgresClient", "Warehouse",
      ]
    ),
    .executableTarget(
      name: "chaoslake",
      dependencies: [
        "ChaosOracle", "ExportFormat", "Harness", "LocalCluster", "Pipeline", "PostgresClient",
        "Report", "Targets", "Warehouse",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // In-memory specifications; no libpq on their link line.
    .testTarget(
      name: "PropertyTests",
      dependencies: [
        "ChaosOracle", "ExportFormat", "Harness", "Pipeline", "Report",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),
    // Against a real PostgreSQL (the throwaway cluster `make test` starts) and the CLI.
    .testTarget(
      name: "IntegrationTests",
      dependencies: [
        "ChaosOracle", "ExportFormat", "Harness", "LocalCluster", "Pipeline", "PostgresClient",
        "Report", "Targets", "Warehouse",
      ]
    ),
  ]
)
