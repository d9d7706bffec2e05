import Foundation
import FoundationXML
import Testing

/// `verify --target`: other pipelines, described by target files. The dbt and Airflow
/// examples need those tools and run in `make examples-check`; here, chaoslake's own
/// engine driven as a target must pass at the exact level, and bad target files are
/// refused precisely.
@Suite("Verifying other pipelines (targets)", .serialized)
struct TargetTests {
  @Test("chaoslake's own engine, as a target, passes at the exact level")
  func ownEngine() throws {
    let database = try TestDatabase()
    let target = packageRoot.appendingPathComponent("examples/chaoslake-engine/target.yaml")
    let result = try chaoslake(
      [
        "verify", "--target", target.path, "--seed", "8", "--events", "1500", "--profile",
        "heavy", "--batches", "3",
      ], environment: database.environment)
    let output = String(decoding: result.stdout, as: UTF8.self)
    #expect(result.status == 0, "\(output)\(result.stderr)")
    #expect(output.contains("ok   exact: kept"), "\(output)")
    #expect(output.contains("0 lost, 0 invented"), "\(output)")
  }

  /// A target that keeps only each product's first accepted version, so every later one is
  /// lost: chaoslake's own engine, with a history query that drops the rest. Delivered
  /// through raw, or by a command that runs `chaoslake ingest`.
  static func firstVersionOnly(in directory: URL, deliverByCommand: Bool = false) throws -> URL {
    let target = directory.appendingPathComponent("first-only.yaml")
    let deliver =
      deliverByCommand
      ? "deliver:\n  command: '\"$CHAOSLAKE\" ingest \"$CHAOSLAKE_BATCH_FILE\"'"
      : "deliver: raw_events"
    try """
    name: first version only
    \(deliver)
    run: '"$CHAOSLAKE" run'
    compare: versions
    queries:
      history: |
        select product_id, price, category, is_deleted, valid_from, valid_to
        from chaoslake.product_history where version = 1
    """.write(to: target, atomically: true, encoding: .utf8)
    return target
  }

  @Test("a target whose pipeline loses a version fails, shrinks and names the lost version")
  func losingTarget() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = try Self.firstVersionOnly(in: directory, deliverByCommand: true)
    let failures = directory.appendingPathComponent("failures")
    let result = try chaoslake(
      [
        "verify", "--target", target.path, "--seed", "2", "--events", "300", "--save",
        failures.path, "--shrink-seconds", "120",
      ], environment: database.environment)
    let output = String(decoding: result.stdout, as: UTF8.self)
    #expect(result.status == 1, "\(output)\(result.stderr)")
    #expect(output.contains("FAIL versions:"), "\(output)")
    #expect(output.contains("lost: product"), "\(output)")
    #expect(output.contains("300 events, profile default, 1 batch(es)"), "\(output)")
    // Named after the target and the profile, so other runs do not overwrite it.
    let scenario = failures.appendingPathComponent("target-first-version-only-default-seed2.yaml")
    let text = try String(contentsOf: scenario, encoding: .utf8)
    let lines = text.split(separator: "\n").filter { $0.hasPrefix("  - ") }
    #expect(lines.count == 2, "a creation and one change are the least that lose a version")
    let replay = try chaoslake(
      ["replay", "--target", target.path, scenario.path], environment: database.environment)
    #expect(replay.status == 1)
  }

  @Test("a history with NULLs is compared and shown as NULL; an unreadable row is named")
  func nullsInTheHistory() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    func target(_ name: String, _ query: String) throws -> URL {
      let file = directory.appendingPathComponent(name)
      try """
      name: \(name)
      deliver: raw_events
      run: '"$CHAOSLAKE" run'
      compare: exact
      queries:
        history: |
      \(query.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
      """.write(to: file, atomically: true, encoding: .utf8)
      return file
    }
    // Every later version loses its category: a wrong output, not a failure to read.
    let nulls = try target(
      "nulls.yaml",
      """
      select product_id, price, case when version = 1 then category end as category,
        is_deleted, valid_from, valid_to
      from chaoslake.product_history
      """)
    let arguments = [
      "--seed", "4", "--events", "200", "--profile", "none", "--shrink-seconds", "0", "--save",
      directory.appendingPathComponent("failures").path,
    ]
    let result = try chaoslake(
      ["verify", "--target", nulls.path] + arguments, environment: database.environment)
    let output = String(decoding: result.stdout, as: UTF8.self)
    #expect(result.status == 1, "\(output)\(result.stderr)")
    #expect(output.contains("FAIL exact:"), "\(output)")
    #expect(output.contains(" NULL from "), "an invented version shows its NULL: \(output)")
    #expect(!result.stderr.contains("expected text"), "\(result.stderr)")
    // A row without a product cannot be compared: its position and column are named.
    let noProduct = try target(
      "no-product.yaml",
      """
      select null::bigint as product_id, price, category, is_deleted, valid_from, valid_to
      from chaoslake.product_history
      """)
    let broken = try chaoslake(
      ["verify", "--target", noProduct.path] + arguments, environment: database.environment)
    let brokenOutput = String(decoding: broken.stdout, as: UTF8.self)
    #expect(broken.status == 4, "a pipeline failure: \(brokenOutput)\(broken.stderr)")
    #expect(
      brokenOutput.contains("history query, row 1: column 0 (product_id)"), "\(brokenOutput)")
  }

  @Test("a pipeline that fails is shrunk to the line that makes it fail: exit 4")
  func pipelineFailureShrunk() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // Stands in for a dbt model that cannot cast a value: any batch with a discontinuation.
    let target = directory.appendingPathComponent("fragile.yaml")
    try """
    name: fragile
    deliver: raw_events
    run: >-
      if grep -q product_discontinued "$CHAOSLAKE_BATCH_FILE"; then
      printf '\\033[31mcannot read a discontinuation\\033[0m\\n' >&2; exit 1; fi;
      "$CHAOSLAKE" run
    compare: final
    queries:
      history: |
        select product_id, price, category, is_deleted, valid_from, valid_to
        from chaoslake.product_history
    """.write(to: target, atomically: true, encoding: .utf8)
    let failures = directory.appendingPathComponent("failures")
    let result = try chaoslake(
      [
        "verify", "--target", target.path, "--seed", "3", "--events", "300", "--save",
        failures.path, "--shrink-seconds", "120",
      ], environment: database.environment)
    let output = String(decoding: result.stdout, as: UTF8.self)
    #expect(result.status == 4, "\(output)\(result.stderr)")
    #expect(output.contains("the pipeline failed on the whole stream"), "\(output)")
    #expect(output.contains("cannot read a discontinuation"), "\(output)")
    let scenario = failures.appendingPathComponent("target-fragile-default-seed3.yaml")
    let text = try String(contentsOf: scenario, encoding: .utf8)
    let kept = text.split(separator: "\n").filter { $0.hasPrefix("  - ") }
    #expect(kept.count == 1, "one discontinuation is enough: \(kept)")
    #expect(kept.first?.contains("product_discontinued") == true)
    #expect(text.contains("cannot read a discontinuation"), "the output tail is kept")
    // The command itself shows its printf; the output after it comes without colours.
    let tail = text.components(separatedBy: "its last output:").last ?? ""
    #expect(tail.contains("cannot read a discontinuation") && !tail.contains("[31m"), "\(tail)")
    let replay = try chaoslake(
      ["replay", "--target", target.path, scenario.path], environment: database.environment)
    #expect(replay.status == 4, "\(replay.stderr)")
  }

  @Test("a tool the target needs is missing: our failure, exit 3, nothing saved")
  func harnessFailureStops() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("missing-tool.yaml")
    try """
    name: missing tool
    deliver: raw_events
    run: chaoslake-no-such-tool --run
    queries:
      history: select 1 as product_id
    """.write(to: target, atomically: true, encoding: .utf8)
    let failures = directory.appendingPathComponent("failures")
    let result = try chaoslake(
      [
        "verify", "--target", target.path, "--seed", "3", "--events", "50", "--save",
        failures.path,
      ], environment: database.environment)
    #expect(result.status == 3, "\(result.stderr)")
    #expect(result.stderr.contains("nothing saved"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: failures.path), "no scenario was written")
  }

  @Test("--junit: a case per comparison level, per data test, with failures and the replay")
  func junitReports() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = try Self.firstVersionOnly(in: directory)
    let verifyReport = directory.appendingPathComponent("verify.xml")
    let verify = try chaoslake(
      [
        "verify", "--target", target.path, "--seed", "2", "--events", "150", "--profile", "none",
        "--shrink-seconds", "0", "--save", directory.appendingPathComponent("failures").path,
        "--junit", verifyReport.path,
      ], environment: database.environment)
    #expect(verify.status == 1, "\(verify.stderr)")
    let levels = try XMLDocument(contentsOf: verifyReport, options: [])
    let cases = try levels.nodes(forXPath: "//testcase")
    #expect(cases.count == 3, "exact, versions, final")
    #expect(try levels.nodes(forXPath: "//testcase/failure").count >= 2)
    let failureText = try levels.nodes(forXPath: "//failure").map { $0.stringValue ?? "" }
    #expect(failureText.contains { $0.contains("chaoslake replay --target") }, "\(failureText)")

    let testReport = directory.appendingPathComponent("test.xml")
    let test = try chaoslake(
      ["test", "--junit", testReport.path], environment: database.environment)
    #expect(test.status == 0, "\(test.stderr)")
    let dataTests = try XMLDocument(contentsOf: testReport, options: [])
    #expect(try dataTests.nodes(forXPath: "//testcase").count >= 10)
    #expect(try dataTests.nodes(forXPath: "//failure").isEmpty)
  }

  @Test("--shrink-seconds 0 writes the whole failing stream, unshrunk, and says so")
  func noShrinking() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = try Self.firstVersionOnly(in: directory)
    let failures = directory.appendingPathComponent("failures")
    let result = try chaoslake(
      [
        "verify", "--target", target.path, "--seed", "2", "--events", "120", "--profile", "none",
        "--save", failures.path, "--shrink-seconds", "0",
      ], environment: database.environment)
    let output = String(decoding: result.stdout, as: UTF8.self)
    #expect(result.status == 1, "\(output)\(result.stderr)")
    #expect(output.contains("not shrunk (--shrink-seconds 0): 120 line(s)"), "\(output)")
    #expect(!output.contains("minimized"), "\(output)")
    #expect(!result.stderr.contains("test 1:"), "no candidate was run: \(result.stderr)")
    let scenario = failures.appendingPathComponent("target-first-version-only-none-seed2.yaml")
    let text = try String(contentsOf: scenario, encoding: .utf8)
    #expect(text.split(separator: "\n").filter { $0.hasPrefix("  - ") }.count == 120)
  }

  @Test(
    "a bad target file is refused with its line and key",
    arguments: [
      ("run: x\nqueries: {history: 'select 1'}\n", "t.yaml:1: missing key 'deliver'"),
      (
        "deliver: raw_event\nrun: x\nqueries: {history: 'select 1'}\n",
        "t.yaml:1: 'deliver': expected raw_events or {command: …}"
      ),
      (
        "deliver: raw_events\nrun: x\nqueries: {history: 'select 1'}\ncompare: strict\n",
        "t.yaml:4: 'compare': expected exact, versions or final"
      ),
      (
        "deliver: raw_events\nrun: x\nqueries: {histroy: 'select 1'}\n",
        "t.yaml:3: 'queries.histroy': unknown key"
      ),
      (
        "deliver: {cmd: x}\nrun: x\nqueries: {history: 'select 1'}\n",
        "t.yaml:1: 'deliver.cmd': unknown key"
      ),
    ])
  func badTargetFile(yaml: String, message: String) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("t.yaml")
    try yaml.write(to: target, atomically: true, encoding: .utf8)
    let result = try chaoslake(["verify", "--target", target.path, "--seed", "1", "--events", "5"])
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
  }
}
