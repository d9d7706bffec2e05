import ChaosOracle
import ExportFormat
import Foundation
import Pipeline
import PostgresClient
import Testing

@testable import Warehouse

/// A data test that cannot fail is a defect. Each case damages a correctly built warehouse
/// the way one data test guards against (constraints that would refuse the damage are
/// dropped first), then requires that test to fail with its severity and to name the
/// damaged row, while every other test still passes.
@Suite("Data tests: each fails on the damage it guards against", .serialized)
struct DataTestDamageTests {
  struct Damage: Sendable, CustomTestStringConvertible {
    /// What is broken, for the test's name.
    var what: String
    /// The data tests that must fail: the one guarding against this damage, and any other
    /// that the damage breaks by necessity (said where it happens).
    var failing: Set<String>
    var severity: DataTestResult.Severity = .error
    /// Returns the text a failing row must hold to name the damaged row (`"seq":17`).
    var target: String
    /// The damage itself, in the `chaoslake` schema.
    var damage: String

    var testDescription: String { what }
  }

  /// A closed version longer than a second (so it has a successor, and a microsecond can be
  /// taken from it): the first such of the lowest product id.
  static let firstVersion = """
    (select product_id, valid_from from product_versions
     where valid_to is not null and valid_to - valid_from > interval '1 second'
     order by product_id, valid_from limit 1)
    """

  /// Sets `valid_to` to `end` in the versions `condition` selects. The new end is worked out
  /// first: Citus refuses a STABLE function (`timestamptz ± interval`) over the columns of
  /// the table an UPDATE changes.
  static func damagedEnd(_ end: String, of condition: String) -> String {
    """
    with damaged as materialized (
      select product_id, valid_from, \(end) as valid_to from product_versions where \(condition)
    )
    update product_versions as v set valid_to = d.valid_to from damaged as d
    where v.product_id = d.product_id and v.valid_from = d.valid_from
    """
  }

  static let damages: [Damage] = [
    Damage(
      what: "an exception with a reason outside the contract's fourteen",
      failing: ["accepted_values_line_status_reason"],
      target: "select format('\"seq\":%s', min(seq)) from line_exceptions where status = 'invalid'",
      damage: """
        update line_exceptions set reason = 'not_a_reason'
        where seq = (select min(seq) from line_exceptions where status = 'invalid')
        """),
    Damage(
      what: "a day whose statuses do not add up to its deliveries",
      failing: ["accounting_daily_mart_adds_up"],
      target:
        "select format('\"event_date\":\"%s\"', to_char(min(event_date), 'YYYY-MM-DD')) from mart_data_quality_daily",
      damage: """
        update mart_data_quality_daily set accepted = accepted + 1
        where event_date = (select min(event_date) from mart_data_quality_daily)
        """),
    Damage(
      what: "days that add up to fewer lines than were delivered",
      failing: ["accounting_daily_mart_adds_up"],
      target: "select '\"event_date\":null'",
      damage: """
        update mart_data_quality_daily set accepted = accepted - 1, delivered = delivered - 1
        where event_date = (select min(event_date) from mart_data_quality_daily)
        """),
    Damage(
      what: "a raw line without a status (its staged row gone)",
      failing: ["accounting_every_raw_line_has_one_status"],
      target: """
        select format('\"seq\":%s', max(s.seq)) from stg_events as s
        where s.event_type = 'order_placed'
          and not exists (select 1 from line_exceptions as e where e.seq = s.seq)
        """,
      damage: """
        delete from stg_events where seq = (
          select max(s.seq) from stg_events as s
          where s.event_type = 'order_placed'
            and not exists (select 1 from line_exceptions as e where e.seq = s.seq))
        """),
    Damage(
      what: "a version without a category",
      failing: ["not_null_product_history"],
      target: "select format('\"product_id\":%s', product_id) from \(firstVersion) as v",
      damage: """
        alter table product_versions alter column category drop not null;
        update product_versions set category = null
        where (product_id, valid_from) = \(firstVersion)
        """),
    Damage(
      what: "an exception for a line that was never delivered",
      failing: ["relationships_line_exceptions_seq"],
      target: "select format('\"seq\":%s', max(seq) + 1000) from raw_events",
      damage: """
        insert into line_exceptions (seq, status, reason)
        select max(seq) + 1000, 'invalid', 'malformed_json' from raw_events
        """),
    Damage(
      what: "a version caused by an event that was never accepted",
      failing: ["relationships_product_history_event_id"],
      target: "select format('\"product_id\":%s', product_id) from \(firstVersion) as v",
      damage: """
        update product_versions set event_id = '00000000-0000-4000-8000-000000000000'
        where (product_id, valid_from) = \(firstVersion)
        """),
    Damage(
      what: "a product without a current version",
      failing: ["scd2_exactly_one_current_row"],
      target: "select format('\"product_id\":%s', min(product_id)) from product_versions",
      damage: """
        \(damagedEnd(
          "valid_from + interval '1 second'",
          of: "product_id = (select min(product_id) from product_versions) and valid_to is null"))
        """),
    Damage(
      what: "a gap between two versions",
      failing: ["scd2_no_gap_no_overlap"],
      target: "select format('\"product_id\":%s', product_id) from \(firstVersion) as v",
      damage: """
        \(damagedEnd(
          "valid_to - interval '1 microsecond'", of: "(product_id, valid_from) = \(firstVersion)"))
        """),
    Damage(
      what: "two versions that overlap",
      failing: ["scd2_no_gap_no_overlap"],
      target: "select format('\"product_id\":%s', product_id) from \(firstVersion) as v",
      damage: """
        \(damagedEnd(
          "valid_to + interval '1 microsecond'", of: "(product_id, valid_from) = \(firstVersion)"))
        """),
    // An empty interval between a version and its successor ends before the successor
    // starts: it is a gap as well, so both tests must report it.
    Damage(
      what: "a version that ends where it starts",
      failing: ["scd2_valid_from_before_valid_to", "scd2_no_gap_no_overlap"],
      target: "select format('\"product_id\":%s', product_id) from \(firstVersion) as v",
      damage: """
        alter table product_versions drop constraint product_versions_check;
        update product_versions set valid_to = valid_from
        where (product_id, valid_from) = \(firstVersion)
        """),
    Damage(
      what: "a day whose error rate is above one half",
      failing: ["warn_daily_error_rate_above_half"], severity: .warn,
      target:
        "select format('\"event_date\":\"%s\"', to_char(min(event_date), 'YYYY-MM-DD')) from mart_data_quality_daily",
      damage: """
        update mart_data_quality_daily set error_rate = 0.9
        where event_date = (select min(event_date) from mart_data_quality_daily)
        """),
  ]

  /// A warehouse built by the real ingest and run (the `default` profile: about one line in
  /// ten rejected, so no day passes the error-rate warning): every test passes.
  static func builtWarehouse() throws -> TestDatabase {
    let database = try TestDatabase()
    let deliveries = Array(
      StreamGenerator(
        options: GeneratorOptions(seed: 71, events: 3_000, profile: .default)))
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("damage.jsonl")
    try Data(JSONLines.join(deliveries.map(\.bytes))).write(to: file)
    _ = try Ingestor(connection: database.connection).ingest(file: file.path)
    let report = try PostgresEngine(connection: database.connection).run()
    let failed = report.tests.filter { !$0.passed }
    #expect(failed.isEmpty, "\(failed)")
    return database
  }

  @Test("every data test fails on its damage, names the row, and only it fails", arguments: damages)
  func damaged(damage: Damage) throws {
    let database = try Self.builtWarehouse()
    let connection = database.connection
    try Schema.use(connection)
    let target = try #require(try connection.execute(damage.target).scalar)
    // one statement at a time: Citus refuses DDL on a sharded table beside other commands
    for statement in try SQLScript(damage.damage).statements {
      try connection.executeScript(statement)
    }
    let results = try PostgresEngine(connection: connection).test()
    let names = Set(results.map(\.test))
    #expect(damage.failing.isSubset(of: names), "unknown test names in \(damage.failing)")
    for result in results {
      if damage.failing.contains(result.test) {
        #expect(!result.passed, "\(result.test) did not report: \(damage.what)")
        #expect(result.severity == damage.severity, "\(result.test)")
        #expect(
          result.failingRows.contains { $0.contains(target) },
          "\(result.test) names \(result.failingRows), not \(target)")
      } else {
        #expect(result.passed, "\(result.test) failed on \(damage.what): \(result.failingRows)")
      }
    }
    #expect(DataTestResult.anyErrorFailed(results) == (damage.severity == .error))
  }

  /// After an incremental run the reason test reads the run's new lines' exceptions as one
  /// range and probes each older tested line's: a bad reason in either is reported, and one
  /// on an older line the run did not judge is not the run's to report.
  @Test("after an incremental run, the reason test checks the new lines and the older tested ones")
  func reasonsInAnIncrementalScope() throws {
    let database = try Self.builtWarehouse()
    let connection = database.connection
    try Schema.use(connection)
    let layout = try Layout.detect(connection)
    let test = try #require(
      try DataTest.bundled(for: layout).first { $0.name == "accepted_values_line_status_reason" })
    // The run's new lines are those after the median exception; of the older exceptions,
    // the lowest is judged again by the run, the next one is not. (Worked out in a copy:
    // Citus runs no window function over a sharded table that is not partitioned by its key.)
    try connection.executeScript(
      """
      create temp table exception_seqs as select seq from line_exceptions;
      create temp table scope as
      with e as (
        select seq, row_number() over (order by seq) as n, count(*) over () as total
        from exception_seqs
      )
      select
        (select seq from e where n = 1) as judged_older,
        (select seq from e where n = 2) as untouched_older,
        (select seq from e where n = total / 2 + 1) as watermark,
        (select max(seq) from e) as newest,
        (select max(seq) from raw_events) as up_to;
      create temp view tested_raw as
      select watermark as after_seq, up_to as up_to_seq from scope;
      create temp table tested_seqs as
      select r.seq from raw_events as r
      where r.seq > (select watermark from scope) or r.seq = (select judged_older from scope);
      create temp view tested_lines as select seq from tested_seqs;
      update line_exceptions set reason = 'not_a_reason'
      where seq = (select judged_older from scope);
      update line_exceptions set reason = 'not_a_reason'
      where seq = (select untouched_older from scope);
      update line_exceptions set reason = 'not_a_reason'
      where seq = (select newest from scope);
      """)
    let scope = try connection.execute(
      "select judged_older, untouched_older, watermark, newest from scope"
    ).singleRow()
    let (judgedOlder, untouchedOlder) = (try scope.int64(0), try scope.int64(1))
    let (watermark, newest) = (try scope.int64(2), try scope.int64(3))
    try #require(untouchedOlder < watermark && watermark < newest)
    let failing = Set(
      try connection.execute("select seq from (\(test.sql)) as failing").rows.map {
        try $0.int64(0)
      })
    #expect(failing == [judgedOlder, newest])
  }
}
