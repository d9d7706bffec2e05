import ArgumentParser
import ExportFormat
import Foundation
import Harness
import Pipeline

struct Fuzz: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Differential fuzzing: hostile lines no generator writes, on both engines.",
    discussion: """
      Mutates valid chaos lines at byte and token level (extreme literals, flipped bytes, \
      duplicate keys, deep nesting, re-encoded strings, swapped Unicode forms, truncation), \
      runs the engines in random batches and requires: no crash, no failed run, and the five \
      files identical to the memory engine's in one batch. A disagreement is shrunk to a \
      scenario file; the command that replays it is printed; exit code 1.
      """)

  enum Engines: String, ExpressibleByArgument, CaseIterable {
    case memory, postgres, both
  }

  @Option(help: "Root seed of the cases.") var seed: UInt64
  @Option(help: "Lines to fuzz in all.") var lines: Int
  @Option(help: "The engines under test: memory, postgres or both.") var engine = Engines.both
  @Option(help: "Lines per case (each case is one fresh pipeline).") var caseLines = 2_000
  @Option(help: "Where the case under way and minimized failures are written.")
  var save = "failures"
  @Option(help: "Time limit for shrinking a failure, in seconds.") var shrinkSeconds = 120
  @OptionGroup var junit: JUnitOption

  func validate() throws {
    guard lines >= 1 else { throw ValidationError("--lines must be at least 1") }
    guard (1...1_000_000).contains(caseLines) else {
      throw ValidationError("--case-lines must be from 1 to 1000000")
    }
    guard shrinkSeconds >= 0 else { throw ValidationError("--shrink-seconds must be >= 0") }
  }

  func run() throws {
    var engines: [(name: String, engine: EngineUnderTest)] = []
    if engine != .postgres { engines.append(("memory (batched)", memoryEngine)) }
    if engine != .memory { engines.append(("postgres (batched)", try Engine.postgres.underTest())) }
    let clock = ContinuousClock()
    let start = clock.now
    let caseCount = lines / caseLines + (lines % caseLines == 0 ? 0 : 1)
    let inProgress = save + "/fuzz-seed\(seed)-in-progress.jsonl"
    var fuzzed = 0
    var cases: [JUnitReport.TestCase] = []
    for index in 0..<caseCount {
      let caseStart = clock.now
      let size = min(caseLines, lines - index * caseLines)
      let fuzzCase = Fuzzer.makeCase(seed: seed, index: index, lines: size)
      // Kept while the case runs: if an engine crashes the process, the input survives.
      try write(fuzzCase.lines, to: inProgress)
      if let failure = Fuzzer.check(fuzzCase, engines: engines) {
        try report(failure, caseIndex: index, engines: engines, passed: cases)
      }
      cases.append(
        .init(
          name: "case \(index) (\(fuzzCase.lines.count) lines)", className: "chaoslake.fuzz",
          seconds: (clock.now - caseStart).inSeconds))
      fuzzed += fuzzCase.lines.count
      FileHandle.standardError.write(
        Data("\rfuzz: case \(index + 1)/\(caseCount), \(fuzzed) lines   ".utf8))
    }
    try? FileManager.default.removeItem(atPath: inProgress)
    try junit.write(suite: "chaoslake fuzz --seed \(seed)", cases)
    FileHandle.standardError.write(Data("\n".utf8))
    print(
      "fuzz: \(fuzzed) lines in \(caseCount) case(s), seed \(seed), engines "
        + engines.map(\.name).joined(separator: " and ")
        + ": no crash, no failed run, files identical to the memory engine in one batch "
        + "(\((clock.now - start).secondsText) s)")
  }

  private func report(
    _ failure: Fuzzer.Failure, caseIndex: Int, engines: [(name: String, engine: EngineUnderTest)],
    passed: [JUnitReport.TestCase]
  ) throws -> Never {
    print("\nfuzz: case \(caseIndex) (seed \(seed)): \(failure.engine) disagrees")
    print(failure.reason, terminator: failure.reason.hasSuffix("\n") ? "" : "\n")
    print("shrinking \(failure.lines.count) lines …")
    let shrunk = Fuzzer.shrink(
      failure, name: "fuzz-seed\(seed)-case\(caseIndex)", engines: engines,
      timeLimit: .seconds(shrinkSeconds))
    let path = save + "/fuzz-seed\(seed)-case\(caseIndex).yaml"
    try ScenarioFile.write(shrunk.scenario, to: path)
    print(
      "minimized to \(shrunk.kept) line(s) in \(shrunk.elapsed.secondsText) s (\(shrunk.tests) runs): \(path)"
    )
    let engineFlag = failure.engine.hasPrefix("postgres") ? " --engine postgres" : ""
    print("replay: chaoslake replay\(engineFlag) \(path)")
    try junit.write(
      suite: "chaoslake fuzz --seed \(seed)",
      passed + [
        .init(
          name: "case \(caseIndex)", className: "chaoslake.fuzz",
          failure: (
            message: "\(failure.engine) disagrees",
            details: failure.reason + "\nreplay: chaoslake replay\(engineFlag) \(path)"
          ))
      ])
    throw CLIError.mismatch("fuzzing found a disagreement")
  }

  private func write(_ lines: [[UInt8]], to path: String) throws {
    try ExportFiles.createDirectory(save)
    let file = try OutputFile(path: path)
    file.write(JSONLines.join(lines))
    try file.close()
  }
}
