import ArgumentParser
import ExportFormat
import Foundation
import Pipeline
import Warehouse

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Runs the pipeline: in memory over a JSONL file, or in PostgreSQL over raw.")

  @Option(help: "The engine: memory (over --input) or postgres (over raw).") var engine =
    Engine.postgres
  @Option(help: "JSONL input (memory engine).") var input: String?
  @Option(help: "Directory for the five export files (memory engine).") var out: String?
  @Flag(name: .customLong("full-refresh"), help: "Rebuild from raw (PostgreSQL engine).")
  var fullRefresh = false
  @Flag(
    help:
      "Stage every raw line again from its bytes, then rebuild (after a change of the parsing rules; implies --full-refresh)."
  )
  var reparse = false
  @Flag(help: "Print the time of each phase (memory) or model (postgres) on stderr.")
  var timing = false

  func run() throws {
    switch engine {
    case .memory:
      guard let input, let out else {
        throw CLIError.badInput("--engine memory needs --input FILE and --out DIR")
      }
      let clock = ContinuousClock()
      var marks: [(String, ContinuousClock.Instant)] = [("start", clock.now)]
      // A regular file is mapped, not read ahead: its bytes are read inside the pipeline
      // phase, which therefore counts reading the input too (no phase of its own).
      var pipeline = MemoryEngine()
      try pipeline.append(input: input)
      pipeline.run()
      marks.append(("pipeline", clock.now))
      let files = pipeline.export()
      try ExportWriter.write(files, to: out)
      marks.append(("export", clock.now))
      if timing {
        let phases = zip(marks, marks.dropFirst()).map { previous, mark in
          "\(mark.0)_seconds=\((mark.1 - previous.1).inSeconds)"
        }
        FileHandle.standardError.write(
          Data(("timing " + phases.joined(separator: " ") + "\n").utf8))
      }
      let accepted = files.statuses.filter { $0.status == .accepted }.count
      FileHandle.standardError.write(
        Data(
          ("\(files.statuses.count) lines: \(accepted) accepted, \(files.history.count) history "
            + "versions; files in \(out)\n").utf8))
    case .postgres:
      guard input == nil, out == nil else {
        throw CLIError.badInput("--input and --out go with --engine memory; ingest first, then run")
      }
      let connection = try ConnectionSettings.connect()
      var engine = PostgresEngine(connection: connection)
      if timing {
        engine.onModelFinished = { name, duration in
          FileHandle.standardError.write(Data("timing \(name) \(seconds(duration)) s\n".utf8))
        }
      }
      let report = try engine.run(fullRefresh: fullRefresh, reparse: reparse)
      let kind = reparse ? " (reparse, full refresh)" : fullRefresh ? " (full refresh)" : ""
      print(
        "run \(report.runID)\(kind): \(report.linesRead) new line(s) "
          + (report.linesRead > 0
            ? "(seq \(report.watermarkFrom + 1)–\(report.watermarkTo)), " : "")
          + "\(report.productsRebuilt) product(s) rebuilt")
      try DataTestReport.print(report.tests)
    }
  }
}
