import ExportFormat
import Foundation
import Pipeline
import PostgresClient

/// Runs delivered lines through the real ingest and SQL models in a database of their own,
/// for verification: created on the server `conninfo` names, dropped afterwards.
package enum ScratchDatabase {
  /// Ingests `lines` batch by batch (a run after each line count in `runAfter`, or one run
  /// when it is empty) and returns the export files after the last run.
  package static func run(conninfo: String, lines: [[UInt8]], runAfter: [Int]) throws
    -> ExportFiles
  {
    try with(conninfo: conninfo, prefix: "chaoslake_verify") { connection in
      try run(connection: connection, lines: lines, runAfter: runAfter)
    }
  }

  /// Runs `body` with a connection to a fresh, migrated database on the server `conninfo`
  /// names (`prefix` and a random suffix), dropped afterwards whatever `body` does.
  package static func with<T>(
    conninfo: String, prefix: String, _ body: (Connection) throws -> T
  ) throws -> T {
    let admin = try Connection(conninfo)
    let name =
      prefix + "_"
      + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    // a generated identifier, never data
    try Layout.createDatabase(name, from: admin, conninfo: conninfo)
    defer { try? Layout.dropDatabase(name, from: admin) }
    let connection = try Connection(conninfo, database: name)
    try Schema.migrate(connection)
    return try body(connection)
  }

  private static func run(connection: Connection, lines: [[UInt8]], runAfter: [Int]) throws
    -> ExportFiles
  {
    let engine = PostgresEngine(connection: connection)
    var start = 0
    for end in runAfter.isEmpty ? [lines.count] : runAfter {
      let file = FileManager.default.temporaryDirectory.appendingPathComponent(
        "chaoslake-scratch-\(UUID().uuidString.prefix(8))-\(end).jsonl")
      try Data(JSONLines.join(lines[start..<end])).write(to: file)
      defer { try? FileManager.default.removeItem(at: file) }
      _ = try Ingestor(connection: connection).ingest(file: file.path)
      _ = try engine.run()
      start = end
    }
    return try engine.export()
  }
}
