import ChaosOracle
import Harness
import Testing

/// A hand-edited scenario or profile that is wrong gets a message naming the file, the line,
/// the key and what was expected there: never a silent default, never a crash.
@Suite("Scenario and profile files: precise errors")
struct InputFileMessageTests {
  static let badScenarios: [(yaml: String, message: String)] = [
    ("seed: 1\nevents: many\n", "s.yaml:2: 'events': expected an integer"),
    ("seed: 1\nevnts: 10\n", "s.yaml:2: 'evnts': unknown key"),
    ("seed: 1\nevents: -5\n", "s.yaml:2: 'events': must be at least 0"),
    ("seed: 1\nevents: 5\nswarm: maybe\n", "s.yaml:3: 'swarm': expected true or false"),
    ("lines:\n  - 'x'\n  - {base64: '!!'}\n", "s.yaml:3: 'lines[1].base64': not valid base64"),
    ("lines:\n  - {bytes: 'x'}\n", "s.yaml:2: 'lines[0].bytes': unknown key"),
    (
      "lines: ['x']\nexpected:\n  statuses.csv: 'a'\n",
      "s.yaml:3: 'expected.statuses.csv': unknown export file"
    ),
    (
      "seed: 1\nevents: 5\nprofile:\n  faults:\n    exact_replay: 2\n",
      "s.yaml:5: 'profile.faults.exact_replay': a rate is a number from 0 to 1"
    ),
    (
      "seed: 1\nevents: 5\nprofile:\n  faults:\n    exact_replays: 0.1\n",
      "s.yaml:5: 'profile.faults.exact_replays': unknown fault"
    ),
    (
      "seed: 1\nevents: 5\nprofile:\n  world:\n    orders: 3\n",
      "s.yaml:5: 'profile.world.orders': expected true or false"
    ),
    ("batches: 0\nlines: ['x']\n", "s.yaml:1: 'batches': a batch count is at least 1"),
    ("seed: 1\n", "give either 'lines' or 'seed' and 'events'"),
    ("[1, 2]\n", "s.yaml:1: expected a mapping of keys to values"),
    ("seed: [\n", "not valid YAML"),
  ]

  @Test("each malformed scenario is refused with the expected message", arguments: badScenarios)
  func badScenario(yaml: String, message: String) {
    do {
      _ = try ScenarioFile.parse(yaml, name: "s", file: "s.yaml")
      Issue.record("accepted: \(yaml)")
    } catch {
      #expect("\(error)".hasPrefix(message) || "\(error)".contains(message), "\(error)")
    }
  }

  @Test("a profile file names the file, line and key at fault")
  func badProfile() {
    #expect(throws: ProfileError.self) {
      try ChaosProfile.parse(yaml: "base: medium\n", name: "p.yaml")
    }
    do {
      _ = try ChaosProfile.parse(yaml: "base: default\nworld:\n  oders: true\n", name: "p.yaml")
      Issue.record("accepted a misspelt world switch")
    } catch {
      #expect("\(error)".hasPrefix("p.yaml:3: 'world.oders': unknown key"), "\(error)")
    }
  }

  @Test("a valid inline profile keeps its base and overrides what it names")
  func validProfile() throws {
    let profile = try ChaosProfile.parse(
      yaml:
        "base: heavy\nfaults:\n  late_delivery: 0\n  exact_replay: 1\nworld:\n  orders: false\n",
      name: "p.yaml")
    let heavy = try #require(ChaosProfile.preset(named: "heavy"))
    #expect(profile.rate(.lateDelivery) == 0)
    #expect(profile.rate(.exactReplay) == 1)
    #expect(profile.rate(.negativePrice) == heavy.rate(.negativePrice))
    #expect(profile.mix.orders == false)
    #expect(profile.mix.discontinuations == heavy.mix.discontinuations)
  }
}
