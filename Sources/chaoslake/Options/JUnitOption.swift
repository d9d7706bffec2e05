import ArgumentParser
import ExportFormat
import Harness
import Targets
import Warehouse

/// `--junit FILE`: the command's results also as JUnit XML, for CI systems.
struct JUnitOption: ParsableArguments {
  @Option(
    name: .customLong("junit"),
    help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "file"))
  var path: String?

  /// Writes the report when `--junit` was given.
  func write(suite: String, _ cases: @autoclosure () -> [JUnitReport.TestCase]) throws {
    guard let path else { return }
    try JUnitReport(suiteName: suite, cases: cases()).write(to: path)
  }
}

extension JUnitReport.TestCase {
  /// One case per data test; a failing warning passes, with the warning as its output.
  static func dataTests(_ results: [DataTestResult]) -> [Self] {
    results.map { result in
      let rows = "\(result.failures) failing row(s)"
      let details = result.failingRows.joined(separator: "\n")
      switch (result.passed, result.severity) {
      case (true, _):
        return Self(name: result.test, className: "chaoslake.data_tests")
      case (false, .warn):
        return Self(
          name: result.test, className: "chaoslake.data_tests", output: "warn: \(rows)\n\(details)")
      case (false, .error):
        return Self(
          name: result.test, className: "chaoslake.data_tests",
          failure: (message: rows, details: details))
      }
    }
  }

  /// One case per comparison level of a target pipeline's last run (or one for the run,
  /// when the pipeline failed); failures carry the replay command.
  static func levels(_ run: TargetVerification.LastRun, target: String, replay: String?) -> [Self] {
    let className = "chaoslake.verify." + target
    let hint = replay.map { "\n" + $0 } ?? ""
    if let failure = run.pipelineFailure {
      return [
        Self(
          name: "pipeline runs", className: className,
          failure: (message: "the pipeline failed", details: failure + hint))
      ]
    }
    return run.levels.map { result in
      let lost = result.lost.prefix(20).map {
        "lost: product \($0.productID) v\($0.version) from \($0.validFrom.exportText)"
      }
      let invented = result.invented.prefix(20).map {
        "invented: product \($0.productID) \($0.attributes)"
      }
      return Self(
        name: result.level.rawValue, className: className,
        failure: result.passed
          ? nil
          : (message: result.summary, details: (lost + invented).joined(separator: "\n") + hint))
    }
  }
}
