import ChaosOracle
import Foundation
import PostgresClient
import Testing
import Warehouse

/// The exit codes are a contract: 1 mismatch or failing data test, 2 bad usage or bad input
/// (an unwritable output, a line the models cannot read), 3 database unavailable (also
/// when it goes away mid-run).
@Suite("Exit codes", .serialized)
struct ExitCodeTests {
  static let unreachable: [String: String] = {
    var environment = ProcessInfo.processInfo.environment
    environment["DATABASE_URL"] = "postgresql://nobody@/none?host=/nonexistent-socket-dir"
    return environment
  }()

  @Test("verify --engine postgres with no reachable server: exit 3, 'cannot connect'")
  func verifyUnreachable() throws {
    let result = try chaoslake(
      ["verify", "--engine", "postgres", "--seed", "1", "--events", "50"],
      environment: Self.unreachable)
    #expect(result.status == 3, "\(result.stderr)")
    #expect(result.stderr.contains("cannot connect to PostgreSQL"), "\(result.stderr)")
  }

  /// libpq quotes a connection URL it cannot parse, or the one token it rejects: with the
  /// password in it, unless masked.
  @Test(
    "a connection string libpq refuses: exit 3, and its password nowhere in the output",
    arguments: [
      "postgresql://someone:s3cret-pw@[::1/db", "postgresql://someone:s3cret%zz@host/db",
      "postgresql://someone@[::1/db?password=s3cret-pw",
      "host=/nonexistent-socket-dir password = 's3cret pw' port=notaport",
    ])
  func passwordNeverShown(url: String) throws {
    var environment = ProcessInfo.processInfo.environment
    environment["DATABASE_URL"] = url
    let result = try chaoslake(["run"], environment: environment)
    #expect(result.status == 3, "\(result.stderr)")
    #expect(result.stderr.contains("cannot connect to PostgreSQL"), "\(result.stderr)")
    #expect(!result.stderr.contains("s3cret"), "\(result.stderr)")
  }

  /// Flags that do not go together, or values out of range, are refused while parsing:
  /// with no reachable server the exit is still 2, not 3, so nothing ran first.
  static let refusedUsages: [(arguments: [String], names: String)] = [
    (
      ["run", "--engine", "memory", "--input", "x", "--out", "y", "--full-refresh"],
      "--full-refresh"
    ),
    (["run", "--engine", "memory", "--input", "x", "--out", "y", "--reparse"], "--reparse"),
    (["run", "--engine", "memory", "--input", "x"], "--out"),
    (["run", "--input", "x"], "--input"),
    (["report", "--out", "r.html", "--input", "x"], "--input"),
    (["report", "--engine", "memory", "--out", "r.html"], "--input"),
    (
      ["verify", "--seed", "1", "--events", "5", "--target", "t.yaml", "--engine", "memory"],
      "--engine"
    ),
    (["verify", "--seed", "1", "--events", "5", "--compare", "exact"], "--compare"),
    (["verify", "--seed", "1", "--events", "5", "--shrink-seconds", "5"], "--shrink-seconds"),
    (["verify", "--seed", "1", "--events", "5", "--batches", "0"], "--batches"),
    (["replay", "s.yaml", "--compare", "final"], "--compare"),
    (["ingest", "x.jsonl", "--batch-lines", "0"], "--batch-lines"),
    (["ingest", "/"], "Is a directory"),
    (["generate", "--seed", "1", "--events", "-1"], "--events"),
    (["generate", "--seed", "1", "--events", "5", "--days", "0"], "--days"),
    (
      ["generate", "--seed", "1", "--events", "5", "--profile", "no-such-profile"],
      "no-such-profile"
    ),
    (["price-at", "--product", "1", "--at", "2026-13-01T00:00:00Z"], "--at"),
  ]

  @Test(
    "flags that do not go together are refused before anything runs: exit 2",
    arguments: refusedUsages)
  func refusedUsage(usage: (arguments: [String], names: String)) throws {
    let result = try chaoslake(usage.arguments, environment: Self.unreachable)
    let command = usage.arguments.joined(separator: " ")
    #expect(result.status == 2, "\(command): \(result.stderr)")
    #expect(result.stderr.contains(usage.names), "\(command): \(result.stderr)")
  }

  @Test("every command that writes files exits 2 on an unwritable output")
  func unwritableOutputs() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("in.jsonl")
    try Data(jsonl(seed: 1, events: 20, profile: "default")).write(to: input)
    // A regular file where a directory is needed: no one, root included, can create below it.
    let blocker = directory.appendingPathComponent("blocker")
    try Data("x".utf8).write(to: blocker)
    let nowhere = blocker.appendingPathComponent("out").path
    let commands: [[String]] = [
      ["run", "--engine", "memory", "--input", input.path, "--out", nowhere],
      ["generate", "--seed", "1", "--events", "5", "--out", nowhere + "/s.jsonl"],
      ["generate", "--seed", "1", "--events", "5", "--oracle-dir", nowhere],
      ["report", "--engine", "memory", "--input", input.path, "--out", nowhere + "/r.html"],
    ]
    for arguments in commands {
      let result = try chaoslake(arguments)
      #expect(result.status == 2, "\(arguments.joined(separator: " ")): \(result.stderr)")
      #expect(
        result.stderr.contains(nowhere), "\(arguments.joined(separator: " ")): \(result.stderr)")
    }
  }

  @Test("a run whose server goes away mid-run exits 3")
  func serverGoneMidRun() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("big.jsonl")
    try Data(jsonl(seed: 41, events: 60_000, profile: "default")).write(to: file)
    #expect(try chaoslake(["ingest", file.path], environment: database.environment).status == 0)
    let process = Process()
    process.executableURL = chaoslakeBinary
    process.arguments = ["run"]
    process.environment = database.environment
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    // Wait until the run holds its lock, then end its backend as an operator would.
    let terminated = try database.whileRunHoldsLock(of: process) { holders in
      "select pg_terminate_backend(pid) from (\(holders)) as holders"
    }
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(terminated, "the run was seen holding its lock")
    #expect(process.terminationStatus == 3, "\(stderr)")
    #expect(stderr.contains("PostgreSQL connection failed"), "\(stderr)")
  }

  @Test(
    "a run that fails on a line's data names its seq and model, exits 2, keeps the state")
  func dataFailureLocated() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("l.jsonl")
    try Data(jsonl(seed: 42, events: 200, profile: "default")).write(to: file)
    #expect(try chaoslake(["ingest", file.path], environment: database.environment).status == 0)
    // Stands in for an expression that is not total: the line_exceptions model raises on the first
    // line staging already found invalid (its exception is written by that model).
    let invalid = try database.connection.execute(
      "select min(seq) from stg_events where not is_json or content_reason is not null"
    ).scalarInt64()
    try database.refuseInserts(into: "line_exceptions", seq: invalid, as: .dataError)
    let result = try chaoslake(["run"], environment: database.environment)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("raw line seq \(invalid)"), "\(result.stderr)")
    #expect(result.stderr.contains("model 30_line_exceptions"), "\(result.stderr)")
    #expect(try database.connection.execute("select count(*) from line_status").scalarInt64() == 0)
    #expect(
      try database.connection.execute("select count(*) from line_exceptions").scalarInt64() == 0)
    let failed = try database.connection.execute(
      "select count(*) from pipeline_runs where status = 'failed'"
    ).scalarInt64()
    #expect(failed == 1)
  }
}
