import ChaosOracle
import ExportFormat
import Foundation

/// Reduces a failing stream to a small one that still fails (Zeller's ddmin over lines),
/// asking the oracle for a fresh prediction of every candidate sub-list.
public enum Shrinker {
  public struct Result: Sendable {
    public var scenario: Scenario
    public var kept: Int
    public var tests: Int
    public var elapsed: Duration
  }

  /// Minimizes `lines` (with their truths) against `engine`; `batches` says how candidate
  /// sub-lists are split into runs. Stops refining at `timeLimit`.
  public static func minimize(
    name: String, lines: [[UInt8]], truths: [LineTruth], batches: Scenario.Batches,
    engine: EngineUnderTest, timeLimit: Duration = .seconds(60)
  ) -> Result {
    let clock = ContinuousClock()
    let start = clock.now
    var tests = 0
    func fails(_ indices: [Int]) -> Bool {
      tests += 1
      let subLines = indices.map { lines[$0] }
      let expected = Oracle.predict(indices.map { truths[$0] })
      guard let actual = try? engine(subLines, batches.ends(lineCount: subLines.count)) else {
        return true
      }
      return expected != actual
    }
    var current = Array(lines.indices)
    var granularity = 2
    while current.count >= 2, clock.now - start < timeLimit {
      let chunks = split(current, into: granularity)
      var reduced = false
      for chunk in chunks where fails(chunk) {
        current = chunk
        granularity = 2
        reduced = true
        break
      }
      // With two chunks each complement is the other chunk, already tested above.
      if !reduced, chunks.count > 2 {
        for chunk in chunks {
          let removed = Set(chunk)
          let complement = current.filter { !removed.contains($0) }
          if fails(complement) {
            current = complement
            granularity = max(granularity - 1, 2)
            reduced = true
            break
          }
        }
      }
      if !reduced {
        if granularity >= current.count { break }
        granularity = min(current.count, granularity * 2)
      }
    }
    let kept = current.map { lines[$0] }
    let prediction = Oracle.predict(current.map { truths[$0] })
    let scenario = Scenario(
      name: name,
      description:
        "minimized from \(lines.count) to \(kept.count) lines; expected files are the oracle's prediction",
      source: .explicit(kept), batches: batches,
      expected: prediction.renderedByName())
    return Result(scenario: scenario, kept: kept.count, tests: tests, elapsed: clock.now - start)
  }

  private static func split(_ items: [Int], into parts: Int) -> [[Int]] {
    let count = min(parts, items.count)
    return (0..<count).map { part in
      Array(items[(items.count * part / count)..<(items.count * (part + 1) / count)])
    }
  }
}
