import ArgumentParser
import ExportFormat
import Foundation
import Pipeline
import Report
import Warehouse

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract:
      "Writes a self-contained HTML page of a run (and of a verification, with --oracle-dir).")

  @Option(help: "The HTML file to write.") var out: String
  @Option(help: "postgres (the database's tables) or memory (with --input).") var engine =
    Engine.postgres
  @Option(help: "JSONL input, or - for stdin (memory engine).") var input: String?
  @Option(
    name: .customLong("oracle-dir"), help: "Overlay the oracle's prediction from this directory.")
  var oracleDir: String?
  @Option(help: "Also chart this product (repeatable).") var product: [Int64] = []

  func validate() throws {
    switch engine {
    case .memory:
      guard input != nil else { throw ValidationError("--engine memory needs --input FILE") }
    case .postgres:
      guard input == nil else {
        throw ValidationError("--input goes with --engine memory; PostgreSQL reports its tables")
      }
    }
  }

  func run() throws {
    let files: ExportFiles
    var tests: [(test: String, severity: String, failures: Int, passed: Bool)] = []
    switch engine {
    case .memory:
      var pipeline = MemoryEngine()
      try pipeline.append(input: input ?? "-")
      pipeline.run()
      files = pipeline.export()
    case .postgres:
      let postgres = PostgresEngine(connection: try connectToWarehouse())
      files = try postgres.export()
      tests = try postgres.lastDataTests().map {
        ($0.test, $0.severity.rawValue, Int($0.failures), $0.passed)
      }
    }
    var expected: ExportFiles?
    if let oracleDir { expected = try ExportFiles.read(directory: oracleDir) }
    let html = HTMLReport.render(
      ReportInput(
        title: "chaoslake report", engine: engine == .memory ? "memory" : "PostgreSQL",
        files: files, expected: expected, dataTests: tests, products: product))
    let file = try OutputFile(path: out)
    file.write(html)
    try file.close()
    print("report: \(out)")
  }
}
