import ChaosOracle
import ExportFormat
import Foundation

/// Differential fuzzing: streams no generator writes (valid lines mutated by
/// `LineMutator`), fed to every engine under test in random batches and compared with the
/// memory engine run in one batch. Every engine must finish, and all five files must be
/// identical byte for byte. No oracle is involved: the engines judge each other.
package enum Fuzzer {
  /// One fuzz case: the delivered lines and the line counts after which to run.
  package struct Case: Sendable {
    package var seed: UInt64
    package var index: Int
    package var lines: [[UInt8]]
    package var runAfter: [Int]
  }

  /// A case on which an engine failed or disagreed with the reference.
  package struct Failure: Sendable {
    package var engine: String
    /// What went wrong: the error, or the readable diff against the reference.
    package var reason: String
    package var lines: [[UInt8]]
    package var runAfter: [Int]
  }

  /// The `index`-th case of `seed`: `lines` lines of a heavy chaos stream, about a third of
  /// them mutated, split into 1 to 6 random batches.
  package static func makeCase(seed: UInt64, index: Int, lines count: Int) -> Case {
    let caseSeed = seed &* 1_000_003 &+ UInt64(index)
    var random = RandomStream(seed: caseSeed, component: "fuzz.case")
    let profile = ChaosProfile.preset(named: "heavy") ?? ChaosProfile(name: "none", rates: [:])
    var options = GeneratorOptions(
      seed: caseSeed, events: count, products: random.int(in: 2...20), days: random.int(in: 1...5),
      profile: profile)
    if random.chance(0.5) { options.profile = options.profile.swarm(seed: caseSeed) }
    var mutator = LineMutator(seed: caseSeed)
    var lines: [[UInt8]] = []
    lines.reserveCapacity(count)
    for delivery in StreamGenerator(options: options) {
      let mutated = random.chance(0.33) ? mutator.mutate(delivery.bytes) : delivery.bytes
      lines.append(mutated)
      // Now and then the mutated line is delivered again, later: replays and conflicts.
      if random.chance(0.02), lines.count < count { lines.append(random.pick(lines)) }
      if lines.count >= count { break }
    }
    let batches = random.int(in: 1...6)
    var cuts = Set<Int>()
    while cuts.count < batches - 1, lines.count > batches {
      cuts.insert(random.int(in: 1...(lines.count - 1)))
    }
    return Case(
      seed: seed, index: index, lines: lines, runAfter: cuts.sorted() + [lines.count])
  }

  /// Runs `fuzzCase` on every engine; returns the first failure, or `nil`.
  package static func check(
    _ fuzzCase: Case, engines: [(name: String, engine: EngineUnderTest)]
  ) -> Failure? {
    failure(lines: fuzzCase.lines, runAfter: fuzzCase.runAfter, engines: engines)
  }

  static func failure(
    lines: [[UInt8]], runAfter: [Int], engines: [(name: String, engine: EngineUnderTest)]
  ) -> Failure? {
    let reference: [String: String]
    do {
      reference = try memoryEngine(lines, [lines.count]).renderedByName()
    } catch {
      return Failure(
        engine: "memory (one batch)", reason: "\(error)", lines: lines, runAfter: runAfter)
    }
    for (name, engine) in engines {
      do {
        let actual = try engine(lines, runAfter).renderedByName()
        let comparison = Comparison(expected: reference, actual: actual, lines: lines)
        if !comparison.isMatch {
          return Failure(
            engine: name, reason: comparison.report(limit: 5), lines: lines, runAfter: runAfter)
        }
      } catch {
        return Failure(engine: name, reason: "failed: \(error)", lines: lines, runAfter: runAfter)
      }
    }
    return nil
  }

  /// Shrinks a failure to a small stream that fails the same engine, keeping the batch
  /// cuts that fall inside the kept lines. The scenario's expected files are the memory
  /// engine's (one batch): on replay they show the engines' difference, and a reader checks
  /// by hand which side the rules support.
  package static func shrink(
    _ failure: Failure, name: String, engines: [(name: String, engine: EngineUnderTest)],
    timeLimit: Duration
  ) -> Shrinker.Result {
    let clock = ContinuousClock()
    let start = clock.now
    let failing = engines.filter { $0.name == failure.engine }
    let cutSet = Set(failure.runAfter)
    func batches(_ indices: [Int]) -> [Int] {
      var ends: [Int] = []
      for (position, index) in indices.enumerated() where cutSet.contains(index + 1) {
        ends.append(position + 1)
      }
      if ends.last != indices.count { ends.append(indices.count) }
      return ends.filter { $0 > 0 }
    }
    let reduced = Shrinker.ddmin(count: failure.lines.count, timeLimit: timeLimit) { indices in
      let lines = indices.map { failure.lines[$0] }
      return Self.failure(lines: lines, runAfter: batches(indices), engines: failing) != nil
    }
    let kept = reduced.indices.map { failure.lines[$0] }
    let cuts = batches(reduced.indices).dropLast()
    let expected = (try? memoryEngine(kept, [kept.count]).renderedByName()) ?? [:]
    let scenario = Scenario(
      name: name,
      description:
        "fuzz: \(failure.engine) differs from the memory engine in one batch; minimized from "
        + "\(failure.lines.count) to \(kept.count) lines. Expected files are the memory "
        + "engine's: check them against the rules by hand before trusting either side",
      source: .explicit(kept), batches: cuts.isEmpty ? .even(1) : .boundaries(Array(cuts)),
      expected: expected)
    return Shrinker.Result(
      scenario: scenario, kept: kept.count, tests: reduced.tests, elapsed: clock.now - start)
  }
}
