import Foundation
import Harness
import Testing
import Warehouse

/// A short differential fuzz on both engines: hostile lines no generator writes, in random
/// batches, must neither crash nor fail a run, and PostgreSQL must give the memory engine's
/// files byte for byte. `CHAOSLAKE_PROPERTY_PROFILE=long` fuzzes 20 times as many lines.
@Suite("Differential fuzzing on PostgreSQL")
struct FuzzTests {
  static let seed: UInt64 = 2026
  static let cases = Array(
    0..<(ProcessInfo.processInfo.environment["CHAOSLAKE_PROPERTY_PROFILE"]
      == "long" ? 60 : 3))

  @Test("fuzz case: PostgreSQL in random batches = memory engine in one batch", arguments: cases)
  func fuzzCase(index: Int) throws {
    _ = try TestDatabase()
    let postgres: EngineUnderTest = { lines, runAfter in
      try ScratchDatabase.run(conninfo: "", lines: lines, runAfter: runAfter)
    }
    let fuzzCase = Fuzzer.makeCase(seed: Self.seed, index: index, lines: 1_500)
    let failure = Fuzzer.check(
      fuzzCase, engines: [("memory (batched)", memoryEngine), ("postgres (batched)", postgres)])
    #expect(
      failure == nil,
      "\(failure?.engine ?? ""): \(failure?.reason ?? "")\nreplay: chaoslake fuzz --seed \(Self.seed) --lines \((index + 1) * 1_500) --case-lines 1500 --engine both"
    )
  }
}
