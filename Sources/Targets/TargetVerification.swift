import ChaosOracle
import ExportFormat
import Foundation
import Harness

/// `verify --target` and `replay --target`: someone else's pipeline held to the oracle.
///
/// Generates (or replays) a stream, feeds it to the pipeline a target file describes batch
/// by batch, compares the history it reports at every level and, on a failure, shrinks the
/// stream by re-running the pipeline on candidate sub-streams. Progress goes to `report`
/// (a result line at a time) and `progress` (one line per shrink candidate).
package struct TargetVerification {
  /// The outcome of a verification or a replay.
  package enum Verdict: Equatable, Sendable {
    /// The pipeline passes at the chosen level.
    case passes
    /// It fails; `scenario` is the minimized scenario file written, when there is one.
    case fails(scenario: String?)
  }

  package let target: TargetFile
  package let level: ComparisonLevel
  let runner: TargetRunner
  let report: (String) -> Void
  let progress: (String) -> Void

  /// Loads the target file at `path`; `level` overrides the file's comparison level.
  /// `conninfo` names the server its scratch databases live on; `chaoslakePath` is handed to
  /// the target's commands as `$CHAOSLAKE`.
  package init(
    path: String, level: ComparisonLevel?, conninfo: String, chaoslakePath: String,
    report: @escaping (String) -> Void, progress: @escaping (String) -> Void
  ) throws {
    target = try TargetFile.load(path: path)
    self.level = level ?? target.compare
    runner = TargetRunner(target: target, conninfo: conninfo, chaoslakePath: chaoslakePath)
    self.report = report
    self.progress = progress
  }

  /// Generates the stream `options` describe, runs it through the pipeline in `batches` and
  /// compares with the oracle; on a failure, shrinks within `shrinkLimit` and writes the
  /// minimized scenario into `saveDirectory`.
  package func verify(
    _ options: GeneratorOptions, batches: Int, saveDirectory: String, shrinkLimit: Duration
  ) throws -> Verdict {
    let deliveries = Array(StreamGenerator(options: options))
    let lines = deliveries.map(\.bytes)
    let truths = deliveries.map(\.truth)
    let batchPlan = Scenario.Batches.even(batches)
    let clock = ContinuousClock()
    let start = clock.now
    report(
      "verify: \(target.name) (\(target.path)), seed \(options.seed), \(options.events) events, "
        + "profile \(options.profile.name), \(batches) batch(es)\n")
    let result = try check(
      lines: lines, batches: batchPlan, expected: Oracle.predict(truths).history, verbose: true)
    if result.passed {
      report(
        "verify: the pipeline passes at the \(level.rawValue) level "
          + "(\((clock.now - start).secondsText) s)\n")
      return .passes
    }
    report(Self.details(result, lines: lines))
    let name = Self.scenarioName(
      target: target.name, profile: options.profile.name, seed: options.seed)
    let scenarioPath = saveDirectory + "/" + name + ".yaml"
    guard shrinkLimit > .zero else {
      // Asked not to shrink: the whole failing stream is the scenario, already checked.
      let scenario = Scenario(
        name: name,
        description:
          "\(target.name) loses history at the \(level.rawValue) level: \(lines.count) lines, "
          + "not shrunk; expected files are the oracle's prediction",
        source: .explicit(lines), batches: batchPlan,
        expected: Oracle.predict(truths).renderedByName())
      try ScenarioFile.write(scenario, to: scenarioPath)
      report("not shrunk (--shrink-seconds 0): \(lines.count) line(s) in \(scenarioPath)\n")
      report(replayCommand(scenarioPath))
      return .fails(scenario: scenarioPath)
    }
    report(
      "shrinking \(lines.count) lines, re-running the pipeline "
        + "(at most \(shrinkLimit.secondsText) s) …\n")
    let shrinkStart = clock.now
    var tests = 0
    let reduced = Shrinker.ddmin(count: lines.count, timeLimit: shrinkLimit) { indices in
      tests += 1
      let candidate = indices.map { lines[$0] }
      let expected = Oracle.predict(indices.map { truths[$0] }).history
      let failing: Bool
      do {
        failing = try !check(
          lines: candidate, batches: batchPlan, expected: expected, verbose: false
        ).passed
      } catch {
        failing = false  // a run that breaks is not the loss being minimized
      }
      progress("  test \(tests): \(candidate.count) lines, \(failing ? "fails" : "passes")\n")
      return failing
    }
    let kept = reduced.indices.map { lines[$0] }
    let prediction = Oracle.predict(reduced.indices.map { truths[$0] })
    let scenario = Scenario(
      name: name,
      description:
        "\(target.name) loses history at the \(level.rawValue) level: minimized from "
        + "\(lines.count) to \(kept.count) lines; expected files are the oracle's prediction",
      source: .explicit(kept), batches: batchPlan, expected: prediction.renderedByName())
    try ScenarioFile.write(scenario, to: scenarioPath)
    report(
      "minimized to \(kept.count) line(s) in \((clock.now - shrinkStart).secondsText) s "
        + "(\(tests) runs of the pipeline): \(scenarioPath)\n")
    let final = try check(
      lines: kept, batches: batchPlan, expected: prediction.history, verbose: true)
    report(Self.details(final, lines: kept))
    report(replayCommand(scenarioPath))
    return .fails(scenario: scenarioPath)
  }

  private func replayCommand(_ scenarioPath: String) -> String {
    "replay: chaoslake replay --target \(target.path) --compare \(level.rawValue) \(scenarioPath)\n"
  }

  /// `target-<target>-<profile>-seed<N>`, each part reduced to lower-case letters, digits
  /// and dashes, so runs with other targets or profiles do not overwrite each other.
  static func scenarioName(target: String, profile: String, seed: UInt64) -> String {
    func slug(_ text: String) -> String {
      var result = ""
      for scalar in text.lowercased().unicodeScalars {
        if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
          result.unicodeScalars.append(scalar)
        } else if !result.isEmpty, result.last != "-" {
          result += "-"
        }
      }
      while result.last == "-" { result.removeLast() }
      return result.isEmpty ? "x" : result
    }
    return "target-\(slug(target))-\(slug(profile))-seed\(seed)"
  }

  /// Runs the scenario's lines through the pipeline and holds it to the scenario's expected
  /// `history.csv` (`source` names the scenario in messages).
  package func replay(_ scenario: Scenario, source: String) throws -> Verdict {
    guard let historyText = scenario.expected["history.csv"] else {
      throw ScenarioFile.Failure(
        description: "\(source): replay --target needs an expected history.csv")
    }
    let expected = try ExportFiles.read(texts: ["history.csv": historyText], source: source)
      .history
    let (lines, _) = scenario.deliveries()
    report("replay: \(scenario.name) through \(target.name) (\(lines.count) lines)\n")
    let result = try check(
      lines: lines, batches: scenario.batches, expected: expected, verbose: true)
    guard result.passed else {
      report(Self.details(result, lines: lines))
      return .fails(scenario: nil)
    }
    report("replay: passes at the \(level.rawValue) level\n")
    return .passes
  }

  /// Runs the target once and reports every level; returns the result at the chosen one.
  func check(
    lines: [[UInt8]], batches: Scenario.Batches, expected: [HistoryRow], verbose: Bool
  ) throws -> LevelResult {
    let actual = try runner.run(lines: lines, runAfter: batches.ends(lineCount: lines.count))
    let results = ComparisonLevel.allCases.map {
      HistoryLevels.compare(expected: expected, actual: actual, level: $0)
    }
    if verbose {
      for result in results { report("  \(result.passed ? "ok  " : "FAIL") \(result.summary)\n") }
    }
    return results.first { $0.level == level } ?? results[0]
  }

  /// The first lost and invented versions, with the delivered lines that caused them.
  static func details(_ result: LevelResult, lines: [[UInt8]], limit: Int = 5) -> String {
    var text = ""
    for row in result.lost.prefix(limit) {
      let from = row.validFrom.exportText
      let causes = linesMentioning(row.eventID, in: lines).prefix(3)
        .map { "line \($0 + 1)" }.joined(separator: ", ")
      text +=
        "  lost: product \(row.productID) v\(row.version) \(row.attributes.price.exportText) "
        + "\(row.attributes.category)\(row.attributes.isDeleted ? " (deleted)" : "") "
        + "from \(from), caused by \(causes.isEmpty ? "event \(row.eventID)" : causes)\n"
    }
    if result.lost.count > limit { text += "  … and \(result.lost.count - limit) more lost\n" }
    for version in result.invented.prefix(limit) {
      text +=
        "  invented: product \(version.productID) \(version.attributes) "
        + "from \(version.validFrom?.exportText ?? "?")\n"
    }
    if result.invented.count > limit {
      text += "  … and \(result.invented.count - limit) more invented\n"
    }
    return text
  }

  /// Indices of the lines holding `eventID` (any case).
  static func linesMentioning(_ eventID: String, in lines: [[UInt8]]) -> [Int] {
    let needle = Array(eventID.lowercased().utf8)
    return lines.indices.filter { index in
      let lowered = lines[index].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
      return lowered.firstRange(of: needle) != nil
    }
  }
}
