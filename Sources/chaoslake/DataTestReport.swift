import Warehouse

/// Prints data-test results; throws (exit 1) when a test of severity error failed.
enum DataTestReport {
  static func print(_ results: [DataTestResult]) throws {
    let failed = results.filter { !$0.passed }
    Swift.print("data tests: \(results.count - failed.count) of \(results.count) passed")
    for result in failed {
      Swift.print(
        "  \(result.severity.rawValue.uppercased()) \(result.test): \(result.failures) failing row(s)"
      )
    }
    if failed.contains(where: { $0.severity == .error }) {
      throw CLIError.mismatch("a data test of severity error failed")
    }
  }
}
