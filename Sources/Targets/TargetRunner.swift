import ExportFormat
import Foundation
import Harness
import Pipeline
import PostgresClient
import Warehouse

/// Feeds delivered lines to a target pipeline batch by batch, running it after each, and
/// reads its history back.
package struct TargetRunner {
  package let target: TargetFile
  /// The server (and, for a reset command, the database) to run against.
  package let conninfo: String
  /// The `chaoslake` executable, handed to target commands as `$CHAOSLAKE`.
  package let chaoslakePath: String

  package init(target: TargetFile, conninfo: String, chaoslakePath: String) {
    self.target = target
    self.conninfo = conninfo
    self.chaoslakePath = chaoslakePath
  }

  /// Runs `lines` through the pipeline (a run after each line count in `runAfter`) from a
  /// reset state, and returns the versions its history query reports.
  package func run(lines: [[UInt8]], runAfter: [Int]) throws -> [ReportedVersion] {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent(
      "chaoslake-target-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    switch target.reset {
    case .scratchDatabase:
      return try ScratchDatabase.with(conninfo: conninfo, prefix: "chaoslake_target") {
        try runIn($0, lines, runAfter, work: work)
      }
    case .command(let reset):
      let connection = try Connection(conninfo)
      try shell(reset, connection: connection, work: work, extra: [:]).run(
        log: work.appendingPathComponent("reset.log"))
      try Schema.migrate(connection)
      return try runIn(connection, lines, runAfter, work: work)
    }
  }

  private func runIn(
    _ connection: Connection, _ lines: [[UInt8]], _ runAfter: [Int], work: URL
  ) throws -> [ReportedVersion] {
    let ends = runAfter.isEmpty ? [lines.count] : runAfter
    var start = 0
    for (index, end) in ends.enumerated() {
      let file = work.appendingPathComponent("batch-\(index + 1).jsonl")
      try Data(JSONLines.join(lines[start..<end])).write(to: file)
      let batch = [
        "CHAOSLAKE_BATCH_FILE": file.path, "CHAOSLAKE_BATCH_INDEX": String(index + 1),
        "CHAOSLAKE_BATCH_COUNT": String(ends.count),
      ]
      switch target.delivery {
      case .rawEvents:
        _ = try Ingestor(connection: connection).ingest(file: file.path)
      case .command(let deliver):
        try shell(deliver, connection: connection, work: work, extra: batch).run(
          log: work.appendingPathComponent("deliver-\(index + 1).log"))
      }
      try shell(target.run, connection: connection, work: work, extra: batch).run(
        log: work.appendingPathComponent("run-\(index + 1).log"))
      start = end
    }
    return try history(connection)
  }

  /// The target's history query failed, or returned a row that cannot be read: the
  /// pipeline's output is wrong, not our setup.
  struct HistoryQueryFailed: Error, CustomStringConvertible {
    var description: String
  }

  /// The target's history query, read in the export's types. Times are read in UTC.
  private func history(_ connection: Connection) throws -> [ReportedVersion] {
    try connection.execute("set timezone = 'UTC'")
    do {
      return try readHistory(connection)
    } catch let error as PostgresError where error.kind != .connection {
      throw HistoryQueryFailed(description: "the history query failed: \(error)")
    }
  }

  private func readHistory(_ connection: Connection) throws -> [ReportedVersion] {
    // Named as the target's columns, so a message about one names the target's column.
    let rows = try connection.execute(
      """
      select product_id::bigint as product_id, round(price::numeric, 2)::text as price,
        category::text as category, coalesce(is_deleted::boolean, false) as is_deleted,
        (extract(epoch from valid_from::timestamptz) * 1000000)::bigint as valid_from,
        (extract(epoch from valid_to::timestamptz) * 1000000)::bigint as valid_to
      from (\(target.historyQuery)) as target_history
      """
    ).rows
    return try rows.enumerated().map { position, row in
      do {
        // A NULL price or category is a wrong output to compare, not a failure to read.
        let priceText = try row.optionalString(1)
        let price = try priceText.map { text in
          guard let price = Cents(exportText: text) else {
            throw PostgresError(
              kind: .unexpectedResult, message: "column 1 (price): '\(text)' is not money")
          }
          return price
        }
        return ReportedVersion(
          productID: try row.int64(0),
          attributes: ReportedAttributes(
            price: price, category: try row.optionalString(2), isDeleted: try row.bool(3)),
          validFrom: try row.optionalInt64(4).map { Instant(microseconds: $0) },
          validTo: try row.optionalInt64(5).map { Instant(microseconds: $0) })
      } catch let error as PostgresError {
        throw HistoryQueryFailed(
          description: "the history query, row \(position + 1): \(error.message)")
      }
    }
  }

  /// A target command with the database in the libpq variables and `DATABASE_URL`, the
  /// chaoslake executable in `$CHAOSLAKE` and a scratch folder in `$CHAOSLAKE_WORK_DIR`.
  private func shell(
    _ command: String, connection: Connection, work: URL, extra: [String: String]
  ) -> ShellCommand {
    var environment = ProcessInfo.processInfo.environment
    for name in ["PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD"] {
      environment[name] = nil
    }
    let database = connection.environment
    environment.merge(database) { $1 }
    environment["DATABASE_URL"] = Self.url(database)
    environment["CHAOSLAKE"] = chaoslakePath
    environment["CHAOSLAKE_WORK_DIR"] = work.path
    environment.merge(target.environment) { $1 }
    environment.merge(extra) { $1 }
    return ShellCommand(
      command: command, workingDirectory: target.workingDirectory, environment: environment)
  }

  /// `postgresql://user@/database?host=…&port=…`; the password stays in `PGPASSWORD`.
  static func url(_ database: [String: String]) -> String {
    func encoded(_ text: String) -> String {
      text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
    var url =
      "postgresql://" + (database["PGUSER"].map { encoded($0) + "@" } ?? "") + "/"
      + encoded(database["PGDATABASE"] ?? "")
    var query: [String] = []
    if let host = database["PGHOST"] { query.append("host=" + encoded(host)) }
    if let port = database["PGPORT"] { query.append("port=" + encoded(port)) }
    if !query.isEmpty { url += "?" + query.joined(separator: "&") }
    return url
  }
}
