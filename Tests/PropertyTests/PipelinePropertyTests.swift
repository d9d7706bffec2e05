import ChaosOracle
import ExportFormat
import Harness
import Pipeline
import PropertyBased
import Testing

/// A generated case: everything `chaoslake verify` needs to replay it.
struct StreamCase: CustomStringConvertible, Sendable {
  var seed: UInt64
  var events: Int
  var profileName: String
  var swarm: Bool
  var batches: Int

  var profile: ChaosProfile {
    let base = ChaosProfile.preset(named: profileName)!
    return swarm ? base.swarm(seed: seed) : base
  }

  var deliveries: [Delivery] { generate(seed: seed, events: events, profile: profile) }

  var replay: String {
    "chaoslake verify --engine memory --seed \(seed) --events \(events) --profile \(profileName)"
      + (swarm ? " --swarm" : "") + " --batches \(batches)"
  }

  var description: String {
    "seed \(seed) (\(profileName)\(swarm ? ", swarm" : ""))\nreplay: \(replay)"
  }
}

let streamCases = zip(
  Gen.uint64(in: 1...UInt64(Int64.max)), Gen.int(in: 1...PropertyProfile.maxEvents),
  Gen<String?>.element(of: ChaosProfile.presetNames).map { $0! }, Gen.bool, Gen.int(in: 1...10)
).map { StreamCase(seed: $0.0, events: $0.1, profileName: $0.2, swarm: $0.3, batches: $0.4) }

func engineOutput(_ lines: [[UInt8]], batches: Int) -> ExportFiles {
  try! memoryEngine(lines, Scenario.Batches.even(batches).ends(lineCount: lines.count))
}

@Suite("Pipeline properties (memory engine)")
struct PipelinePropertyTests {
  @Test("the engine reproduces the oracle's five files")
  func oracleEquality() async {
    await propertyCheck(count: PropertyProfile.cases(300), input: streamCases) { item in
      let deliveries = item.deliveries
      let actual = engineOutput(deliveries.map(\.bytes), batches: 1)
      let expected = Oracle.predict(deliveries.map(\.truth))
      #expect(actual == expected, "\(item)")
    }
  }

  @Test("any split into batches gives the same output as one batch")
  func batchIndependence() async {
    await propertyCheck(count: PropertyProfile.cases(100), input: streamCases) { item in
      let lines = item.deliveries.map(\.bytes)
      #expect(
        engineOutput(lines, batches: item.batches) == engineOutput(lines, batches: 1), "\(item)")
    }
  }

  @Test(
    "delivery order never changes history or marts, and statuses only move between identical copies"
  )
  func deliveryOrderIndependence() async {
    await propertyCheck(count: PropertyProfile.cases(100), input: streamCases) { item in
      let deliveries = item.deliveries
      var shuffler = RandomStream(seed: item.seed, component: "test-permutation")
      var order = Array(deliveries.indices)
      for index in order.indices.reversed() where index > 0 {
        order.swapAt(index, Int(shuffler.below(UInt64(index + 1))))
      }
      let original = engineOutput(deliveries.map(\.bytes), batches: 1)
      let permuted = engineOutput(order.map { deliveries[$0].bytes }, batches: 1)
      #expect(permuted.history == original.history, "\(item)")
      #expect(permuted.volatility == original.volatility, "\(item)")
      #expect(permuted.sales == original.sales, "\(item)")
      #expect(permuted.quality == original.quality, "\(item)")
      // Per line: the same status, except that which copy of identical deliveries is the
      // classified one may move. Group the statuses by the line's bytes-identity class.
      var before: [String: [LineStatus]] = [:]
      var after: [String: [LineStatus]] = [:]
      for (position, line) in order.enumerated() {
        // Identical deliveries share event_id and content; every other line is its own class.
        let truth = deliveries[line].truth
        let key = truth.eventID.map { "\($0)#\(truth.contentID)" } ?? "line \(line)"
        before[key, default: []].append(original.statuses[line].status)
        after[key, default: []].append(permuted.statuses[position].status)
      }
      let moved = before.keys.filter { key in
        before[key]!.sorted(by: { "\($0)" < "\($1)" })
          != after[key]!.sorted(by: { "\($0)" < "\($1)" })
      }
      #expect(moved.isEmpty, "\(item): lines changed status: \(moved.prefix(3))")
    }
  }

  @Test("running again with no new input changes nothing")
  func idempotency() async {
    await propertyCheck(count: PropertyProfile.cases(50), input: streamCases) { item in
      var engine = MemoryEngine()
      engine.append(item.deliveries.map(\.bytes))
      engine.run()
      let first = engine.export()
      let summary = engine.run()
      #expect(summary.linesRead == 0)
      #expect(engine.export() == first, "\(item)")
    }
  }

  @Test("every output keeps the accounting and the SCD2 invariants")
  func invariants() async {
    await propertyCheck(count: PropertyProfile.cases(100), input: streamCases) { item in
      let output = engineOutput(item.deliveries.map(\.bytes), batches: item.batches)
      let problems = invariantViolations(output)
      #expect(problems.isEmpty, "\(item): \(problems.prefix(3))")
    }
  }
}

@Suite("Same-instant lines across batches")
struct SameInstantAcrossBatchesTests {
  /// `default` with state events at an earlier line's instant twenty times as often.
  static func profile() -> ChaosProfile {
    var profile = ChaosProfile.default
    profile.rates[.stateAtEarlierInstant] = 0.06
    return profile
  }

  @Test(
    "a state event at an earlier-delivered line's instant, in a later batch: the oracle's files",
    arguments: 1...12 as ClosedRange<UInt64>)
  func splitBetweenThePair(seed: UInt64) throws {
    let deliveries = generate(seed: seed, events: 1_200, profile: Self.profile())
    let batches = Scenario.Batches.before(.stateAtEarlierInstant, in: deliveries)
    let ends = batches.ends(lineCount: deliveries.count)
    #expect(ends.count > 20, "seed \(seed): only \(ends.count) batches")
    let actual = try memoryEngine(deliveries.map(\.bytes), ends)
    let setting = "seed \(seed), 1,200 lines of default with state_at_earlier_instant at 0.06"
    #expect(
      actual == Oracle.predict(deliveries.map(\.truth)),
      "\(setting), a run before each of its lines at \(ends.dropLast())")
  }
}
