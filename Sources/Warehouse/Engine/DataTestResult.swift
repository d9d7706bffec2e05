import Foundation
import PostgresClient

/// The result of one data test (dbt style) in one run.
public struct DataTestResult: Sendable, Hashable {
  /// How a failing test counts: `error` fails the run's exit code, `warn` is reported only.
  public enum Severity: String, Sendable, Hashable, CaseIterable {
    case error
    case warn
  }

  public var test: String
  public var severity: Severity
  /// Failing rows.
  public var failures: Int64
  public var passed: Bool
  /// Up to five failing rows, each a JSON object of the test's columns (`{"seq":17}`).
  public var failingRows: [String]

  init(row: QueryResult.Row) throws {
    test = try row.string(0)
    let severityText = try row.string(1)
    guard let severity = Severity(rawValue: severityText) else {
      throw PostgresError(
        kind: .unexpectedResult, message: "data test \(test): unknown severity '\(severityText)'")
    }
    self.severity = severity
    failures = try row.int64(2)
    passed = try row.bool(3)
    failingRows = try row.string(4).split(separator: "\n").map(String.init)
  }
}

/// One data test: a file of `SQL/tests` selecting the rows that fail it, with its severity
/// in a header comment (`-- severity: error` or `-- severity: warn`).
struct DataTest: Sendable {
  var name: String
  var severity: DataTestResult.Severity
  var sql: String

  /// The bundled tests, by name, in their form for `layout`.
  static func bundled(for layout: Layout) throws -> [DataTest] {
    try SQLBundle.files(in: "tests", layout: layout).map { file in
      let header = file.sql.split(separator: "\n").first { $0.hasPrefix("-- severity:") }
      let value = header.map {
        $0.dropFirst("-- severity:".count).trimmingCharacters(in: .whitespaces)
      }
      guard let value, let severity = DataTestResult.Severity(rawValue: value) else {
        throw WarehouseError.dataTestWithoutSeverity(name: file.name)
      }
      var sql = Substring(file.sql)
      while let last = sql.last, last.isWhitespace || last == ";" { sql.removeLast() }
      return DataTest(name: file.name, severity: severity, sql: String(sql))
    }
  }
}

extension PostgresEngine {
  /// Runs every data test for the current run (over what `tested_lines` and
  /// `tested_windows` hold, every version when `everyVersion`) and records and returns the
  /// results.
  func runTests(layout: Layout, everyVersion: Bool) throws -> [DataTestResult] {
    // The versions several tests read (`tested_versions`) are found once, before them.
    let scopeName = everyVersion ? "every_version" : "around_windows"
    guard
      let scope = try SQLBundle.files(in: "test_scope", layout: layout)
        .first(where: { $0.name == scopeName })
    else { throw WarehouseError.missingResources }
    do {
      try connection.executeScript(scope.sql)
    } catch let error as PostgresError {
      throw error.withContext("data test scope \(scope.name)")
    }
    for test in try DataTest.bundled(for: layout) {
      // The test's text is a bundled file, never data; its name and severity are parameters.
      do {
        try record(test)
      } catch let error as PostgresError {
        throw error.withContext("data test \(test.name)")
      }
    }
    return try connection.execute(
      """
      select test, severity, failures, passed, failing_rows from data_test_results
      where run_id = (select run_id from run_context) order by test
      """
    ).rows.map(DataTestResult.init(row:))
  }

  /// Runs one data test and records its result for the current run.
  ///
  /// The test runs as a plain `select`, which PostgreSQL 15 may give parallel workers (never
  /// an `insert ... select`): after a rebuild at 1M lines the version-cause test took 0.26 s
  /// this way against 0.49 s inside the insert. Its count and sample are recorded after it.
  private func record(_ test: DataTest) throws {
    let outcome = try connection.execute(
      """
      with failing as materialized (\(test.sql))
      select
        count(*),
        coalesce(
          (select string_agg(row_to_json(sample)::text, E'\\n')
           from (select * from failing limit 5) as sample), '')
      from failing
      """
    ).singleRow()
    let failures = try outcome.int64(0)
    try connection.execute(
      """
      insert into data_test_results (run_id, test, severity, failures, passed, failing_rows)
      select (select run_id from run_context), $1, $2, $3::bigint, $3::bigint = 0, $4
      """,
      [
        .text(test.name), .text(test.severity.rawValue), .int(failures),
        .text(try outcome.string(1)),
      ])
  }

  /// The data-test results of the latest run that has any.
  public func lastDataTests() throws -> [DataTestResult] {
    try connection.execute(
      """
      select test, severity, failures, passed, failing_rows from data_test_results
      where run_id = (select max(run_id) from data_test_results) order by test
      """
    ).rows.map(DataTestResult.init(row:))
  }
}

extension DataTestResult {
  /// `data tests: N of M passed`, then one line per failing test.
  public static func summary(_ results: [DataTestResult]) -> String {
    let failed = results.filter { !$0.passed }
    var text = "data tests: \(results.count - failed.count) of \(results.count) passed\n"
    for result in failed {
      text +=
        "  \(result.severity.rawValue.uppercased()) \(result.test): "
        + "\(result.failures) failing row(s)\n"
      for row in result.failingRows { text += "    \(row)\n" }
      if result.failures > Int64(result.failingRows.count) {
        text += "    …\n"
      }
    }
    return text
  }

  /// Whether a test of severity `error` failed among `results` (the run's exit code is 1).
  public static func anyErrorFailed(_ results: [DataTestResult]) -> Bool {
    results.contains { !$0.passed && $0.severity == .error }
  }
}
