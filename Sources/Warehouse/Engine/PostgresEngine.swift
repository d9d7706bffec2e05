import ExportFormat
import Foundation
import PostgresClient

/// The production path: the SQL models in `SQL/models`, applied in order inside PostgreSQL.
///
/// Ingest has already staged every line (`stg_events`). A run reads only the lines past the
/// last watermark and recomputes only what they touch; the first run and a full refresh
/// read every line once (`run_context.rebuilds_everything`). It runs in one transaction and
/// one snapshot under an advisory lock: a failed or killed run leaves the previous state,
/// and two runs never interleave. `docs/incremental.md` describes the work tables.
public struct PostgresEngine {
  let connection: Connection
  /// Called after each model with its duration (for `--timing` and benchmarks).
  public var onModelFinished: ((String, Duration) -> Void)?

  public init(connection: Connection) { self.connection = connection }

  /// One SQL model: a file of `SQL/models`, named without its extension.
  public struct Model: Sendable {
    public var name: String
    public var sql: String
  }

  /// What one run did.
  public struct RunReport: Sendable {
    public var runID: Int64
    public var watermarkFrom: Int64
    public var watermarkTo: Int64
    public var productsRebuilt: Int64
    public var tests: [DataTestResult]

    public var linesRead: Int64 { watermarkTo - watermarkFrom }
    /// The failed tests whose severity fails the run.
    public var failedErrors: [DataTestResult] {
      tests.filter { !$0.passed && $0.severity == .error }
    }
  }

  /// The bundled models, in the order they run, in their form for `layout`.
  public static func models(for layout: Layout = .singleNode) throws -> [Model] {
    try SQLBundle.files(in: "models", layout: layout).map { Model(name: $0.name, sql: $0.sql) }
  }

  /// What a full refresh empties. Not `stg_events`: ingest stages each line as it appends
  /// it, and only `reparse` derives staging again.
  static let derivedTables = [
    "event_groups", "order_winners", "line_exceptions",
    "product_versions", "mart_data_quality_daily", "mart_price_volatility", "mart_sales_daily",
  ]

  /// Transforms what raw holds into statuses, history and marts, then runs the data tests.
  ///
  /// `reparse` (which implies `fullRefresh`) stages every raw line again from its bytes,
  /// for when the parsing rules changed since the lines were ingested.
  public func run(fullRefresh: Bool = false, reparse: Bool = false) throws -> RunReport {
    let layout = try Layout.detect(connection)
    let models = try Self.models(for: layout)
    let fullRefresh = fullRefresh || reparse
    // The run lock is taken before the transaction begins, so the transaction's one
    // snapshot (repeatable read) includes whatever the run before committed. In that
    // snapshot raw and staging end at the same line: ingest stages in the transaction that
    // appends.
    try connection.execute("select pg_advisory_lock(hashtext('chaoslake.run'))")
    defer { _ = try? connection.execute("select pg_advisory_unlock(hashtext('chaoslake.run'))") }
    do {
      // Whatever a failed node left half-committed is settled before the snapshot is taken.
      try layout.settleInterruptedCommits(connection)
      // An ingest stopped between setting staging's lookup indexes aside and building them
      // again leaves them missing: build them before the models need them (outside the
      // run's transaction: they are not the run's to roll back).
      try Ingestor.changingStagingLookups(connection) {
        try connection.execute("select build_staging_lookups()")
      }
      // A rebuild counts the repeated event_ids on staging's event_id index alone
      // (01_touched_groups), which answers without the table only on pages the visibility
      // map marks all-visible. A vacuum marks them: 0.1 s per 1M lines after a first load,
      // and it saved 0.6 s of the grouping's 1.7 s.
      if try fullRefresh || lastWatermark() == 0 {
        try connection.execute("vacuum stg_events")
      }
    } catch {
      // Settling reaches every worker: one lost now is reported as lost, as in the run.
      throw layout.explainingLostWorkers(error, connection)
    }
    do {
      return try connection.transaction(isolation: .repeatableRead) {
        let scope = try begin(layout, fullRefresh: fullRefresh, reparse: reparse)
        try connection.execute("savepoint models")
        do {
          try runModels(models, timed: true)
        } catch let failure as ModelFailure
          where layout == .singleNode && failure.error.isDataError
        {
          throw try locate(failure, models: models, from: scope.from, to: scope.to)
        } catch let failure as ModelFailure where layout.mayBeLineData(failure.error) {
          // Citus cannot roll back to the savepoint after a worker's error: the failure is
          // located after this transaction, by runs of their own (`locateByRuns`).
          throw UnlocatedFailure(failure: failure, from: scope.from, to: scope.to)
        } catch let failure as ModelFailure {
          throw failure.error.withContext("model \(failure.model)")
        }
        // the products whose history the run recomputed: whole in a rebuild, inside their
        // windows in an incremental run
        let rebuilt = try connection.execute(
          "select count(distinct product_id) from touched_windows"
        ).scalarInt64()
        try connection.executeScript(
          """
          create or replace temp view tested_lines as select seq from written_statuses;
          create or replace temp view tested_windows as
          select product_id, since, until from touched_windows;
          create or replace temp view tested_raw as
          select watermark_from as after_seq, watermark_to as up_to_seq from run_context;
          """)
        let clock = ContinuousClock()
        let testsStarted = clock.now
        let tests = try runTests(layout: layout, everyVersion: scope.from == 0)
        onModelFinished?("data tests (SQL/tests)", clock.now - testsStarted)
        try connection.execute(
          """
          update pipeline_runs set status = 'succeeded', finished_at = clock_timestamp(),
            lines_read = watermark_to - watermark_from, products_rebuilt = $2
          where run_id = $1
          """, [.int(scope.runID), .int(rebuilt)])
        return RunReport(
          runID: scope.runID, watermarkFrom: scope.from, watermarkTo: scope.to,
          productsRebuilt: rebuilt, tests: tests)
      }
    } catch let unlocated as UnlocatedFailure {
      recordFailedRun(fullRefresh: fullRefresh)
      // A worker that went away is no line's fault.
      let explained = layout.explainingLostWorkers(unlocated.failure.error, connection)
      if (explained as? PostgresError)?.code != unlocated.failure.error.code { throw explained }
      let located = Result {
        try locateByRuns(
          unlocated, models: models, layout: layout, fullRefresh: fullRefresh, reparse: reparse)
      }
      switch located {
      case .success(let failure?): throw failure
      case .success(nil):  // it did not fail again: report it as it came
        throw unlocated.failure.error.withContext("model \(unlocated.failure.model)")
      case .failure(let error): throw layout.explainingLostWorkers(error, connection)
      }
    } catch {
      recordFailedRun(fullRefresh: fullRefresh)
      throw layout.explainingLostWorkers(error, connection)
    }
  }

  /// The run's lines and what it starts from, as `begin` set them up.
  private struct RunScope {
    var runID: Int64
    var from: Int64
    var to: Int64
  }

  /// Sets up a run inside its transaction: settings, staging brought up to date, the tables
  /// emptied for a rebuild, the run recorded and its bounds published (`run_context`).
  /// `upTo` bounds the lines read (a run of its own locating a failure); by default every
  /// staged line in the run's snapshot.
  private func begin(
    _ layout: Layout, fullRefresh: Bool, reparse: Bool, upTo bound: Int64? = nil
  ) throws -> RunScope {
    try Self.pinSessionSettings(connection)
    try layout.muteLocalViewWarnings(connection)
    let previous = try lastWatermark()
    let restaging = Restaging(connection: connection)
    if reparse { try restaging.queueEverything() }
    try restaging.stageBacklog()
    let from = fullRefresh ? 0 : previous
    if from == 0 {
      // Rebuilding everything starts from empty tables (the models skip deletes then).
      try connection.executeScript("truncate " + Self.derivedTables.joined(separator: ", "))
    }
    let to =
      try bound
      ?? connection.execute("select coalesce(max(seq), 0) from raw_events")
      .scalarInt64()
    let runID = try startRun(fullRefresh: fullRefresh, from: from, to: to, reading: bound)
    // Memory for the run's sorts and hashes, for this transaction only. No JIT: a model's
    // statements run for well under a second each, and compiling their expressions cost
    // more than it saved (a full run at 1M lines: median 15.2 s with it, 14.0 s without).
    // Index probes priced as what they are on a cached table: an incremental run looks up
    // a few thousand keys, and at the default cost the planner scanned staging instead.
    try connection.executeScript(
      "set local work_mem = '256MB'; set local maintenance_work_mem = '256MB';"
        + " set local jit = off; set local random_page_cost = 1.1"
    )
    // Fresh statistics for staging after a large ingest, before the models plan on it.
    try connection.execute("select analyze_after_large_change('stg_events')")
    // A rebuild reads whole tables: parallel workers priced lower let the planner scan
    // staging and the versions with them (at 1M lines 8.1 -> 7.9 s, most of it in
    // 24_priced_orders). They never read the run's temporary tables.
    if from == 0 {
      try connection.executeScript(
        "set local parallel_setup_cost = 100; set local parallel_tuple_cost = 0.01")
    }
    // A run over a few new lines analyzes its work tables from a sample of 3,000 rows, not
    // 30,000: their plans need sizes and keys, and a fine histogram of a table read once
    // cost more than it saved. A rebuild's work tables hold every line, and its plans lost
    // more than the sampling saved. analyze_after_large_change keeps the server's target
    // for the tables that outlive the run.
    // Nor does such a run start parallel workers: its statements are too short to pay for
    // them, and a Gather starts its workers even under a filter that turns out false (the
    // accounting test's search for missing lines, which runs only when a count is short,
    // cost 18 of an empty run's 72 ms this way).
    if from > 0, (to - from) < to / 10 {
      try connection.executeScript(
        "set local default_statistics_target = 10; set local max_parallel_workers_per_gather = 0")
    }
    return RunScope(runID: runID, from: from, to: to)
  }

  /// Records that a run failed (its work rolled back), for operators.
  private func recordFailedRun(fullRefresh: Bool) {
    _ = try? connection.execute(
      """
      insert into pipeline_runs (full_refresh, watermark_from, watermark_to, status, finished_at)
      values ($1, 0, 0, 'failed', clock_timestamp())
      """, [.bool(fullRefresh)])
  }

  /// A model that raised, with the server's error.
  struct ModelFailure: Error {
    var model: String
    var error: PostgresError
  }

  /// A run that failed on the data of one raw line: the last line of defence behind the
  /// models' total expressions, so an operator learns which line and which model.
  public struct DataFailure: Error, CustomStringConvertible {
    /// The raw line whose addition (to the lines before it in the run) makes the run fail.
    public var seq: Int64
    public var model: String
    public var error: PostgresError

    public var description: String {
      "run failed on the data of raw line seq \(seq) in model \(model): \(error)"
    }
  }

  /// Applies every model but the data tests, in order, inside the run's transaction.
  private func runModels(_ models: [Model], timed: Bool) throws {
    let clock = ContinuousClock()
    for model in models {
      let started = clock.now
      defer { if timed { onModelFinished?(model.name, clock.now - started) } }
      do { try connection.executeScript(model.sql) } catch let error as PostgresError {
        throw ModelFailure(model: model.name, error: error)
      }
    }
  }

  /// Finds the first raw line in `(from, to]` whose addition makes the models fail, by
  /// bisection over the run's upper watermark (each try rolled back to the savepoint).
  private func locate(_ failure: ModelFailure, models: [Model], from: Int64, to: Int64) throws
    -> DataFailure
  {
    try Self.bisect(from: from, to: to, failing: failure) { middle in
      try connection.execute("rollback to savepoint models")
      try connection.execute("update run_context set watermark_to = $1", [.int(middle)])
      try Self.readLines(after: from, upTo: middle, connection)
      do {
        try runModels(models, timed: false)
        return nil
      } catch let again as ModelFailure where again.error.isDataError {
        return again
      }
    }
  }

  /// The first line in `(from, to]` whose addition makes the models fail, given that they
  /// fail over all of it (with `failure`) and pass over none of it: `failureUpTo(seq)` tries
  /// the models over `(from, seq]` and returns their failure, or nil when they pass.
  private static func bisect(
    from: Int64, to: Int64, failing failure: ModelFailure,
    _ failureUpTo: (Int64) throws -> ModelFailure?
  ) throws -> DataFailure {
    var passes = from  // models over (from, passes] succeed
    var fails = to  // models over (from, fails] fail
    var last = failure
    while fails - passes > 1 {
      let middle = passes + (fails - passes) / 2
      if let again = try failureUpTo(middle) {
        fails = middle
        last = again
      } else {
        passes = middle
      }
    }
    return DataFailure(seq: fails, model: last.model, error: last.error)
  }

  /// A model's failure that may come from a line's data, to be located once the run's
  /// transaction is rolled back.
  struct UnlocatedFailure: Error {
    var failure: ModelFailure
    var from: Int64
    var to: Int64
  }

  /// Finds the first raw line in `(from, to]` whose addition makes the models fail, as
  /// `locate` does, but with each try a transaction of its own, rolled back (Citus, where a
  /// worker's error leaves no savepoint to return to). `nil` when the run over all of
  /// `(from, to]` passes this time: the failure did not come from the lines.
  private func locateByRuns(
    _ unlocated: UnlocatedFailure, models: [Model], layout: Layout, fullRefresh: Bool,
    reparse: Bool
  ) throws -> DataFailure? {
    // A run over (from, seq], always rolled back: the models' first failure, or nil.
    func failure(upTo seq: Int64) throws -> ModelFailure? {
      try connection.execute("begin isolation level repeatable read")
      defer { _ = try? connection.execute("rollback") }
      _ = try begin(layout, fullRefresh: fullRefresh, reparse: reparse, upTo: seq)
      do {
        try runModels(models, timed: false)
        return nil
      } catch let again as ModelFailure where layout.mayBeLineData(again.error) {
        return again
      } catch let other as ModelFailure {
        throw other.error.withContext("model \(other.model)")
      }
    }
    guard let again = try failure(upTo: unlocated.to) else { return nil }
    return try Self.bisect(from: unlocated.from, to: unlocated.to, failing: again, failure(upTo:))
  }

  /// Points what the models read at the staged lines: `run_events`, all of them in the
  /// run's snapshot, or those up to `seq` (while bisecting a failure); `new_events`, those of
  /// them after `watermark` (every one, when rebuilding); `old_events`, those up to it (none,
  /// when rebuilding).
  ///
  /// The bounds are written into the views as literals (integers, never text) rather than
  /// read from `run_context`, so that the planner knows how many lines are new: against an
  /// unknown bound it guesses a third of staging, and joins whole tables by hash where an
  /// incremental run looks up a few thousand keys.
  static func readLines(after watermark: Int64, upTo seq: Int64?, _ connection: Connection)
    throws
  {
    let bound = seq.map { " where s.seq <= \($0)" } ?? ""
    try connection.executeScript(
      """
      create or replace temp view run_events as select s.* from stg_events as s\(bound);
      create or replace temp view new_events as
        select s.* from run_events as s where s.seq > \(watermark);
      create or replace temp view old_events as
        select s.* from run_events as s where s.seq <= \(watermark);
      """)
  }

  /// The settings the models are written for, for this transaction only (`set local`):
  /// whatever the server's TimeZone, DateStyle or search_path, a run computes the same.
  static func pinSessionSettings(_ connection: Connection) throws {
    try connection.executeScript(
      """
      set local timezone = 'UTC';
      set local datestyle = 'ISO, YMD';
      set local intervalstyle = 'postgres';
      set local search_path = chaoslake, public;
      """)
  }

  /// Runs the data tests alone on the current tables, recorded as a run of their own.
  public func test() throws -> [DataTestResult] {
    let layout = try Layout.detect(connection)
    try layout.settleInterruptedCommits(connection)
    return try connection.transaction {
      try connection.execute("select pg_advisory_xact_lock(hashtext('chaoslake.run'))")
      try Self.pinSessionSettings(connection)
      try layout.muteLocalViewWarnings(connection)
      let watermark = try lastWatermark()
      let runID = try startRun(fullRefresh: false, from: watermark, to: watermark)
      try connection.executeScript(
        """
        create or replace temp view tested_lines as select seq from line_status;
        create or replace temp view tested_windows as
        select distinct product_id, '-infinity'::timestamptz as since,
          'infinity'::timestamptz as until
        from product_versions;
        create or replace temp view tested_raw as
        select 0::bigint as after_seq, watermark_to as up_to_seq from run_context;
        """)
      let results = try runTests(layout: layout, everyVersion: true)
      try connection.execute(
        "update pipeline_runs set status = 'tested', finished_at = clock_timestamp() where run_id = $1",
        [.int(runID)])
      return results
    }
  }

  /// The last raw `seq` a successful run processed (0 before the first).
  private func lastWatermark() throws -> Int64 {
    try connection.execute(
      "select coalesce(max(watermark_to), 0) from pipeline_runs where status = 'succeeded'"
    ).scalarInt64()
  }

  /// Records the run as started and publishes its bounds to the models (`run_context`);
  /// `run_events` reads the staged lines up to `bound`, or all of them.
  private func startRun(fullRefresh: Bool, from: Int64, to: Int64, reading bound: Int64? = nil)
    throws -> Int64
  {
    let runID = try connection.execute(
      """
      insert into pipeline_runs (full_refresh, watermark_from, watermark_to)
      values ($1, $2, $3) returning run_id
      """, [.bool(fullRefresh), .int(from), .int(to)]
    ).scalarInt64()
    try connection.executeScript(
      """
      create temp table run_context (
        run_id bigint, watermark_from bigint, watermark_to bigint,
        rebuilds_everything boolean  -- every line is new: no incremental bookkeeping
      ) on commit drop
      """)
    try connection.execute(
      "insert into run_context values ($1, $2, $3, $4)",
      [.int(runID), .int(from), .int(to), .bool(from == 0)])
    try Self.readLines(after: from, upTo: bound, connection)
    return runID
  }
}
