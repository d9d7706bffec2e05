import ChaosOracle
import ExportFormat
import Foundation

/// Reduces a failing stream to a small one that still fails (Zeller's ddmin over lines).
package enum Shrinker {
  package struct Result: Sendable {
    package var scenario: Scenario
    package var kept: Int
    package var tests: Int
    package var elapsed: Duration
  }

  /// Minimizes `lines` (with their truths) against `engine`, asking the oracle for a fresh
  /// prediction of every candidate sub-list; `batches` says how candidates are split into
  /// runs. Stops refining at `timeLimit`.
  package static func minimize(
    name: String, lines: [[UInt8]], truths: [LineTruth], batches: Scenario.Batches,
    engine: EngineUnderTest, timeLimit: Duration = .seconds(60)
  ) -> Result {
    let clock = ContinuousClock()
    let start = clock.now
    let reduced = ddmin(count: lines.count, timeLimit: timeLimit) { indices in
      let subLines = indices.map { lines[$0] }
      let expected = Oracle.predict(indices.map { truths[$0] })
      guard let actual = try? engine(subLines, batches.ends(lineCount: subLines.count)) else {
        return true
      }
      return expected != actual
    }
    let kept = reduced.indices.map { lines[$0] }
    let prediction = Oracle.predict(reduced.indices.map { truths[$0] })
    let scenario = Scenario(
      name: name,
      description:
        "minimized from \(lines.count) to \(kept.count) lines; expected files are the oracle's prediction",
      source: .explicit(kept), batches: batches,
      expected: prediction.renderedByName())
    return Result(
      scenario: scenario, kept: kept.count, tests: reduced.tests, elapsed: clock.now - start)
  }

  /// Zeller's ddmin: a smallest-found sub-list of `0..<count` (indices, in order) for which
  /// `fails` still holds, given that it holds for the whole list. Refinement stops at
  /// `timeLimit`; `tests` counts the calls of `fails`.
  package static func ddmin(
    count: Int, timeLimit: Duration, fails: ([Int]) -> Bool
  ) -> (indices: [Int], tests: Int) {
    let clock = ContinuousClock()
    let start = clock.now
    var tests = 0
    func check(_ indices: [Int]) -> Bool {
      tests += 1
      return fails(indices)
    }
    var current = Array(0..<count)
    var granularity = 2
    while current.count >= 2, clock.now - start < timeLimit {
      let chunks = split(current, into: granularity)
      var reduced = false
      for chunk in chunks where check(chunk) {
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
          if check(complement) {
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
    return (current, tests)
  }

  private static func split(_ items: [Int], into parts: Int) -> [[Int]] {
    let count = min(parts, items.count)
    return (0..<count).map { part in
      Array(items[(items.count * part / count)..<(items.count * (part + 1) / count)])
    }
  }
}
