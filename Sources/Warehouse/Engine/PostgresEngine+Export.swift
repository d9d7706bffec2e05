import ExportFormat
import PostgresClient

extension PostgresEngine {
  /// The five export files, read from the tables (every row in memory: for tests and
  /// verification at small sizes; `exportStreaming` writes any size in flat memory).
  public func export() throws -> ExportFiles {
    var files = try exportExceptStatuses(includingHistory: true)
    files.statuses = try connection.execute(
      "select seq, status, reason from line_status order by seq"
    ).rows.map { row -> StatusRow in
      let status: LineStatus
      switch try row.string(1) {
      case "accepted": status = .accepted
      case "duplicate": status = .duplicate
      default:
        let reason = try row.optionalString(2) ?? ""
        guard let code = ReasonCode(rawValue: reason) else {
          throw PostgresError(
            kind: .unexpectedResult, message: "line_status: unknown reason '\(reason)'")
        }
        status = .invalid(code)
      }
      return StatusRow(line: try row.int(0), status: status)
    }
    return files
  }

  /// Writes `status.csv` (one row per raw line: the one file that grows with the input)
  /// to `statusFile` as PostgreSQL streams it, checked row by row, and returns the three
  /// small files (quality, volatility, sales; statuses and history empty: history streams
  /// through `forEachHistoryBatch`). Memory stays flat at any number of lines.
  public func exportStreaming(statusFile: (UnsafeRawBufferPointer) throws -> Void) throws
    -> ExportFiles
  {
    try Array("line,status,reason\n".utf8).withUnsafeBytes(statusFile)
    try connection.copyOut(
      """
      copy (select seq || ',' || status || ',' || coalesce(reason, '') from line_status
        order by seq) to stdout
      """
    ) { row in
      guard Self.isStatusRow(row) else {
        throw PostgresError(
          kind: .unexpectedResult,
          message:
            "line_status: unexpected row '\(String(decoding: row.prefix(80), as: UTF8.self))'")
      }
      try statusFile(row)
    }
    return try exportExceptStatuses(includingHistory: false)
  }

  static let historyQuery = """
    select product_id, version, round(price, 2)::text, category, is_deleted,
      (extract(epoch from valid_from) * 1000000)::bigint,
      (extract(epoch from valid_to) * 1000000)::bigint, event_id
    from product_history order by product_id, version
    """

  static func historyRow(_ row: QueryResult.Row) throws -> HistoryRow {
    HistoryRow(
      productID: try row.int64(0), version: try row.int(1),
      attributes: ProductAttributes(
        price: try row.cents(2), category: try row.string(3), isDeleted: try row.bool(4)),
      validFrom: Instant(microseconds: try row.int64(5)),
      validTo: try row.optionalInt64(6).map { Instant(microseconds: $0) },
      eventID: try row.string(7))
  }

  /// Calls `body` with the history rows in export order, `batch` at a time, through a
  /// cursor (in its own transaction), so memory stays flat however long the history is.
  public func forEachHistoryBatch(batch: Int = 20_000, _ body: ([HistoryRow]) throws -> Void)
    throws
  {
    try connection.transaction(isolation: .repeatableRead) {
      try connection.executeScript("declare history_rows no scroll cursor for " + Self.historyQuery)
      while true {
        let rows = try connection.execute("fetch forward \(batch) from history_rows").rows
        if rows.isEmpty { break }
        try body(try rows.map(Self.historyRow))
      }
    }
  }

  /// `seq,status,reason\n` with a known status and reason (plain ASCII, so no CSV quoting
  /// and no COPY escaping apply).
  static func isStatusRow(_ row: UnsafeRawBufferPointer) -> Bool {
    guard row.last == UInt8(ascii: "\n") else { return false }
    let fields = row.dropLast().split(
      separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    guard fields.count == 3, !fields[0].isEmpty,
      fields[0].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
    else { return false }
    let status = String(decoding: fields[1], as: UTF8.self)
    let reason = String(decoding: fields[2], as: UTF8.self)
    switch status {
    case "accepted", "duplicate": return reason.isEmpty
    case "invalid": return ReasonCode(rawValue: reason) != nil
    default: return false
    }
  }

  private func exportExceptStatuses(includingHistory: Bool) throws -> ExportFiles {
    let history =
      includingHistory ? try connection.execute(Self.historyQuery).rows.map(Self.historyRow) : []
    let reasons = ReasonCode.allCases.map(\.rawValue).joined(separator: ", ")
    let quality = try connection.execute(
      """
      select event_date - date '1970-01-01', delivered, accepted, duplicates, \(reasons)
      from mart_data_quality_daily order by event_date nulls last
      """
    ).rows.map { row in
      var quality = QualityRow(
        eventDate: try row.optionalInt64(0).map { CivilDate(daysSinceEpoch: $0) })
      quality.delivered = try row.int(1)
      quality.accepted = try row.int(2)
      quality.duplicate = try row.int(3)
      for (offset, reason) in ReasonCode.allCases.enumerated() {
        let count = try row.int(4 + offset)
        if count > 0 { quality.invalidByReason[reason] = count }
      }
      return quality
    }
    let volatility = try connection.execute(
      """
      select product_id, price_versions, round(min_price, 2)::text, round(max_price, 2)::text,
        (extract(epoch from last_change_at) * 1000000)::bigint
      from mart_price_volatility order by product_id
      """
    ).rows.map { row in
      VolatilityRow(
        productID: try row.int64(0), priceVersions: try row.int(1),
        minPrice: try row.cents(2), maxPrice: try row.cents(3),
        lastChangeAt: Instant(microseconds: try row.int64(4)))
    }
    let sales = try connection.execute(
      """
      select event_date - date '1970-01-01', product_id, orders, units, round(revenue, 2)::text
      from mart_sales_daily order by event_date, product_id
      """
    ).rows.map { row in
      SalesRow(
        eventDate: CivilDate(daysSinceEpoch: try row.int64(0)), productID: try row.int64(1),
        orders: try row.int(2), units: try row.int64(3), revenue: try row.cents(4))
    }
    return ExportFiles(
      statuses: [], history: history, quality: quality, volatility: volatility, sales: sales)
  }
}

extension QueryResult.Row {
  /// A `numeric` column rendered with exactly two decimals (`round(x, 2)::text`), read
  /// exactly: money never passes through a fixed-width integer or a float on the way out.
  func cents(_ index: Int) throws -> Cents {
    guard let value = try optionalCents(index) else {
      throw PostgresError(
        kind: .unexpectedResult, message: "column \(index): expected money, got NULL")
    }
    return value
  }

  func optionalCents(_ index: Int) throws -> Cents? {
    guard let text = try optionalString(index) else { return nil }
    guard let cents = Cents(exportText: text) else {
      throw PostgresError(
        kind: .unexpectedResult,
        message: "column \(index): expected money, got '\(text.prefix(40))'")
    }
    return cents
  }
}

extension PostgresEngine {
  /// What `export(toDirectory:)` wrote.
  public struct ExportSummary: Sendable {
    public var statusRows: Int
    public var historyVersions: Int
  }

  /// Writes the five export files into `directory` (created when missing), streaming the
  /// two that grow with the input (`status.csv` and `history.csv`) as the server sends them.
  public func export(toDirectory directory: String) throws -> ExportSummary {
    try ExportFiles.createDirectory(directory)
    let statusFile = try OutputFile(path: directory + "/status.csv")
    var statusRows = -1  // the header is not a row
    let files = try exportStreaming { bytes in
      statusFile.write(bytes)
      statusRows += 1
    }
    try statusFile.close()
    let historyFile = try OutputFile(path: directory + "/history.csv")
    var versions = 0
    var header = true
    try forEachHistoryBatch { rows in
      historyFile.write(ExportFiles.renderHistory(rows, header: header))
      header = false
      versions += rows.count
    }
    if header { historyFile.write(ExportFiles.renderHistory([], header: true)) }
    try historyFile.close()
    try files.write(toDirectory: directory, except: ["status.csv", "history.csv"])
    return ExportSummary(statusRows: statusRows, historyVersions: versions)
  }
}
