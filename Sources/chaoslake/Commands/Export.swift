import ArgumentParser
import Warehouse

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Writes the five export files from PostgreSQL.")
  @Option(help: "Directory for the files.") var out: String

  func run() throws {
    let summary = try PostgresEngine(connection: connectToWarehouse()).export(toDirectory: out)
    print(
      "export: \(summary.statusRows) status rows, \(summary.historyVersions) history versions "
        + "in \(out)")
  }
}
