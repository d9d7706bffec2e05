import ArgumentParser
import ChaosOracle
import ExportFormat
import Foundation
import Harness
import Targets

extension ComparisonLevel: ExpressibleByArgument {}

/// `verify --target` and `replay --target`: someone else's pipeline held to the oracle.
struct TargetVerification {
  var targetPath: String
  var level: ComparisonLevel?

  func loadTarget() throws -> TargetFile {
    do { return try TargetFile.load(path: targetPath) } catch {
      throw CLIError.badInput("\(error)")
    }
  }

  func runner(_ target: TargetFile) throws -> TargetRunner {
    let conninfo = try ConnectionSettings.resolve()
    return TargetRunner(target: target, conninfo: conninfo, chaoslakePath: Self.executablePath)
  }

  /// Runs the target once and reports every level; returns the result at the chosen one.
  func check(
    _ runner: TargetRunner, lines: [[UInt8]], runAfter: [Int], expected: [HistoryRow],
    level: ComparisonLevel, verbose: Bool
  ) throws -> LevelResult {
    let actual = try runner.run(lines: lines, runAfter: runAfter)
    let results = ComparisonLevel.allCases.map {
      HistoryLevels.compare(expected: expected, actual: actual, level: $0)
    }
    if verbose {
      for result in results {
        print("  \(result.passed ? "ok  " : "FAIL") \(result.summary)")
      }
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
        "  invented: product \(version.productID) \(version.attributes.price.exportText) "
        + "\(version.attributes.category)\(version.attributes.isDeleted ? " (deleted)" : "") "
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

  /// This executable, for target commands that call chaoslake itself.
  static var executablePath: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
  }
}

extension Verify {
  /// `verify --target`: generate → the target pipeline, batch by batch → compare at every
  /// level → on failure, shrink by re-running the pipeline on candidate sub-streams.
  func runTarget(_ path: String) throws {
    let verification = TargetVerification(targetPath: path, level: compare)
    let target = try verification.loadTarget()
    let level = compare ?? target.compare
    let runner = try verification.runner(target)
    var options = GeneratorOptions(
      seed: seed, events: events, products: products, days: days,
      profile: try ChaosProfile.resolve(profile))
    if swarm { options.profile = options.profile.swarm(seed: seed) }
    let deliveries = Array(StreamGenerator(options: options))
    let lines = deliveries.map(\.bytes)
    let truths = deliveries.map(\.truth)
    let batchPlan = Scenario.Batches.even(batches)
    let clock = ContinuousClock()
    let start = clock.now
    print("verify: \(target.name) (\(path)), seed \(seed), \(events) events, \(batches) batch(es)")
    let result = try verification.check(
      runner, lines: lines, runAfter: batchPlan.ends(lineCount: lines.count),
      expected: Oracle.predict(truths).history, level: level, verbose: true)
    if result.passed {
      print(
        "verify: the pipeline passes at the \(level.rawValue) level (\(seconds(clock.now - start)) s)"
      )
      return
    }
    print(TargetVerification.details(result, lines: lines), terminator: "")
    print("shrinking \(lines.count) lines, re-running the pipeline (at most \(shrinkSeconds) s) …")
    var tests = 0
    let reduced = Shrinker.ddmin(count: lines.count, timeLimit: .seconds(shrinkSeconds)) {
      indices in
      tests += 1
      let candidate = indices.map { lines[$0] }
      let expected = Oracle.predict(indices.map { truths[$0] }).history
      let failing: Bool
      do {
        failing = try !verification.check(
          runner, lines: candidate, runAfter: batchPlan.ends(lineCount: candidate.count),
          expected: expected, level: level, verbose: false
        ).passed
      } catch {
        failing = false  // a run that breaks is not the loss being minimized
      }
      FileHandle.standardError.write(
        Data("  test \(tests): \(candidate.count) lines, \(failing ? "fails" : "passes")\n".utf8))
      return failing
    }
    let kept = reduced.indices.map { lines[$0] }
    let prediction = Oracle.predict(reduced.indices.map { truths[$0] })
    let scenario = Scenario(
      name: "target-seed\(seed)",
      description:
        "\(target.name) loses history at the \(level.rawValue) level: minimized from "
        + "\(lines.count) to \(kept.count) lines; expected files are the oracle's prediction",
      source: .explicit(kept), batches: batchPlan, expected: prediction.renderedByName())
    let scenarioPath = save + "/target-seed\(seed).yaml"
    try ScenarioWriter.write(scenario, to: scenarioPath)
    print(
      "minimized to \(kept.count) line(s) in \(seconds(clock.now - start)) s (\(tests) runs of the pipeline): \(scenarioPath)"
    )
    let final = try verification.check(
      runner, lines: kept, runAfter: batchPlan.ends(lineCount: kept.count),
      expected: prediction.history, level: level, verbose: true)
    print(TargetVerification.details(final, lines: kept), terminator: "")
    print("replay: chaoslake replay --target \(path) --compare \(level.rawValue) \(scenarioPath)")
    throw CLIError.mismatch("the target pipeline fails at the \(level.rawValue) level")
  }
}

extension Replay {
  /// `replay --target`: the scenario's lines through the target, held to its history.csv.
  func runTarget(_ path: String, scenario: Scenario) throws {
    let verification = TargetVerification(targetPath: path, level: compare)
    let target = try verification.loadTarget()
    let level = compare ?? target.compare
    guard let historyText = scenario.expected["history.csv"] else {
      throw CLIError.badInput("\(file): replay --target needs an expected history.csv")
    }
    let expected: [HistoryRow]
    do {
      expected = try ExportFiles.read(texts: ["history.csv": historyText], source: file).history
    } catch {
      throw CLIError.badInput("\(error)")
    }
    let (lines, _) = scenario.deliveries()
    print("replay: \(scenario.name) through \(target.name) (\(lines.count) lines)")
    let result = try verification.check(
      try verification.runner(target), lines: lines,
      runAfter: scenario.batches.ends(lineCount: lines.count), expected: expected, level: level,
      verbose: true)
    guard result.passed else {
      print(TargetVerification.details(result, lines: lines), terminator: "")
      throw CLIError.mismatch("the target pipeline fails at the \(level.rawValue) level")
    }
    print("replay: passes at the \(level.rawValue) level")
  }
}
