import ArgumentParser
import ChaosOracle
import Foundation
import Harness
import Targets

struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Generates a stream, runs the pipeline over it and compares with the oracle.",
    discussion: """
      On a mismatch it prints a readable diff, shrinks the stream to a small failing one, \
      writes it as a scenario file and prints the command that replays it; exit code 1. \
      With --target it holds someone else's pipeline to the oracle instead (docs/targets.md).
      """)

  @OptionGroup var stream: StreamOptions
  @OptionGroup var pipeline: PipelineUnderTestOptions
  @OptionGroup var junit: JUnitOption
  @Option(help: "Feed the stream in this many batches, running after each.") var batches = 1
  @Option(help: "Where a minimized failing scenario is written.") var save = "failures"
  @Option(help: "With --target: time limit for shrinking, in seconds (default 300).")
  var shrinkSeconds: Int?

  func validate() throws {
    guard batches >= 1 else { throw ValidationError("--batches must be >= 1") }
    if let shrinkSeconds, shrinkSeconds < 0 {
      throw ValidationError("--shrink-seconds must be >= 0")
    }
    if pipeline.target == nil, shrinkSeconds != nil {
      throw ValidationError("--shrink-seconds goes with --target")
    }
  }

  func run() throws {
    if let target = pipeline.target { return try runTarget(target) }
    let engine = pipeline.engine ?? .memory
    let engineUnderTest = try engine.underTest()
    let scenario = Scenario(
      name: "verify-seed\(stream.seed)",
      source: .generated(stream.generatorOptions(applyingSwarm: false), swarm: stream.swarm),
      batches: .even(batches))
    let outcome = try Runner.run(scenario, engine: engineUnderTest)
    let label =
      "\(stream.label), \(scenario.batches.count(lineCount: stream.events)) batch(es)"
    let caseName = "\(engine.label) = oracle (\(label))"
    let seconds = outcome.elapsed.inSeconds
    if outcome.comparison.isMatch {
      try junit.write(
        suite: "chaoslake verify",
        [.init(name: caseName, className: "chaoslake.verify", seconds: seconds)])
      print(
        "verify: \(engine.label) matches the oracle (\(label)) in \(outcome.elapsed.secondsText) s")
      return
    }
    print("verify: MISMATCH (\(label))")
    print(outcome.comparison.report(), terminator: "")
    guard let truths = outcome.truths else { throw CLIError.mismatch("mismatch") }
    print("shrinking \(outcome.lines.count) lines …")
    let shrunk = Shrinker.minimize(
      name: scenario.name, lines: outcome.lines, truths: truths, batches: .even(batches),
      engine: engineUnderTest)
    let path = save + "/" + scenario.name + (stream.swarm ? "-swarm" : "") + ".yaml"
    try ScenarioFile.write(shrunk.scenario, to: path)
    print(
      "minimized to \(shrunk.kept) line(s) in \(shrunk.elapsed.secondsText) s "
        + "(\(shrunk.tests) runs): \(path)")
    print("replay: chaoslake replay \(path)")
    try junit.write(
      suite: "chaoslake verify",
      [
        .init(
          name: caseName, className: "chaoslake.verify", seconds: seconds,
          failure: (
            message: "the pipeline differs from the oracle",
            details: outcome.comparison.report() + "replay: chaoslake replay \(path)"
          ))
      ])
    throw CLIError.mismatch("verification failed")
  }

  private func runTarget(_ path: String) throws {
    let verification = try pipeline.targetVerification(path: path)
    let verdict = try verification.verify(
      stream.generatorOptions(), batches: batches, saveDirectory: save,
      shrinkLimit: .seconds(shrinkSeconds ?? 300))
    try junit.write(
      suite: "chaoslake verify --target",
      JUnitReport.TestCase.levels(
        verification.lastRun, target: verification.target.name,
        replay: verdict.scenario.map(verification.replayInvocation)))
    try verdict.exit(at: verification.level)
  }
}

struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Replays a scenario file and compares the pipeline with its expectation.")

  @Argument(help: "The scenario file (YAML).") var file: String
  @OptionGroup var pipeline: PipelineUnderTestOptions
  @OptionGroup var junit: JUnitOption

  func run() throws {
    let scenario = try ScenarioFile.load(path: file)
    if let target = pipeline.target {
      let verification = try pipeline.targetVerification(path: target)
      let verdict = try verification.replay(scenario, source: file)
      try junit.write(
        suite: "chaoslake replay --target",
        JUnitReport.TestCase.levels(
          verification.lastRun, target: verification.target.name,
          replay: verification.replayInvocation(file)))
      return try verdict.exit(at: verification.level)
    }
    let outcome = try Runner.run(scenario, engine: (pipeline.engine ?? .memory).underTest())
    let failure =
      outcome.comparison.isMatch
      ? nil
      : (
        message: "the pipeline differs from the scenario's expectation",
        details: outcome.comparison.report() + "replay: chaoslake replay \(file)"
      )
    try junit.write(
      suite: "chaoslake replay",
      [
        .init(
          name: scenario.name, className: "chaoslake.replay", seconds: outcome.elapsed.inSeconds,
          failure: failure)
      ])
    if outcome.comparison.isMatch {
      print("replay: \(scenario.name) passes (\(outcome.lines.count) lines)")
    } else {
      print("replay: \(scenario.name) FAILS")
      print(outcome.comparison.report(), terminator: "")
      throw CLIError.mismatch("scenario failed")
    }
  }
}

extension TargetVerification.Verdict {
  /// Returns for a pass; throws the exit code of the finding otherwise (1 a history that
  /// differs, 4 a pipeline that failed).
  func exit(at level: ComparisonLevel) throws {
    switch self {
    case .passes: return
    case .differs:
      throw CLIError.mismatch("the target pipeline fails at the \(level.rawValue) level")
    case .pipelineFailed:
      throw CLIError.pipelineFailed(
        "the target pipeline failed: one of its commands exited non-zero")
    }
  }
}
