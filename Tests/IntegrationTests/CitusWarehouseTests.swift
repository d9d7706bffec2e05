import ChaosOracle
import ExportFormat
import Foundation
import LocalCluster
import Pipeline
import PostgresClient
import Testing

@testable import Warehouse

/// The warehouse on a local Citus cluster (a coordinator and two workers), through the
/// commands users run: sharded where it grows, equal to the oracle, and whole after a worker
/// dies mid-run or mid-ingest or after its shards move. Run by `make test-citus`.
@Suite(
  "the warehouse on Citus: sharded, equal to the oracle, whole after a worker fails",
  .serialized,
  .enabled(
    if: ProcessInfo.processInfo.environment["CHAOSLAKE_TEST_CITUS"] == "1",
    "make test-citus runs these"))
struct CitusWarehouseTests {
  /// A coordinator and two workers of their own, deleted afterwards.
  final class Warehouse {
    let home: CitusClusterTests.Home
    let cluster: LocalCluster
    let files: URL

    init() throws {
      home = try CitusClusterTests.Home()
      cluster = LocalCluster(directory: home.path)
      files = try temporaryDirectory()
      let started = try home.db("start", "--workers", "2", "--no-fsync")
      try #require(started.status == 0, "\(started.stderr)")
    }

    deinit { try? FileManager.default.removeItem(at: files) }

    /// A fresh connection to the coordinator's `chaoslake` database.
    func connect() throws -> Connection {
      let connection = try Connection(cluster.conninfo)
      try Schema.use(connection)
      return connection
    }

    func command(_ arguments: String...) throws -> CommandResult {
      try chaoslake(arguments, environment: home.environment)
    }

    /// Writes `deliveries` as a JSONL file and returns its path.
    func file(_ deliveries: [Delivery], name: String) throws -> String {
      let url = files.appendingPathComponent(name)
      try Data(deliveries.flatMap { $0.bytes + [0x0A] }).write(to: url)
      return url.path
    }

    /// Ingests `deliveries`, expecting success.
    func ingest(_ deliveries: [Delivery], name: String) throws {
      let result = try command("ingest", try file(deliveries, name: name))
      #expect(result.status == 0, "\(result.stderr)")
    }

    func run() throws {
      let result = try command("run")
      #expect(result.status == 0, "\(result.stderr)")
    }

    func export() throws -> ExportFiles { try PostgresEngine(connection: connect()).export() }

    /// Waits (at most 60 s) until another session holds the run lock while `process`
    /// lives; returns whether it did.
    func whileRunHoldsLock(of process: Process) throws -> Bool {
      let connection = try connect()
      let deadline = ContinuousClock.now + .seconds(60)
      while process.isRunning, ContinuousClock.now < deadline {
        let holders = "select count(*) from (\(TestDatabase.runLockHolders)) as found"
        if try connection.execute(holders).scalarInt64() > 0 { return true }
        usleep(5_000)
      }
      return false
    }

    /// The prepared (two-phase) transactions each node still holds, after the coordinator
    /// has resolved those it can.
    func danglingPreparedTransactions() throws -> [String: Int64] {
      _ = try connect().execute("select recover_prepared_transactions()")
      var dangling: [String: Int64] = [:]
      for node in cluster.nodes {
        let connection = try Connection(cluster.conninfo + " port=\(node.port)")
        dangling[node.name] = try connection.execute("select count(*) from pg_prepared_xacts")
          .scalarInt64()
      }
      return dangling
    }
  }

  static func stream(seed: UInt64, events: Int) -> [Delivery] {
    Array(
      StreamGenerator(
        options: GeneratorOptions(seed: seed, events: events, profile: .preset(named: "heavy")!)))
  }

  @Test(
    "the tables that grow with the log are sharded on the workers, the marts on every node; 3 runs equal the oracle"
  )
  func shardedAndEqual() throws {
    let warehouse = try Warehouse()
    let deliveries = Self.stream(seed: 31, events: 3_000)
    for (part, range) in [0..<1_000, 1_000..<2_200, 2_200..<deliveries.count].enumerated() {
      try warehouse.ingest(Array(deliveries[range]), name: "part\(part).jsonl")
      try warehouse.run()
    }
    #expect(try warehouse.export() == Oracle.predict(deliveries.map(\.truth)))

    let connection = try warehouse.connect()
    let sharded = try connection.execute(
      """
      select table_name::text, distribution_column from citus_tables
      where citus_table_type = 'distributed' order by 1
      """
    ).rows.map { "\(try $0.string(0)) by \(try $0.string(1))" }
    #expect(
      sharded == [
        "event_groups by event_id", "line_exceptions by seq", "order_winners by order_id",
        "product_versions by product_id", "raw_events by seq", "stg_events by seq",
      ])
    let everywhere = try connection.execute(
      "select table_name::text from citus_tables where citus_table_type = 'reference' order by 1"
    ).rows.map { try $0.string(0) }
    #expect(
      everywhere == ["mart_data_quality_daily", "mart_price_volatility", "mart_sales_daily"])
    // Every raw line and every version lives on a worker: the coordinator holds no shard.
    for table in ["raw_events", "product_versions"] {
      let placed = try connection.execute(
        """
        select p.nodeport, sum(s.shard_size)::bigint > 0
        from citus_shards as s join pg_dist_placement as pl using (shardid)
        join pg_dist_node as p on p.groupid = pl.groupid
        where s.table_name = $1::regclass group by p.nodeport order by p.nodeport
        """, [.text(table)]
      ).rows.map { "\(try $0.string(0)):\(try $0.string(1))" }
      #expect(placed == ["5433:t", "5434:t"], "\(table)")
    }

    // Why migrations run one statement at a time: Citus refuses DDL on a sharded table that
    // comes with other commands in one query string.
    let ddl =
      "alter table stg_events add column probe integer; alter table stg_events drop column probe;"
    #expect(throws: PostgresError.self) { try connection.executeScript(ddl) }
    let statements = try SQLScript(ddl).statements
    try #require(statements.count == 2)
    try connection.executeScript(statements[0])
    let probe = """
      select count(*) from pg_attribute
      where attrelid = 'stg_events'::regclass and attname = 'probe'
      """
    #expect(try connection.execute(probe).scalarInt64() == 1)
    try connection.executeScript(statements[1])
    #expect(try connection.execute(probe).scalarInt64() == 0)
  }

  @Test("a worker killed mid-run fails the run as a whole (exit 3); the next run converges")
  func workerKilledMidRun() throws {
    let warehouse = try Warehouse()
    let first = Self.stream(seed: 32, events: 2_000)
    try warehouse.ingest(first, name: "first.jsonl")
    try warehouse.run()
    let before = try warehouse.export()
    #expect(before == Oracle.predict(first.map(\.truth)))

    // Large enough that the run takes seconds: the kill lands while it holds the run lock.
    let second = Self.stream(seed: 33, events: 60_000)
    try warehouse.ingest(second, name: "second.jsonl")
    let run = Process()
    run.executableURL = chaoslakeBinary
    run.arguments = ["run"]
    run.environment = warehouse.home.environment
    let errors = Pipe()
    run.standardOutput = FileHandle.nullDevice
    run.standardError = errors
    try run.run()
    #expect(try warehouse.whileRunHoldsLock(of: run), "the run was seen holding its lock")
    try warehouse.cluster.kill(try #require(warehouse.cluster.workers.last))
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    run.waitUntilExit()
    #expect(run.terminationStatus == 3, "\(stderr)")

    #expect(try warehouse.command("db", "start").status == 0)
    #expect(try warehouse.danglingPreparedTransactions().values.allSatisfy { $0 == 0 })
    #expect(try warehouse.export() == before, "no node keeps any of the failed run")
    try warehouse.run()
    #expect(try warehouse.export() == Oracle.predict((first + second).map(\.truth)))
  }

  @Test("a worker killed mid-ingest: the resumed ingest appends exactly what is missing")
  func workerKilledMidIngest() throws {
    let warehouse = try Warehouse()
    let deliveries = Self.stream(seed: 34, events: 120_000)
    let path = try warehouse.file(deliveries, name: "big.jsonl")
    let connection = try warehouse.connect()
    try Schema.migrate(connection)  // so that ingest_batches is there to poll
    let ingest = try startChaoslake(
      ["ingest", path, "--batch-lines", "3000"], environment: warehouse.home.environment)
    // Kill the worker once some batches are in, while later ones are still coming.
    let deadline = ContinuousClock.now + .seconds(60)
    while ingest.isRunning, ContinuousClock.now < deadline,
      try connection.execute("select count(*) from ingest_batches").scalarInt64() < 3
    {
      usleep(5_000)
    }
    try warehouse.cluster.kill(try #require(warehouse.cluster.workers.first))
    ingest.waitUntilExit()
    #expect(ingest.terminationStatus == 3, "the ingest fails when a worker is gone")

    #expect(try warehouse.command("db", "start").status == 0)
    let partial = try connection.execute("select count(*) from raw_events").scalarInt64()
    #expect(partial < Int64(deliveries.count), "the kill landed before the end")
    let resumed = try warehouse.command("ingest", path, "--batch-lines", "3000")
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let lines = try connection.execute(
      "select encode(raw_line, 'hex') from raw_events order by seq"
    )
    .rows.map { hexDecode(try $0.string(0)) }
    // Compared by count and first difference: the lines themselves are too many to print.
    #expect(lines.count == deliveries.count)
    let firstDifference = zip(lines, deliveries).enumerated().first { $1.0 != $1.1.bytes }?.offset
    #expect(firstDifference == nil, "every line once, in the file's order")
    let numbering = try connection.execute("select count(*), min(seq), max(seq) from raw_events")
      .singleRow()
    #expect(
      try [numbering.int64(0), numbering.int64(1), numbering.int64(2)]
        == [Int64(deliveries.count), 1, Int64(deliveries.count)], "seq 1…n, no gap")
    try warehouse.run()
    #expect(try warehouse.export() == Oracle.predict(deliveries.map(\.truth)))
  }

  @Test("shards moved to a third worker between two incremental runs change no result")
  func rebalancedBetweenRuns() throws {
    let warehouse = try Warehouse()
    let deliveries = Self.stream(seed: 35, events: 4_000)
    try warehouse.ingest(Array(deliveries[..<2_000]), name: "first.jsonl")
    try warehouse.run()

    let grown = try warehouse.command("db", "start", "--workers", "3", "--no-fsync")
    #expect(grown.status == 0, "\(grown.stderr)")
    let connection = try warehouse.connect()
    _ = try connection.execute(
      "select citus_rebalance_start(shard_transfer_mode => 'block_writes')")
    _ = try connection.execute("select citus_rebalance_wait()")
    let onThird = try connection.execute(
      """
      select count(*) from citus_shards
      where table_name = 'raw_events'::regclass and nodeport = 5435
      """
    ).scalarInt64()
    #expect(onThird > 0, "the rebalance moved shards onto the third worker")

    try warehouse.ingest(Array(deliveries[2_000...]), name: "second.jsonl")
    try warehouse.run()
    #expect(try warehouse.export() == Oracle.predict(deliveries.map(\.truth)))
  }
}
