import ChaosOracle
import ExportFormat
import PropertyBased
import Testing

@Suite("Oracle predictions are self-consistent")
struct OracleConsistencyTests {
  @Test(
    "accounting and SCD2 invariants hold for every preset and swarm",
    arguments: ChaosProfile.presetNames)
  func invariantsHold(profileName: String) {
    for seed in 1...8 as ClosedRange<UInt64> {
      for swarm in [false, true] {
        let profile = swarm ? preset(profileName).swarm(seed: seed) : preset(profileName)
        let files = Oracle.predict(
          generate(seed: seed, events: 2_000, profile: profile).map(\.truth))
        let problems = invariantViolations(files)
        #expect(
          problems.isEmpty,
          "seed \(seed) \(profile.name): \(problems.prefix(5))\nreplay: chaoslake generate --seed \(seed) --events 2000 --profile \(profileName)\(swarm ? " --swarm" : "") --oracle-dir out"
        )
      }
    }
  }

  @Test("any sub-list of a stream gets a consistent fresh prediction")
  func subListsPredict() async {
    await propertyCheck(
      count: 60, input: Gen.uint64(in: 1...1_000_000), Gen.int(in: 1...9)
    ) { seed, keepEvery in
      let deliveries = generate(seed: seed, events: 400, profile: preset("heavy"))
      let kept = deliveries.enumerated().filter { $0.offset % 10 < keepEvery }.map(\.element.truth)
      let files = Oracle.predict(kept)
      #expect(files.statuses.count == kept.count)
      #expect(invariantViolations(files).isEmpty, "seed \(seed) keepEvery \(keepEvery)")
    }
  }

  @Test("dropping later exact replays changes nothing but their own status rows")
  func replaysAreInert() async {
    await propertyCheck(count: 40, input: Gen.uint64(in: 1...1_000_000)) { seed in
      let truths = generate(seed: seed, events: 600, profile: preset("heavy")).map(\.truth)
      let full = Oracle.predict(truths)
      let keep = full.statuses.indices.filter { full.statuses[$0].status != .duplicate }
      let trimmed = Oracle.predict(keep.map { truths[$0] })
      #expect(trimmed.history == full.history, "seed \(seed)")
      #expect(trimmed.sales == full.sales, "seed \(seed)")
      #expect(trimmed.statuses.map(\.status) == keep.map { full.statuses[$0].status })
    }
  }
}
