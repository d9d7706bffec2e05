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
    /// The scenario file written for a finding, if any.
    package var scenario: String? {
      switch self {
      case .passes: nil
      case .differs(let path), .pipelineFailed(let path): path
      }
    }

    /// The pipeline passes at the chosen level.
    case passes
    /// Its history differs from the oracle's; `scenario` is the minimized scenario file
    /// written, when there is one.
    case differs(scenario: String?)
    /// One of its commands failed (or its history query did); `scenario` is the smallest
    /// input found that still makes it fail, when one was written.
    case pipelineFailed(scenario: String?)
  }

  /// Our side failed (the server, the setup, a tool the target needs is missing): the
  /// verification stopped at once and saved nothing.
  package struct HarnessFailure: Error, CustomStringConvertible {
    package var description: String
  }

  /// What one run of the pipeline on a candidate stream came to.
  enum Outcome {
    case passes
    case differs(LevelResult)
    /// The failing command (or query), its exit status and the tail of its output.
    case pipelineFailed(String)

    enum Kind { case passes, differs, pipelineFailed }

    var kind: Kind {
      switch self {
      case .passes: .passes
      case .differs: .differs
      case .pipelineFailed: .pipelineFailed
      }
    }
  }

  /// What the last reported run of the pipeline came to (the whole stream, then the
  /// minimized one): every level's result, or the pipeline's failure. For reports.
  package final class LastRun: @unchecked Sendable {
    package var levels: [LevelResult] = []
    package var pipelineFailure: String?
  }

  package let target: TargetFile
  package let level: ComparisonLevel
  package let lastRun = LastRun()
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
  /// compares with the oracle. When the history differs, or the pipeline fails, shrinks the
  /// stream within `shrinkLimit` to a small one with the same outcome and writes it as a
  /// scenario into `saveDirectory`. Throws `HarnessFailure` when our side fails.
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
        + "profile \(options.profile.name), \(batchPlan.count(lineCount: lines.count)) batch(es)\n")
    let first = try check(
      lines: lines, batches: batchPlan, expected: Oracle.predict(truths).history, verbose: true)
    let finding: String
    switch first {
    case .passes:
      report(
        "verify: the pipeline passes at the \(level.rawValue) level "
          + "(\((clock.now - start).secondsText) s)\n")
      return .passes
    case .differs(let result):
      report(Self.details(result, lines: lines))
      finding = "loses history at the \(level.rawValue) level"
    case .pipelineFailed(let failure):
      report("the pipeline failed on the whole stream: \(failure)\n")
      finding = "fails (a command exits non-zero)"
    }
    let name = Self.scenarioName(
      target: target.name, profile: options.profile.name, seed: options.seed)
    let scenarioPath = saveDirectory + "/" + name + ".yaml"
    func verdict(_ path: String?) -> Verdict {
      first.kind == .differs ? .differs(scenario: path) : .pipelineFailed(scenario: path)
    }
    guard shrinkLimit > .zero else {
      // Asked not to shrink: the whole stream is the scenario, already checked.
      try write(
        name: name, description: "\(target.name) \(finding): \(lines.count) lines, not shrunk",
        lines: lines, truths: truths, batches: batchPlan, to: scenarioPath, outcome: first)
      report("not shrunk (--shrink-seconds 0): \(lines.count) line(s) in \(scenarioPath)\n")
      report(replayCommand(scenarioPath))
      return verdict(scenarioPath)
    }
    report(
      "shrinking \(lines.count) lines to the fewest with the same outcome, re-running the "
        + "pipeline (at most \(shrinkLimit.secondsText) s) …\n")
    let shrinkStart = clock.now
    var tests = 0
    var harnessFailure: Error?
    var lastOutcome = first
    let reduced = Shrinker.ddmin(count: lines.count, timeLimit: shrinkLimit) { indices in
      guard harnessFailure == nil else { return false }  // stopping: nothing more is run
      tests += 1
      let candidate = indices.map { lines[$0] }
      let expected = Oracle.predict(indices.map { truths[$0] }).history
      let outcome: Outcome
      do {
        outcome = try check(
          lines: candidate, batches: batchPlan, expected: expected, verbose: false)
      } catch {
        harnessFailure = error
        return false
      }
      // Only the same kind of finding counts: a crash is not the loss being minimized,
      // nor a loss the crash.
      let same = outcome.kind == first.kind
      if same { lastOutcome = outcome }
      progress(
        "  test \(tests): \(candidate.count) lines, "
          + "\(same ? (first.kind == .differs ? "differs" : "the pipeline fails") : "passes")\n")
      return same
    }
    if let harnessFailure { throw harnessFailure }
    let kept = reduced.indices.map { lines[$0] }
    let keptTruths = reduced.indices.map { truths[$0] }
    try write(
      name: name,
      description:
        "\(target.name) \(finding): minimized from \(lines.count) to \(kept.count) lines",
      lines: kept, truths: keptTruths, batches: batchPlan, to: scenarioPath,
      outcome: lastOutcome)
    report(
      "minimized to \(kept.count) line(s) in \((clock.now - shrinkStart).secondsText) s "
        + "(\(tests) runs of the pipeline): \(scenarioPath)\n")
    let final = try check(
      lines: kept, batches: batchPlan, expected: Oracle.predict(keptTruths).history,
      verbose: true)
    switch final {
    case .differs(let result): report(Self.details(result, lines: kept))
    case .pipelineFailed(let failure): report("the pipeline fails: \(failure)\n")
    case .passes: report("the minimized stream passes when run again: the finding is flaky\n")
    }
    report(replayCommand(scenarioPath))
    return verdict(scenarioPath)
  }

  /// Writes a scenario of `lines` whose expected files are the oracle's prediction; a
  /// pipeline failure's command and output tail go into its description.
  private func write(
    name: String, description: String, lines: [[UInt8]], truths: [LineTruth],
    batches: Scenario.Batches, to path: String, outcome: Outcome
  ) throws {
    var text = description + "; expected files are the oracle's prediction"
    if case .pipelineFailed(let failure) = outcome { text += ". The pipeline failed: \(failure)" }
    let scenario = Scenario(
      name: name, description: text, source: .explicit(lines), batches: batches,
      expected: Oracle.predict(truths).renderedByName())
    try ScenarioFile.write(scenario, to: path)
  }

  private func replayCommand(_ scenarioPath: String) -> String {
    "replay: " + replayInvocation(scenarioPath) + "\n"
  }

  /// The command that replays `scenarioPath` through this target at this level.
  package func replayInvocation(_ scenarioPath: String) -> String {
    "chaoslake replay --target \(target.path) --compare \(level.rawValue) \(scenarioPath)"
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
    switch try check(lines: lines, batches: scenario.batches, expected: expected, verbose: true) {
    case .passes:
      report("replay: passes at the \(level.rawValue) level\n")
      return .passes
    case .differs(let result):
      report(Self.details(result, lines: lines))
      return .differs(scenario: nil)
    case .pipelineFailed(let failure):
      report("the pipeline failed: \(failure)\n")
      return .pipelineFailed(scenario: nil)
    }
  }

  /// Runs the target once and, when it runs through, reports every level; the outcome at
  /// the chosen one. The target's own failures (a command exiting non-zero, its history
  /// query failing) are an outcome; ours (the server, the setup, a missing tool) throw
  /// `HarnessFailure`.
  func check(
    lines: [[UInt8]], batches: Scenario.Batches, expected: [HistoryRow], verbose: Bool
  ) throws -> Outcome {
    let actual: [ReportedVersion]
    do {
      actual = try runner.run(lines: lines, runAfter: batches.ends(lineCount: lines.count))
    } catch let failure as ShellCommand.Failure {
      // 126 and 127: the shell could not run the command (missing or not executable).
      guard failure.status != 126, failure.status != 127 else {
        throw HarnessFailure(description: "a command the target needs cannot run: \(failure)")
      }
      if verbose { (lastRun.levels, lastRun.pipelineFailure) = ([], failure.description) }
      return .pipelineFailed(failure.description)
    } catch let failure as TargetRunner.HistoryQueryFailed {
      if verbose { (lastRun.levels, lastRun.pipelineFailure) = ([], failure.description) }
      return .pipelineFailed(failure.description)
    } catch {
      throw HarnessFailure(description: "\(error)")
    }
    let results = ComparisonLevel.allCases.map {
      HistoryLevels.compare(expected: expected, actual: actual, level: $0)
    }
    if verbose {
      for result in results { report("  \(result.passed ? "ok  " : "FAIL") \(result.summary)\n") }
      (lastRun.levels, lastRun.pipelineFailure) = (results, nil)
    }
    let result = results.first { $0.level == level } ?? results[0]
    return result.passed ? .passes : .differs(result)
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
