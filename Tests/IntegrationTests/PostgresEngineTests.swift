import ChaosOracle
import ExportFormat
import Foundation
import Harness
import Pipeline
import PostgresClient
import Testing
import Warehouse

/// The engine under test for these suites: a scratch database on the test cluster
/// (`make test` sets PGHOST).
private let postgres: EngineUnderTest = { lines, runAfter in
  try ScratchDatabase.run(conninfo: "", lines: lines, runAfter: runAfter)
}

@Suite("PostgreSQL engine: scenario corpus")
struct PostgresScenarioTests {
  @Test("each scenario passes on the PostgreSQL engine", arguments: scenarioFileNames())
  func scenario(file: String) throws {
    _ = try TestDatabase()  // fails clearly when no test cluster is configured
    let path = packageRoot.appendingPathComponent("scenarios/" + file).path
    let outcome = try Runner.run(try ScenarioFile.load(path: path), engine: postgres)
    #expect(
      outcome.comparison.isMatch,
      "\(file):\n\(outcome.comparison.report())replay: chaoslake replay --engine postgres scenarios/\(file)"
    )
  }
}

func scenarioFileNames() -> [String] {
  let directory = packageRoot.appendingPathComponent("scenarios").path
  return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
    .filter { $0.hasSuffix(".yaml") }.sorted()
}

@Suite("PostgreSQL engine: generated streams")
struct PostgresGeneratedTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var seed: UInt64
    var profile: String
    var swarm: Bool
    var batches: Int

    var events: Int { 200 + Int(seed % 7) * 100 }
    var replay: String {
      "chaoslake verify --engine postgres --seed \(seed) --events \(events) --profile \(profile)"
        + "\(swarm ? " --swarm" : "") --batches \(batches)"
    }
    var testDescription: String { replay }
  }

  /// 60 cases: 15 seeds for each preset, every other one in swarm mode, K in {1, 3, 10}.
  static let cases: [Case] = {
    var cases: [Case] = []
    for profile in ChaosProfile.presetNames {
      for index in 1...15 {
        let batches = [1, 3, 10][index % 3]
        cases.append(
          Case(
            seed: UInt64(1000 + index), profile: profile, swarm: index % 2 == 0, batches: batches))
      }
    }
    return cases
  }()

  @Test("PostgreSQL export = oracle = memory engine, in 1, 3 or 10 batches", arguments: cases)
  func oracleEquality(_ item: Case) throws {
    _ = try TestDatabase()
    var options = GeneratorOptions(
      seed: item.seed, events: item.events, profile: try #require(.preset(named: item.profile)))
    if item.swarm { options.profile = options.profile.swarm(seed: item.seed) }
    let deliveries = Array(StreamGenerator(options: options))
    let lines = deliveries.map(\.bytes)
    let runAfter = Scenario.Batches.even(item.batches).ends(lineCount: lines.count)
    let expected = Oracle.predict(deliveries.map(\.truth))
    let fromPostgres = try postgres(lines, runAfter)
    let fromMemory = try memoryEngine(lines, runAfter)
    #expect(fromPostgres == expected, "replay: \(item.replay)")
    #expect(fromPostgres == fromMemory, "replay: \(item.replay)")
  }
}

/// A state event delivered after an earlier line of its product, at that line's exact
/// instant, and run in a later batch: the incremental run must judge the earlier line again
/// from that instant on (`>= since`), not after it.
@Suite("PostgreSQL engine: same-instant lines across batches")
struct PostgresBatchSplitTests {
  @Test(
    "a run before each state_at_earlier_instant line: export = oracle = memory engine",
    arguments: 1...4 as ClosedRange<UInt64>)
  func splitBetweenThePair(seed: UInt64) throws {
    _ = try TestDatabase()
    var profile = ChaosProfile.default
    profile.rates[.stateAtEarlierInstant] = 0.04
    let deliveries = Array(
      StreamGenerator(options: GeneratorOptions(seed: seed, events: 700, profile: profile)))
    let lines = deliveries.map(\.bytes)
    let runAfter = Scenario.Batches.before(.stateAtEarlierInstant, in: deliveries)
      .ends(lineCount: lines.count)
    #expect(runAfter.count > 10, "seed \(seed): only \(runAfter.count) batches")
    let expected = Oracle.predict(deliveries.map(\.truth))
    let fromPostgres = try postgres(lines, runAfter)
    #expect(fromPostgres == expected, "seed \(seed), runs after \(runAfter.dropLast())")
    #expect(fromPostgres == (try memoryEngine(lines, runAfter)), "seed \(seed)")
  }
}

@Suite("PostgreSQL engine: runs", .serialized)
struct PostgresRunTests {
  private func ingest(_ database: TestDatabase, seed: UInt64, events: Int, name: String) throws
    -> [Delivery]
  {
    let deliveries = Array(
      StreamGenerator(
        options: GeneratorOptions(seed: seed, events: events, profile: .preset(named: "heavy")!)))
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent(name)
    try Data(deliveries.flatMap { $0.bytes + [0x0A] }).write(to: file)
    let result = try chaoslake(["ingest", file.path], environment: database.environment)
    #expect(result.status == 0, "\(result.stderr)")
    return deliveries
  }

  @Test("full refresh equals the incremental result; a run with no new data changes nothing")
  func fullRefreshAndIdempotency() throws {
    let database = try TestDatabase()
    let engine = PostgresEngine(connection: database.connection)
    var deliveries: [Delivery] = []
    for part in 0..<3 {
      let more = Array(
        StreamGenerator(
          options: GeneratorOptions(seed: 77, events: 3_000, profile: .preset(named: "heavy")!))
      )[(part * 1_000)..<((part + 1) * 1_000)]
      deliveries += more
      let directory = try temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }
      let file = directory.appendingPathComponent("part\(part).jsonl")
      try Data(more.flatMap { $0.bytes + [0x0A] }).write(to: file)
      let descriptor = open(file.path, O_RDONLY)
      defer { close(descriptor) }
      _ = try Ingestor(connection: database.connection).ingest(
        descriptor: descriptor, name: "part\(part)")
      let report = try engine.run()
      #expect(report.failedErrors.isEmpty, "\(report.failedErrors)")
      // each part's lines change some product's history
      #expect(report.productsRebuilt > 0)
    }
    let incremental = try engine.export()
    #expect(incremental == Oracle.predict(deliveries.map(\.truth)))
    let again = try engine.run()
    #expect(again.linesRead == 0 && again.productsRebuilt == 0)
    #expect(try engine.export() == incremental)
    let full = try engine.run(fullRefresh: true)
    #expect(full.linesRead == 3_000)
    #expect(try engine.export() == incremental)
  }

  @Test(
    "--reparse derives staging again from raw_line; lines ingested unstaged are staged by the next run"
  )
  func reparseAndBacklog() throws {
    let database = try TestDatabase()
    let deliveries = try ingest(database, seed: 23, events: 3_000, name: "r.jsonl")
    let engine = PostgresEngine(connection: database.connection)
    _ = try engine.run()
    let expected = Oracle.predict(deliveries.map(\.truth))
    #expect(try engine.export() == expected)

    // Staging that no longer matches the bytes (as after a change of the rules): a plain
    // full refresh keeps it, and the result is wrong; --reparse reads raw_line again.
    try database.connection.execute(
      "update chaoslake.stg_events set content_reason = 'unknown_event_type' where content_reason is null"
    )
    _ = try engine.run(fullRefresh: true)
    #expect(try engine.export() != expected, "the damage is visible")
    let reparsed = try engine.run(reparse: true)
    #expect(reparsed.linesRead == 3_000)
    #expect(try engine.export() == expected)

    // A database that ingested lines before ingest staged them (migration 0008) lists them
    // in staging_backlog; the next run stages them first.
    try database.connection.executeScript(
      """
      delete from chaoslake.stg_events where seq > 1000;
      insert into chaoslake.staging_backlog (after_seq, through_seq) values (1000, 3000);
      """)
    _ = try engine.run(fullRefresh: true)
    #expect(try engine.export() == expected)
    let staged = try database.connection.execute("select count(*) from chaoslake.stg_events")
    #expect(try staged.scalarInt64() == 3_000)
    let backlog = try database.connection.execute("select count(*) from chaoslake.staging_backlog")
    #expect(try backlog.scalarInt64() == 0)
  }

  @Test("the quality mart's own error_rate column equals the export's, day by day")
  func martErrorRate() throws {
    // The export renders error_rate from the counts; users query the mart's column.
    let database = try TestDatabase()
    _ = try ingest(database, seed: 17, events: 4_000, name: "q.jsonl")
    let engine = PostgresEngine(connection: database.connection)
    _ = try engine.run()
    let exported = try engine.export().quality.map { $0.errorRateText }
    let column = try database.connection.execute(
      "select coalesce(error_rate::text, '') from mart_data_quality_daily order by event_date nulls last"
    ).rows.map { try $0.string(0) }
    #expect(column == exported)
    #expect(exported.contains { $0 != "0.0000" && !$0.isEmpty }, "some day has invalid lines")
  }

  @Test("two runs at once serialize: one transforms, the other finds nothing new")
  func concurrentRuns() throws {
    let database = try TestDatabase()
    let deliveries = try ingest(database, seed: 5, events: 4_000, name: "c.jsonl")
    let processes = try (0..<2).map { _ in
      let process = try startChaoslake(["run"], environment: database.environment)
      return process
    }
    for process in processes {
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
    }
    let runs = try database.connection.execute(
      "select watermark_from, watermark_to from pipeline_runs where status = 'succeeded' order by run_id"
    ).rows
    #expect(runs.map(\.values) == [["0", "4000"], ["4000", "4000"]])
    #expect(
      try PostgresEngine(connection: database.connection).export()
        == Oracle.predict(deliveries.map(\.truth)))
  }

  @Test("a run killed with SIGKILL mid-transaction leaves the previous state; the next converges")
  func killedRun() throws {
    let database = try TestDatabase()
    let engine = PostgresEngine(connection: database.connection)
    let first = try ingest(database, seed: 9, events: 2_000, name: "first.jsonl")
    _ = try engine.run()
    let before = try engine.export()
    #expect(before == Oracle.predict(first.map(\.truth)))
    // Large enough that the run takes seconds: the kill lands while it holds the run lock.
    let second = try ingest(database, seed: 10, events: 60_000, name: "second.jsonl")
    let process = try startChaoslake(["run"], environment: database.environment)
    // Another session of this database holds the run's advisory lock: its transaction.
    let running = try database.whileRunHoldsLock(of: process) { $0 }
    #expect(running, "the run was seen holding its lock before it ended")
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal, "the kill hit the run in progress")
    #expect(try engine.export() == before, "a killed run must leave the previous state")
    let succeeded = try database.connection.execute(
      "select count(*) from pipeline_runs where status = 'succeeded'"
    ).scalarInt64()
    #expect(succeeded == 1, "the killed run was not recorded as a success")
    _ = try engine.run()
    #expect(try engine.export() == Oracle.predict((first + second).map(\.truth)))
  }

  @Test("price_at answers from the version holding T; data tests pass and are stored")
  func priceAtAndTests() throws {
    let database = try TestDatabase()
    let deliveries = try ingest(database, seed: 12, events: 3_000, name: "p.jsonl")
    let engine = PostgresEngine(connection: database.connection)
    let report = try engine.run()
    #expect(report.tests.count >= 10)
    #expect(report.failedErrors.isEmpty)
    let stored = try database.connection.execute(
      "select count(*) from data_test_results where run_id = $1", [.int(report.runID)]
    ).scalar
    #expect(stored == String(report.tests.count))
    let history = Oracle.predict(deliveries.map(\.truth)).history
    for version in history.prefix(200) {
      let point = try engine.price(of: version.productID, at: version.validFrom)
      #expect(point.state == (version.attributes.isDeleted ? .discontinued : .active))
      if !version.attributes.isDeleted {
        #expect(point.price == version.attributes.price)
        #expect(point.category == version.attributes.category)
      }
      let before = Instant(microseconds: version.validFrom.microseconds - 1)
      if version.version == 1 {
        #expect(try engine.price(of: version.productID, at: before).state == .didNotExist)
      }
    }
    let cli = try chaoslake(
      [
        "price-at", "--product", "\(history[0].productID)", "--at", history[0].validFrom.exportText,
        "--json",
      ],
      environment: database.environment)
    #expect(cli.status == 0)
    let answer = try JSONSerialization.jsonObject(with: cli.stdout) as? [String: Any]
    #expect(answer?["state"] as? String == "active")
    #expect(answer?["price"] as? String == history[0].attributes.price.exportText)
    #expect(answer?["valid_to"] is NSNull || answer?["valid_to"] is String)
    let tests = try chaoslake(["test"], environment: database.environment)
    #expect(tests.status == 0, "\(tests.stderr)")
  }

  @Test("the report reads the PostgreSQL tables, the data tests and the oracle overlay")
  func report() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let stream = directory.appendingPathComponent("r.jsonl")
    let oracle = directory.appendingPathComponent("oracle")
    let generated = try chaoslake([
      "generate", "--seed", "31", "--events", "2000", "--out", stream.path, "--oracle-dir",
      oracle.path,
    ])
    #expect(generated.status == 0)
    #expect(try chaoslake(["ingest", stream.path], environment: database.environment).status == 0)
    #expect(try chaoslake(["run"], environment: database.environment).status == 0)
    let page = directory.appendingPathComponent("report.html")
    let result = try chaoslake(
      ["report", "--out", page.path, "--oracle-dir", oracle.path], environment: database.environment
    )
    #expect(result.status == 0, "\(result.stderr)")
    let html = try String(contentsOf: page, encoding: .utf8)
    #expect(html.contains("matches the oracle (all five files)"))
    for test in [
      "scd2_exactly_one_current_row", "scd2_no_gap_no_overlap",
      "accounting_every_raw_line_has_one_status",
    ] {
      #expect(
        html.contains("<td>\(test)</td><td>error</td><td class=\"number\">0</td><td>passed</td>"),
        "\(test) is shown as passed")
    }
  }

  @Test("a lasting table is analyzed at the server's statistics target, whatever the run's")
  func lastingTablesKeepTheServersTarget() throws {
    let database = try TestDatabase()
    let connection = database.connection
    let serverTarget = try connection.execute(
      "select reset_val::bigint from pg_settings where name = 'default_statistics_target'"
    ).scalarInt64()
    // A histogram has one bound more than its target (with more distinct values than that).
    let bounds = """
      select coalesce(array_length(histogram_bounds, 1), 0) from pg_stats
      where tablename = 'sampled' and attname = 'n'
      """
    try connection.transaction {
      try connection.executeScript(
        """
        set local search_path = chaoslake, public;
        create temp table run_context (
          run_id bigint, watermark_from bigint, watermark_to bigint, rebuilds_everything boolean
        ) on commit drop;
        insert into run_context values (1, 0, 5000, true);
        create temp table sampled on commit drop as select g as n from generate_series(1, 5000) as g;
        set local default_statistics_target = 10;
        analyze sampled;
        """)
      #expect(try connection.execute(bounds).scalarInt64() == 11, "a work table: the run's target")
      try connection.execute("select analyze_after_large_change('sampled')")
      #expect(try connection.execute(bounds).scalarInt64() == min(serverTarget, 4_999) + 1)
      #expect(try connection.execute("show default_statistics_target").scalar == "10")
    }
  }

  @Test("the history invariants are enforced by the database itself")
  func enforcedInvariants() throws {
    let database = try TestDatabase()
    _ = try ingest(database, seed: 14, events: 1_000, name: "i.jsonl")
    // A rebuild loads these tables without their indexes, then builds them again: the same
    // indexes, under the same names, must come out.
    let indexes = """
      select string_agg(indexname || ': ' || indexdef, E'\\n' order by indexname)
      from pg_indexes
      where schemaname = 'chaoslake' and tablename in ('product_versions', 'line_exceptions')
      """
    let before = try database.connection.execute(indexes).scalar
    #expect(before?.contains("product_versions_one_current") == true)
    _ = try PostgresEngine(connection: database.connection).run()
    #expect(try database.connection.execute(indexes).scalar == before)
    // Only an empty table's indexes are set aside.
    try database.connection.transaction {
      try database.connection.execute("select chaoslake.set_indexes_aside('product_versions')")
      #expect(try database.connection.execute(indexes).scalar == before)
    }
    let product = try database.connection.execute(
      "select product_id from product_versions where valid_to is null limit 1"
    ).scalarInt64()
    expectPostgresError(.uniqueViolation, "a second current row (partial unique index)") {
      try database.connection.execute(
        """
        insert into product_versions (product_id, price, category, is_deleted, valid_from, valid_to, event_id)
        values ($1, 1, 'x', false, now(), null, gen_random_uuid())
        """, [.int(product)])
    }
    // (the start read first and sent back as text, in this session's own DateStyle: inserted
    // as a plain row, Citus reports the shard's SQLSTATE as it came)
    let firstStart = try database.connection.execute(
      "select valid_from::text from product_history where product_id = $1 and version = 1",
      [.int(product)]
    ).singleRow().string(0)
    expectPostgresError(
      .uniqueViolation, "a second version starting at the same instant (primary key)"
    ) {
      try database.connection.execute(
        """
        insert into product_versions (product_id, price, category, is_deleted, valid_from, valid_to, event_id)
        values ($1, 1, 'x', false, $2::timestamptz, $2::timestamptz + interval '1 second', gen_random_uuid())
        """, [.int(product), .text(firstStart)])
    }
    expectPostgresError(.checkViolation, "an empty interval (valid_from < valid_to check)") {
      try database.connection.execute(
        """
        insert into product_versions (product_id, price, category, is_deleted, valid_from, valid_to, event_id)
        values ($1 + 1000000, 1, 'x', false, now(), now() - interval '1 second', gen_random_uuid())
        """, [.int(product)])
    }
  }
}
