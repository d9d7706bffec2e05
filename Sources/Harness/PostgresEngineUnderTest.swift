import ExportFormat
import Foundation
import Pipeline
import PostgresClient

/// The PostgreSQL engine as an engine under test: every call gets a scratch database on
/// the server `conninfo` names (created and dropped around it), ingests the lines batch by
/// batch through the real ingest path and runs the models after each batch.
public func postgresEngine(conninfo: String) -> EngineUnderTest {
  { lines, runAfter in
    let admin = try Connection(conninfo)
    let name =
      "chaoslake_verify_"
      + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    try admin.execute("create database \(name)")  // a generated identifier, never data
    defer { _ = try? admin.execute("drop database if exists \(name) with (force)") }
    let connection = try Connection(conninfo, database: name)
    try Schema.migrate(connection)
    let engine = PostgresEngine(connection: connection)
    var start = 0
    for end in runAfter.isEmpty ? [lines.count] : runAfter {
      let file = FileManager.default.temporaryDirectory.appendingPathComponent(
        "\(name)-\(end).jsonl")
      try Data(lines[start..<end].flatMap { $0 + [0x0A] }).write(to: file)
      defer { try? FileManager.default.removeItem(at: file) }
      let descriptor = open(file.path, O_RDONLY)
      defer { close(descriptor) }
      _ = try Ingestor(connection: connection).ingest(
        descriptor: descriptor, name: file.lastPathComponent)
      _ = try engine.run()
      start = end
    }
    return try engine.export()
  }
}
