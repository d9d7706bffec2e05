import ChaosOracle
import ExportFormat
import Foundation
import Pipeline

/// An engine under test: given delivered lines and the line counts after which to run,
/// it returns the export files after the last run.
package typealias EngineUnderTest =
  @Sendable (_ lines: [[UInt8]], _ runAfter: [Int]) throws -> ExportFiles

/// The in-memory engine, fed batch by batch with a run after each.
package let memoryEngine: EngineUnderTest = { lines, runAfter in
  var engine = MemoryEngine()
  var start = 0
  for end in runAfter {
    engine.append(lines[start..<end])
    engine.run()
    start = end
  }
  if runAfter.isEmpty { engine.run() }
  return engine.export()
}

/// What a scenario run found.
package struct Outcome: Sendable {
  package var lines: [[UInt8]]
  package var truths: [LineTruth]?
  package var comparison: Comparison
  package var elapsed: Duration
}

package enum Runner {
  package struct Failure: Error, CustomStringConvertible {
    package let description: String
  }

  /// Generate or load → engine → compare with the expected files (the oracle's prediction
  /// for generated scenarios, overridden by any files the scenario pins).
  package static func run(_ scenario: Scenario, engine: EngineUnderTest) throws -> Outcome {
    let clock = ContinuousClock()
    let start = clock.now
    let (lines, truths) = scenario.deliveries()
    var expected: [String: String] = [:]
    if let truths {
      expected = Oracle.predict(truths).renderedByName()
    }
    expected.merge(scenario.expected) { _, pinned in pinned }
    guard !expected.isEmpty else {
      throw Failure(description: "\(scenario.name): an explicit scenario needs expected files")
    }
    let actual = try engine(lines, scenario.batches.ends(lineCount: lines.count))
    let rendered = actual.renderedByName()
    return Outcome(
      lines: lines, truths: truths,
      comparison: Comparison(expected: expected, actual: rendered, lines: lines),
      elapsed: clock.now - start)
  }
}
