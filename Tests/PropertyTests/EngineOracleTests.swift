import ChaosOracle
import ExportFormat
import Pipeline
import Testing

func runMemoryEngine(_ deliveries: [Delivery], batches: Int = 1) -> ExportFiles {
  var engine = MemoryEngine()
  let size = max(1, (deliveries.count + batches - 1) / batches)
  var start = 0
  repeat {
    let end = min(deliveries.count, start + size)
    engine.append(deliveries[start..<end].map(\.bytes))
    engine.run()
    start = end
  } while start < deliveries.count
  return engine.export()
}

/// First differing row of each file, for messages.
func firstDifferences(_ expected: ExportFiles, _ actual: ExportFiles) -> [String] {
  var differences: [String] = []
  for ((name, want), (_, got)) in zip(expected.renderedFiles(), actual.renderedFiles())
  where want != got {
    let wantLines = want.split(separator: "\n", omittingEmptySubsequences: false)
    let gotLines = got.split(separator: "\n", omittingEmptySubsequences: false)
    let index =
      zip(wantLines, gotLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
      ?? min(wantLines.count, gotLines.count)
    differences.append(
      "\(name) line \(index + 1): expected \(index < wantLines.count ? String(wantLines[index]) : "<end>"), got \(index < gotLines.count ? String(gotLines[index]) : "<end>")"
    )
  }
  return differences
}

@Suite("The memory engine reproduces the oracle")
struct EngineOracleTests {
  @Test("oracle equality of all five files", arguments: ChaosProfile.presetNames)
  func oracleEquality(profileName: String) {
    for seed in 1...10 as ClosedRange<UInt64> {
      let deliveries = generate(seed: seed, events: 3_000, profile: preset(profileName))
      let expected = Oracle.predict(deliveries.map(\.truth))
      let actual = runMemoryEngine(deliveries)
      let differences = firstDifferences(expected, actual)
      #expect(differences.isEmpty, "seed \(seed): \(differences)")
      if !differences.isEmpty {
        for line in Int(differences[0].split(separator: " ")[2])!...Int(
          differences[0].split(separator: " ")[2])! where differences[0].hasPrefix("status")
        {
          print(String(decoding: deliveries[line - 2].bytes, as: UTF8.self))
        }
        break
      }
    }
  }
}
