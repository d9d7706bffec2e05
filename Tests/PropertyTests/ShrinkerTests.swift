import ChaosOracle
import ExportFormat
import Foundation
import Harness
import Testing

/// A deliberately broken engine: it reports every duplicate delivery as accepted.
private let duplicatesAccepted: EngineUnderTest = { lines, runAfter in
  var files = try memoryEngine(lines, runAfter)
  files.statuses = files.statuses.map { row in
    row.status == .duplicate ? StatusRow(line: row.line, status: .accepted) : row
  }
  return files
}

/// Another: it loses every version after the third of a product, leaving the third current.
private let historyTruncated: EngineUnderTest = { lines, runAfter in
  var files = try memoryEngine(lines, runAfter)
  files.history = files.history.filter { $0.version <= 3 }.map { row in
    var row = row
    if row.version == 3 { row.validTo = nil }
    return row
  }
  return files
}

@Suite("Shrinking failures to small replayable scenarios")
struct ShrinkerTests {
  @Test(
    "a broken engine is caught and shrunk to at most 10 lines that still fail",
    arguments: [
      ("duplicates accepted", duplicatesAccepted), ("history truncated", historyTruncated),
    ])
  func shrinks(name: String, engine: EngineUnderTest) throws {
    let scenario = Scenario(
      name: "mutant", source: .generated(GeneratorOptions(seed: 8, events: 3_000), swarm: false))
    let outcome = try Runner.run(scenario, engine: engine)
    #expect(!outcome.comparison.isMatch, "\(name) must be caught")
    let shrunk = Shrinker.minimize(
      name: "mutant", lines: outcome.lines, truths: outcome.truths!, batches: .even(1),
      engine: engine)
    #expect(shrunk.kept <= 10, "\(name): \(shrunk.kept) lines left")
    #expect(shrunk.elapsed < .seconds(60))

    // The written scenario replays: it fails on the broken engine and passes on the real one.
    let text = ScenarioFile.render(shrunk.scenario)
    let replayed = try ScenarioFile.parse(text, name: "mutant")
    #expect(try !Runner.run(replayed, engine: engine).comparison.isMatch)
    #expect(try Runner.run(replayed, engine: memoryEngine).comparison.isMatch)
  }

  @Test("the diff names missing, extra and shifted versions")
  func historyDiff() throws {
    let scenario = Scenario(
      name: "diff", source: .generated(GeneratorOptions(seed: 8, events: 3_000), swarm: false))
    let comparison = try Runner.run(scenario, engine: historyTruncated).comparison
    let history = comparison.differences.first { $0.file == "history.csv" }?.details ?? []
    #expect(history.contains { $0.hasPrefix("missing: product") })
    #expect(history.contains { $0.hasPrefix("shifted: expected") })  // version 3 lost its end
    let statuses = try Runner.run(scenario, engine: duplicatesAccepted).comparison
    #expect(statuses.report().contains("expected duplicate, got accepted"))
  }

  @Test("the diff counts per-reason differences over all days")
  func reasonCounts() {
    let header =
      "event_date,delivered,accepted,duplicate,invalid,error_rate,malformed_json,invalid_event_id,conflicting_duplicate,unknown_event_type,bad_timestamp,inventory_error,missing_product_id,missing_order_id,unparseable_price,negative_price,null_category,invalid_quantity,duplicate_order,orphan_event\n"
    let expected = header + "2026-01-01,2,1,0,1,0.5000,0,0,0,0,0,0,0,0,0,1,0,0,0,0\n"
    let actual = header + "2026-01-01,2,1,0,1,0.5000,0,0,0,0,0,0,0,0,1,0,0,0,0,0\n"
    let report = Comparison(
      expected: ["quality_daily.csv": expected], actual: ["quality_daily.csv": actual]
    ).report()
    #expect(report.contains("negative_price: expected 1 in all, got 0"))
    #expect(report.contains("unparseable_price: expected 0 in all, got 1"))
    #expect(report.contains("row 2026-01-01: unparseable_price expected 0, got 1"))
  }
}
