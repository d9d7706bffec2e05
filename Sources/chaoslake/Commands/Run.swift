import ArgumentParser
import ExportFormat
import Foundation
import Harness
import Pipeline
import Warehouse

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Runs the pipeline: in memory over a JSONL file, or in PostgreSQL over raw.")

  @Option(help: "The engine: memory (over --input) or postgres (over raw).") var engine =
    Engine.postgres
  @Option(help: "JSONL input, or - for stdin (memory engine).") var input: String?
  @Option(help: "Directory for the five export files (memory engine).") var out: String?
  @Flag(name: .customLong("full-refresh"), help: "Rebuild from raw (PostgreSQL engine).")
  var fullRefresh = false
  @Flag(
    help:
      "Stage every raw line again from its bytes, then rebuild (after a change of the parsing rules; implies --full-refresh; PostgreSQL engine)."
  )
  var reparse = false
  @Flag(help: "Print the time of each phase (memory) or model (postgres) on stderr.")
  var timing = false

  func validate() throws {
    switch engine {
    case .memory:
      guard input != nil, out != nil else {
        throw ValidationError("--engine memory needs --input FILE and --out DIR")
      }
      if fullRefresh || reparse {
        throw ValidationError(
          "--full-refresh and --reparse go with --engine postgres; the memory engine always "
            + "reads its whole input")
      }
    case .postgres:
      guard input == nil, out == nil else {
        throw ValidationError(
          "--input and --out go with --engine memory; for PostgreSQL, ingest first, then run")
      }
    }
  }

  func run() throws {
    switch engine {
    case .memory: try runInMemory(input: input ?? "-", out: out ?? ".")
    case .postgres: try runInPostgres()
    }
  }

  private func runInMemory(input: String, out: String) throws {
    let clock = ContinuousClock()
    let start = clock.now
    // A regular file is mapped, not read ahead: its bytes are read inside the pipeline
    // phase, which therefore counts reading the input too (no phase of its own).
    var pipeline = MemoryEngine()
    try pipeline.append(input: input)
    pipeline.run()
    let ran = clock.now
    let files = pipeline.export()
    try files.write(toDirectory: out)
    if timing {
      FileHandle.standardError.write(
        Data(
          ("timing pipeline_seconds=\((ran - start).inSeconds) "
            + "export_seconds=\((clock.now - ran).inSeconds)\n").utf8))
    }
    let accepted = files.statuses.filter { $0.status == .accepted }.count
    FileHandle.standardError.write(
      Data(
        ("\(files.statuses.count) lines: \(accepted) accepted, \(files.history.count) history "
          + "versions; files in \(out)\n").utf8))
  }

  private func runInPostgres() throws {
    var engine = PostgresEngine(connection: try connectToWarehouse())
    if timing {
      engine.onModelFinished = { name, duration in
        FileHandle.standardError.write(Data("timing \(name) \(duration.secondsText) s\n".utf8))
      }
    }
    let report = try engine.run(fullRefresh: fullRefresh, reparse: reparse)
    let kind = reparse ? " (reparse, full refresh)" : fullRefresh ? " (full refresh)" : ""
    print(
      "run \(report.runID)\(kind): \(report.linesRead) new line(s) "
        + (report.linesRead > 0
          ? "(seq \(report.watermarkFrom + 1)–\(report.watermarkTo)), " : "")
        + "\(report.productsRebuilt) product(s) rebuilt")
    try printDataTests(report.tests)
  }
}
