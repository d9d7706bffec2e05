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
  }
}

extension PostgresEngine {
  /// Runs `09_data_tests` for the current run and reads back its results.
  func runTests(models: [Model]) throws -> [DataTestResult] {
    guard let tests = models.first(where: { $0.name == Self.dataTestsModel }) else { return [] }
    try connection.executeScript(tests.sql)
    return try connection.execute(
      """
      select test, severity, failures, passed from data_test_results
      where run_id = (select run_id from run_context) order by test
      """
    ).rows.map(DataTestResult.init(row:))
  }

  /// The data-test results of the latest run that has any.
  public func lastDataTests() throws -> [DataTestResult] {
    try connection.execute(
      """
      select test, severity, failures, passed from data_test_results
      where run_id = (select max(run_id) from data_test_results) order by test
      """
    ).rows.map(DataTestResult.init(row:))
  }
}
