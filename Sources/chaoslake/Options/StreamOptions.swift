import ArgumentParser
import ChaosOracle

/// The options that describe a generated stream, shared by `generate` and `verify`.
struct StreamOptions: ParsableArguments {
  @Option(help: "Root seed of every random choice.") var seed: UInt64
  @Option(help: "Number of delivered lines.") var events: Int
  @Option(help: "Products in the simulated catalog.") var products = 50
  @Option(help: "Simulated days, from 2026-01-01T00:00:00Z.") var days = 30
  @Option(
    help: ArgumentHelp(
      "Chaos profile: a preset (\(ChaosProfile.presetNames.joined(separator: ", "))) or a YAML file (default: default).",
      valueName: "name|file"),
    transform: ChaosProfile.resolve)
  var profile = ChaosProfile.default
  @Flag(help: "Keep a random subset of the profile's faults, chosen by the seed.")
  var swarm = false

  func validate() throws {
    guard events >= 0 else { throw ValidationError("--events must be >= 0") }
    guard products >= 1 else { throw ValidationError("--products must be >= 1") }
    // Generated times start at 2026-01-01 and must stay inside years 1-9999.
    guard (1...GeneratorOptions.maxDays).contains(days) else {
      throw ValidationError("--days must be from 1 to \(GeneratorOptions.maxDays)")
    }
  }

  /// The generator's options; with `applyingSwarm`, the profile is the swarm subset when
  /// `--swarm` is set (a scenario applies it itself, so the runner's options leave it out).
  func generatorOptions(applyingSwarm: Bool = true) -> GeneratorOptions {
    GeneratorOptions(
      seed: seed, events: events, products: products, days: days,
      profile: swarm && applyingSwarm ? profile.swarm(seed: seed) : profile)
  }

  /// How messages name the stream.
  var label: String {
    "seed \(seed), \(events) events, profile \(profile.name)\(swarm ? " (swarm)" : "")"
  }
}
