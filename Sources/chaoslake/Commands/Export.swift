import ArgumentParser
import ExportFormat
import Warehouse

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Writes the five export files from PostgreSQL.")
  @Option(help: "Directory for the files.") var out: String

  func run() throws {
    let engine = PostgresEngine(connection: try connectToWarehouse())
    try ExportFiles.createDirectory(out)
    let statusFile = try OutputFile(path: out + "/status.csv")
    var statusRows = -1  // the header is not a row
    let files = try engine.exportStreaming { bytes in
      statusFile.write(bytes)
      statusRows += 1
    }
    try statusFile.close()
    let historyFile = try OutputFile(path: out + "/history.csv")
    var versions = 0
    var header = true
    try engine.forEachHistoryBatch { rows in
      historyFile.write(ExportFiles.renderHistory(rows, header: header))
      header = false
      versions += rows.count
    }
    if header { historyFile.write(ExportFiles.renderHistory([], header: true)) }
    try historyFile.close()
    try files.write(toDirectory: out, except: ["status.csv", "history.csv"])
    print("export: \(statusRows) status rows, \(versions) history versions in \(out)")
  }
}
