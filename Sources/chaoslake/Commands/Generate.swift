import ArgumentParser
import ChaosOracle
import ExportFormat
import Foundation

struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Writes a seeded chaos event stream (JSONL) and, optionally, the oracle's prediction.",
    discussion: """
      The same seed and options give byte-identical output on every machine. A profile \
      file is YAML (see docs/generator.md).
      """)

  @OptionGroup var stream: StreamOptions
  @Option(help: "Write the stream here instead of stdout.") var out: String?
  @Option(
    name: .customLong("oracle-dir"),
    help: "Write the oracle's five export files, faults.csv and manifest.yaml here.")
  var oracleDir: String?
  @Flag(help: "Print counts per fault kind and per status on stderr.") var stats = false

  func run() throws {
    let report = try GeneratedStream.write(
      stream.generatorOptions(), profileArgument: stream.profile.name, swarm: stream.swarm,
      to: OutputFile(path: out), oracleDirectory: oracleDir, stats: stats)
    if let report { FileHandle.standardError.write(Data(report.utf8)) }
  }
}
