import ChaosOracle
import ExportFormat
import Foundation

/// A replayable case: either generated (seed, options, profile) or explicit (the delivered
/// lines themselves), with optional batch boundaries and optional expected files.
package struct Scenario: Sendable {
  package enum Source: Sendable {
    case generated(GeneratorOptions, swarm: Bool)
    case explicit([[UInt8]])
  }

  /// How the lines are split into runs.
  package enum Batches: Sendable, Hashable {
    /// `count` runs over (nearly) equal parts.
    case even(Int)
    /// A run after each of these line counts (and after the last line).
    case boundaries([Int])

    /// How many runs `lineCount` lines get: more even parts than lines would only add empty
    /// ones, which are dropped.
    package func count(lineCount: Int) -> Int {
      switch self {
      case .even(let count): min(max(1, count), max(1, lineCount))
      case .boundaries: ends(lineCount: lineCount).count
      }
    }

    /// The end index of each batch for `lineCount` lines.
    package func ends(lineCount: Int) -> [Int] {
      switch self {
      case .even:
        // at most one part per line, so the ends strictly increase: none repeats
        let parts = count(lineCount: lineCount)
        return (1...parts).map { Int(Int128(lineCount) * Int128($0) / Int128(parts)) }
      case .boundaries(let cuts):
        return (cuts.filter { $0 > 0 && $0 < lineCount } + [lineCount]).sorted()
      }
    }
  }

  package var name: String
  package var description: String
  package var generatorVersion: Int
  package var source: Source
  package var batches: Batches
  /// Expected export files by file name (a subset of the five); compared as given.
  package var expected: [String: String]

  package init(
    name: String, description: String = "", generatorVersion: Int = ChaosOracle.generatorVersion,
    source: Source, batches: Batches = .even(1), expected: [String: String] = [:]
  ) {
    self.name = name
    self.description = description
    self.generatorVersion = generatorVersion
    self.source = source
    self.batches = batches
    self.expected = expected
  }

  /// The delivered lines and, for generated scenarios, what the generator meant by them.
  package func deliveries() -> (lines: [[UInt8]], truths: [LineTruth]?) {
    switch source {
    case .generated(var options, let swarm):
      if swarm { options.profile = options.profile.swarm(seed: options.seed) }
      let deliveries = Array(StreamGenerator(options: options))
      return (deliveries.map(\.bytes), deliveries.map(\.truth))
    case .explicit(let lines):
      return (lines, nil)
    }
  }
}

extension Scenario.Batches {
  /// A run right before each line `kind` touched, so that each lands in a later batch than
  /// every line delivered before it (for the faults that pair a line with an earlier one).
  package static func before(_ kind: FaultKind, in deliveries: [Delivery]) -> Scenario.Batches {
    .boundaries(deliveries.indices.filter { deliveries[$0].faults.contains { $0.kind == kind } })
  }
}
