import ArgumentParser
import ChaosOracle
import Foundation
import Harness

struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Generates a stream, runs the pipeline over it and compares with the oracle.",
    discussion: """
      On a mismatch it prints a readable diff, shrinks the stream to a small failing one, \
      writes it as a scenario file and prints the command that replays it; exit code 1.
      """)

  @Option(help: "The engine under test: memory or postgres.") var engine = Engine.memory
  @Option(help: "Root seed.") var seed: UInt64
  @Option(help: "Number of delivered lines.") var events: Int
  @Option(help: "Products in the simulated catalog.") var products = 50
  @Option(help: "Simulated days.") var days = 30
  @Option(help: "Chaos profile: a preset name or a YAML file.") var profile = "default"
  @Flag(help: "Keep a random subset of the profile's faults.") var swarm = false
  @Option(help: "Feed the stream in this many batches, running after each.") var batches = 1
  @Option(help: "Where a minimized failing scenario is written.") var save = "failures"
  @Option(help: "Verify someone else's pipeline, described by this target file (YAML).")
  var target: String?
  @Option(help: "With --target: exact, versions or final (default: the target file's).")
  var compare: ComparisonLevel?
  @Option(help: "With --target: time limit for shrinking, in seconds.") var shrinkSeconds = 300

  func validate() throws {
    guard events >= 0 else { throw ValidationError("--events must be >= 0") }
    guard batches >= 1 else { throw ValidationError("--batches must be >= 1") }
    guard products >= 1 else { throw ValidationError("--products must be >= 1") }
    guard (1...GeneratorOptions.maxDays).contains(days) else {
      throw ValidationError("--days must be from 1 to \(GeneratorOptions.maxDays)")
    }
    guard shrinkSeconds >= 0 else { throw ValidationError("--shrink-seconds must be >= 0") }
    if target == nil, compare != nil { throw ValidationError("--compare goes with --target") }
  }

  func run() throws {
    if let target { return try runTarget(target) }
    let engineUnderTest = try engine.underTest()
    let options = GeneratorOptions(
      seed: seed, events: events, products: products, days: days,
      profile: try ChaosProfile.resolve(profile))
    let scenario = Scenario(
      name: "verify-seed\(seed)", source: .generated(options, swarm: swarm),
      batches: .even(batches))
    let outcome = try Runner.run(scenario, engine: engineUnderTest)
    let label =
      "seed \(seed), \(events) events, profile \(profile)\(swarm ? " (swarm)" : ""), \(batches) batch(es)"
    if outcome.comparison.isMatch {
      print(
        "verify: \(engine.label) matches the oracle (\(label)) in \(seconds(outcome.elapsed)) s")
      return
    }
    print("verify: MISMATCH (\(label))")
    print(outcome.comparison.report(), terminator: "")
    guard let truths = outcome.truths else { throw CLIError.mismatch("mismatch") }
    print("shrinking \(outcome.lines.count) lines …")
    let shrunk = Shrinker.minimize(
      name: scenario.name, lines: outcome.lines, truths: truths, batches: .even(batches),
      engine: engineUnderTest)
    let path = save + "/" + scenario.name + (swarm ? "-swarm" : "") + ".yaml"
    try ScenarioWriter.write(shrunk.scenario, to: path)
    print(
      "minimized to \(shrunk.kept) line(s) in \(seconds(shrunk.elapsed)) s (\(shrunk.tests) runs): \(path)"
    )
    print("replay: chaoslake replay \(path)")
    throw CLIError.mismatch("verification failed")
  }
}

struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Replays a scenario file and compares the pipeline with its expectation.")

  @Argument(help: "The scenario file (YAML).") var file: String
  @Option(help: "The engine under test: memory or postgres.") var engine = Engine.memory
  @Option(help: "Replay through someone else's pipeline, described by this target file.")
  var target: String?
  @Option(help: "With --target: exact, versions or final (default: the target file's).")
  var compare: ComparisonLevel?

  func run() throws {
    let scenario: Scenario
    do { scenario = try ScenarioFile.load(path: file) } catch {
      throw CLIError.badInput("\(error)")
    }
    if let target { return try runTarget(target, scenario: scenario) }
    let engineUnderTest = try engine.underTest()
    let outcome = try Runner.run(scenario, engine: engineUnderTest)
    if outcome.comparison.isMatch {
      print("replay: \(scenario.name) passes (\(outcome.lines.count) lines)")
    } else {
      print("replay: \(scenario.name) FAILS")
      print(outcome.comparison.report(), terminator: "")
      throw CLIError.mismatch("scenario failed")
    }
  }
}
