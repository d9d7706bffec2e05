import ArgumentParser
import Warehouse

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Writes the five export files from PostgreSQL.")
  @Option(help: "Directory for the files.") var out: String

  func run() throws {
    let files = try PostgresEngine(connection: ConnectionSettings.connect()).export()
    try ExportWriter.write(files, to: out)
    print(
      "export: \(files.statuses.count) status rows, \(files.history.count) history versions in \(out)"
    )
  }
}
