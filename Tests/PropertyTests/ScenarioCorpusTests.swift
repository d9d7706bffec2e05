import Foundation
import Harness
import Testing

/// Every file in `scenarios/` is a specification: hand-written lines with hand-derived
/// expected files, or generated cases checked against the oracle.
let scenarioDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scenarios")

let scenarioFiles: [String] = {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: scenarioDirectory.path)) ?? []
  return names.filter { $0.hasSuffix(".yaml") }.sorted()
}()

@Suite("Scenario corpus")
struct ScenarioCorpusTests {
  @Test("the corpus is present")
  func corpusPresent() {
    #expect(scenarioFiles.count >= 20)
  }

  @Test("each scenario passes on the memory engine", arguments: scenarioFiles)
  func scenarioPasses(file: String) throws {
    let path = scenarioDirectory.appendingPathComponent(file).path
    let scenario = try ScenarioFile.load(path: path)
    let outcome = try Runner.run(scenario, engine: memoryEngine)
    #expect(
      outcome.comparison.isMatch,
      "\(file):\n\(outcome.comparison.report())replay: chaoslake replay scenarios/\(file)")
  }

  @Test("scenario files survive a write and read back", arguments: scenarioFiles)
  func roundTrip(file: String) throws {
    let scenario = try ScenarioFile.load(path: scenarioDirectory.appendingPathComponent(file).path)
    let again = try ScenarioFile.parse(ScenarioFile.render(scenario), name: scenario.name)
    #expect(again.deliveries().lines == scenario.deliveries().lines)
    #expect(
      again.expected.mapValues { Array($0.utf8) } == scenario.expected.mapValues { Array($0.utf8) })
    #expect(again.batches == scenario.batches)
  }
}
