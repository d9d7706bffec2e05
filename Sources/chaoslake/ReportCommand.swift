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
  @Option(help: "JSONL input (memory engine).") var input: String?
  @Option(
    name: .customLong("oracle-dir"), help: "Overlay the oracle's prediction from this directory.")
  var oracleDir: String?
  @Option(help: "Also chart this product (repeatable).") var product: [Int64] = []

  func run() throws {
    let files: ExportFiles
    var tests: [(test: String, severity: String, failures: Int, passed: Bool)] = []
    switch engine {
    case .memory:
      guard let input else { throw CLIError.badInput("--engine memory needs --input FILE") }
      var pipeline = MemoryEngine()
      try pipeline.append(input: input)
      pipeline.run()
      files = pipeline.export()
    case .postgres:
      let postgres = PostgresEngine(connection: try ConnectionSettings.connect())
      files = try postgres.export()
      tests = try postgres.lastDataTests().map {
        ($0.test, $0.severity.rawValue, Int($0.failures), $0.passed)
      }
    }
    var expected: ExportFiles?
    if let oracleDir {
      do { expected = try ExportFiles.read(directory: oracleDir) } catch {
        throw CLIError.badInput("\(error)")
      }
    }
    let html = HTMLReport.render(
      ReportInput(
        title: "chaoslake report", engine: engine == .memory ? "memory" : "PostgreSQL",
        files: files, expected: expected, dataTests: tests, products: product))
    do { try html.write(toFile: out, atomically: true, encoding: .utf8) } catch {
      throw CLIError.badInput("cannot write \(out): \(error.localizedDescription)")
    }
    print("report: \(out)")
  }
}
