import ExportFormat
import Foundation
import PostgresClient

/// The production path: the SQL models in `SQL/models`, applied in order inside PostgreSQL.
///
/// A run reads only the raw lines past the last watermark and recomputes only what they
/// touch. It runs in one transaction under an advisory lock: a failed or killed run leaves
/// the previous state, and two runs never interleave.
public struct PostgresEngine {
  private let connection: Connection
  /// Called after each model with its duration (for `--timing` and benchmarks).
  public var onModelFinished: ((String, Duration) -> Void)?

  public init(connection: Connection) { self.connection = connection }

  public struct Model: Sendable {
    public var name: String
    public var sql: String
  }

  /// What one run did.
  public struct RunReport: Sendable {
    public var runID: Int
    public var watermarkFrom: Int
    public var watermarkTo: Int
    public var productsRebuilt: Int
    public var tests: [DataTestResult]

    public var linesRead: Int { watermarkTo - watermarkFrom }
    public var failedErrors: [DataTestResult] {
      tests.filter { !$0.passed && $0.severity == "error" }
    }
  }

  public struct DataTestResult: Sendable, Hashable {
    public var test: String
    public var severity: String
    public var failures: Int
    public var passed: Bool
  }

  /// The bundled models, in the order they run.
  public static func models() throws -> [Model] {
    guard let directory = Bundle.module.url(forResource: "SQL", withExtension: nil) else {
      throw PostgresError(kind: .statement, message: "the SQL resources are missing from the build")
    }
    let folder = directory.appendingPathComponent("models")
    return try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".sql") }.sorted()
      .map {
        Model(
          name: String($0.dropLast(4)),
          sql: try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8))
      }
  }

  static let derivedTables = [
    "stg_events", "event_groups", "order_winners", "state_event_orphans", "line_status",
    "product_history", "mart_data_quality_daily", "mart_price_volatility", "mart_sales_daily",
  ]

  /// Transforms what raw holds into statuses, history and marts, then runs the data tests.
  public func run(fullRefresh: Bool = false) throws -> RunReport {
    let models = try Self.models()
    do {
      return try connection.transaction {
        try connection.execute("select pg_advisory_xact_lock(hashtext('chaoslake.run'))")
        let previous = try lastWatermark()
        if fullRefresh {
          try connection.executeScript("truncate " + Self.derivedTables.joined(separator: ", "))
        }
        let from = fullRefresh ? 0 : previous
        let to = Int(
          try connection.execute("select coalesce(max(seq), 0) from raw_events").scalar!)!
        let runID = try startRun(fullRefresh: fullRefresh, from: from, to: to)
        let clock = ContinuousClock()
        for model in models where model.name != "09_data_tests" {
          let started = clock.now
          defer { onModelFinished?(model.name, clock.now - started) }
          do { try connection.executeScript(model.sql) } catch let error as PostgresError {
            throw PostgresError(
              kind: error.kind, sqlState: error.sqlState,
              message: "model \(model.name): \(error.message)", detail: error.detail)
          }
        }
        let rebuilt = Int(try connection.execute("select count(*) from touched_products").scalar!)!
        let tests = try runTests(models: models)
        try connection.execute(
          """
          update pipeline_runs set status = 'succeeded', finished_at = clock_timestamp(),
            lines_read = watermark_to - watermark_from, products_rebuilt = $2
          where run_id = $1
          """, [.int(runID), .int(rebuilt)])
        return RunReport(
          runID: runID, watermarkFrom: from, watermarkTo: to, productsRebuilt: rebuilt, tests: tests
        )
      }
    } catch {
      // The run's work is rolled back; record that it failed, for operators.
      _ = try? connection.execute(
        """
        insert into pipeline_runs (full_refresh, watermark_from, watermark_to, status, finished_at)
        values ($1, 0, 0, 'failed', clock_timestamp())
        """, [.text(fullRefresh ? "true" : "false")])
      throw error
    }
  }

  /// Runs the data tests alone on the current tables, recorded as a run of their own.
  public func test() throws -> [DataTestResult] {
    try connection.transaction {
      try connection.execute("select pg_advisory_xact_lock(hashtext('chaoslake.run'))")
      let watermark = try lastWatermark()
      let runID = try startRun(fullRefresh: false, from: watermark, to: watermark)
      let results = try runTests(models: try Self.models())
      try connection.execute(
        "update pipeline_runs set status = 'tested', finished_at = clock_timestamp() where run_id = $1",
        [.int(runID)])
      return results
    }
  }

  /// The last raw `seq` a successful run processed (0 before the first).
  private func lastWatermark() throws -> Int {
    Int(
      try connection.execute(
        "select coalesce(max(watermark_to), 0) from pipeline_runs where status = 'succeeded'"
      ).scalar!)!
  }

  private func startRun(fullRefresh: Bool, from: Int, to: Int) throws -> Int {
    let runID = Int(
      try connection.execute(
        """
        insert into pipeline_runs (full_refresh, watermark_from, watermark_to)
        values ($1, $2, $3) returning run_id
        """, [.text(fullRefresh ? "true" : "false"), .int(from), .int(to)]
      ).scalar!)!
    try connection.executeScript(
      """
      create temp table run_context (run_id bigint, watermark_from bigint, watermark_to bigint)
        on commit drop
      """)
    try connection.execute(
      "insert into run_context values ($1, $2, $3)", [.int(runID), .int(from), .int(to)])
    return runID
  }

  private func runTests(models: [Model]) throws -> [DataTestResult] {
    guard let tests = models.first(where: { $0.name == "09_data_tests" }) else { return [] }
    try connection.executeScript(tests.sql)
    return try connection.execute(
      """
      select test, severity, failures, passed from data_test_results
      where run_id = (select run_id from run_context) order by test
      """
    ).rows.map {
      DataTestResult(test: $0[0]!, severity: $0[1]!, failures: Int($0[2]!)!, passed: $0[3] == "t")
    }
  }

  /// The data-test results of the latest run that has any.
  public func lastDataTests() throws -> [DataTestResult] {
    try connection.execute(
      """
      select test, severity, failures, passed from data_test_results
      where run_id = (select max(run_id) from data_test_results) order by test
      """
    ).rows.map {
      DataTestResult(test: $0[0]!, severity: $0[1]!, failures: Int($0[2]!)!, passed: $0[3] == "t")
    }
  }

  // MARK: - Export

  /// The five export files, read from the tables.
  public func export() throws -> ExportFiles {
    let statuses = try connection.execute(
      "select seq, status, reason from line_status order by seq"
    )
    .rows.map { row -> StatusRow in
      let status: LineStatus =
        switch row[1]! {
        case "accepted": .accepted
        case "duplicate": .duplicate
        default: .invalid(ReasonCode(rawValue: row[2] ?? "") ?? .malformedJSON)
        }
      return StatusRow(line: Int(row[0]!)!, status: status)
    }
    let history = try connection.execute(
      """
      select product_id, version, (price * 100)::bigint, category, is_deleted,
        (extract(epoch from valid_from) * 1000000)::bigint,
        (extract(epoch from valid_to) * 1000000)::bigint, event_id
      from product_history order by product_id, version
      """
    ).rows.map { row in
      HistoryRow(
        productID: Int64(row[0]!)!, version: Int(row[1]!)!,
        attributes: ProductAttributes(
          price: Cents(Int64(row[2]!)!), category: row[3]!, isDeleted: row[4] == "t"),
        validFrom: Instant(microseconds: Int64(row[5]!)!),
        validTo: row[6].map { Instant(microseconds: Int64($0)!) }, eventID: row[7]!)
    }
    let reasons = ReasonCode.allCases.map(\.rawValue).joined(separator: ", ")
    let quality = try connection.execute(
      """
      select event_date - date '1970-01-01', delivered, accepted, duplicates, \(reasons)
      from mart_data_quality_daily order by event_date nulls last
      """
    ).rows.map { row in
      var quality = QualityRow(eventDate: row[0].map { CivilDate(daysSinceEpoch: Int64($0)!) })
      quality.delivered = Int(row[1]!)!
      quality.accepted = Int(row[2]!)!
      quality.duplicate = Int(row[3]!)!
      for (offset, reason) in ReasonCode.allCases.enumerated() {
        let count = Int(row[4 + offset]!)!
        if count > 0 { quality.invalidByReason[reason] = count }
      }
      return quality
    }
    let volatility = try connection.execute(
      """
      select product_id, price_versions, (min_price * 100)::bigint, (max_price * 100)::bigint,
        (extract(epoch from last_change_at) * 1000000)::bigint
      from mart_price_volatility order by product_id
      """
    ).rows.map { row in
      VolatilityRow(
        productID: Int64(row[0]!)!, priceVersions: Int(row[1]!)!, minPrice: Cents(Int64(row[2]!)!),
        maxPrice: Cents(Int64(row[3]!)!), lastChangeAt: Instant(microseconds: Int64(row[4]!)!))
    }
    let sales = try connection.execute(
      """
      select event_date - date '1970-01-01', product_id, orders, units, (revenue * 100)::bigint
      from mart_sales_daily order by event_date, product_id
      """
    ).rows.map { row in
      SalesRow(
        eventDate: CivilDate(daysSinceEpoch: Int64(row[0]!)!), productID: Int64(row[1]!)!,
        orders: Int(row[2]!)!, units: Int64(row[3]!)!, revenue: Cents(Int64(row[4]!)!))
    }
    return ExportFiles(
      statuses: statuses, history: history, quality: quality, volatility: volatility, sales: sales)
  }

  // MARK: - Point in time

  public struct PricePoint: Sendable, Hashable {
    /// `active`, `discontinued` or `did_not_exist`.
    public var state: String
    public var price: Cents?
    public var category: String?
    public var validFrom: Instant?
    public var validTo: Instant?
    public var eventID: String?
  }

  /// "What was the price of product X at T?", through the SQL function `price_at`.
  public func price(of product: Int64, at instant: Instant) throws -> PricePoint {
    let row = try connection.execute(
      """
      select state, (price * 100)::bigint, category,
        (extract(epoch from valid_from) * 1000000)::bigint,
        (extract(epoch from valid_to) * 1000000)::bigint, event_id
      from price_at($1, timestamptz 'epoch' + $2::bigint * interval '1 microsecond')
      """, [.int(product), .int(instant.microseconds)]
    ).rows[0]
    return PricePoint(
      state: row[0]!, price: row[1].map { Cents(Int64($0)!) }, category: row[2],
      validFrom: row[3].map { Instant(microseconds: Int64($0)!) },
      validTo: row[4].map { Instant(microseconds: Int64($0)!) }, eventID: row[5])
  }
}
