import Foundation
import LocalCluster
import PostgresClient
import Testing

/// These tests run under `make test-citus` (after `make citus`), not `make test`: the
/// single-node suite needs no Citus.
private let citusTestsEnabled = ProcessInfo.processInfo.environment["CHAOSLAKE_TEST_CITUS"] == "1"

/// `chaoslake db start --workers N`: a Citus coordinator and N workers made, started,
/// registered, reported and stopped as one cluster.
@Suite(
  "db start --workers: a local Citus cluster", .serialized,
  .enabled(if: citusTestsEnabled, "make test-citus runs these"))
struct CitusClusterTests {
  /// A cluster home of its own, deleted afterwards.
  final class Home {
    let path: String
    var environment: [String: String]

    init() throws {
      // Short enough for the nodes' socket paths (at most 107 bytes).
      let path = try temporaryDirectory().path
      self.path = path
      var environment = ProcessInfo.processInfo.environment
      for name in ServerSettings.variableNames + ["DATABASE_URL"] { environment[name] = nil }
      environment["CHAOSLAKE_HOME"] = path
      self.environment = environment
    }

    deinit { try? LocalCluster(directory: path).destroy() }

    func db(_ arguments: String...) throws -> CommandResult {
      try chaoslake(["db"] + arguments, environment: environment)
    }

    /// The coordinator's view of its nodes: the port of each active primary, in order.
    func registeredNodes() throws -> [String] {
      let connection = try Connection(LocalCluster(directory: path).conninfo)
      return try connection.execute(
        "select nodeport from pg_dist_node where isactive and noderole = 'primary' order by nodeport"
      ).rows.map { try $0.string(0) }
    }
  }

  @Test("a coordinator and two workers start, register and spread a distributed table")
  func startsAndRegisters() throws {
    let home = try Home()
    let started = try home.db("start", "--workers", "2", "--no-fsync")
    #expect(started.status == 0, "\(started.stderr)")
    #expect(try home.registeredNodes() == ["5432", "5433", "5434"])

    let connection = try Connection(LocalCluster(directory: home.path).conninfo)
    try connection.executeScript(
      """
      create table spread (k bigint primary key);
      select create_distributed_table('spread', 'k', shard_count => 8);
      insert into spread select generate_series(1, 1000);
      """)
    let placements = try connection.execute(
      """
      select nodeport, count(*) from pg_dist_shard_placement
      where shardid in (select shardid from pg_dist_shard where logicalrelid = 'spread'::regclass)
      group by nodeport order by nodeport
      """
    ).rows.map { "\(try $0.string(0)):\(try $0.string(1))" }
    #expect(placements == ["5433:4", "5434:4"], "shards live on the workers, not the coordinator")
    #expect(try connection.execute("select count(*) from spread").scalar == "1000")

    // Nodes reach one another, and themselves, through the cluster's sockets: a database
    // created on the coordinator with propagation on appears on every worker.
    try connection.execute("set citus.enable_create_database_propagation = on")
    try connection.execute("create database propagated")
    for port in [5433, 5434] {
      let worker = try Connection(LocalCluster(directory: home.path).conninfo + " port=\(port)")
      #expect(
        try worker.execute("select count(*) from pg_database where datname = 'propagated'")
          .scalar == "1", "worker on \(port)")
    }
  }

  @Test("status names each node and fails (exit 3) naming the one that is down")
  func statusPerNode() throws {
    let home = try Home()
    #expect(try home.db("start", "--workers", "2", "--no-fsync").status == 0)
    let up = try home.db("status")
    let lines = String(decoding: up.stdout, as: UTF8.self)
    #expect(up.status == 0)
    for name in ["coordinator: running", "worker1: running", "worker2: running"] {
      #expect(lines.contains(name), "\(lines)")
    }

    let cluster = LocalCluster(directory: home.path)
    try cluster.kill(try #require(cluster.workers.last))
    let down = try home.db("status")
    #expect(down.status == 3)
    #expect(down.stderr.contains("not running: worker2"), "\(down.stderr)")

    // Starting again restarts only what is down.
    #expect(try home.db("start").status == 0)
    #expect(try home.db("status").status == 0)
  }

  @Test("stop stops every node; start brings the same cluster back")
  func stopAndStart() throws {
    let home = try Home()
    #expect(try home.db("start", "--workers", "2", "--no-fsync").status == 0)
    #expect(try home.db("stop").status == 0)
    #expect(!TestClusterTests.processUsing(home.path), "a server still runs in \(home.path)")
    let again = try home.db("start")
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try home.registeredNodes() == ["5432", "5433", "5434"])
  }

  @Test("a cluster gains workers, never loses them; a plain single node never becomes one")
  func workersOnlyGrow() throws {
    let home = try Home()
    #expect(try home.db("start", "--workers", "1", "--no-fsync").status == 0)
    let grown = try home.db("start", "--workers", "2", "--no-fsync")
    #expect(grown.status == 0, "\(grown.stderr)")
    #expect(try home.registeredNodes() == ["5432", "5433", "5434"])

    let shrink = try home.db("start", "--workers", "1")
    #expect(shrink.status != 0)
    #expect(shrink.stderr.contains("cannot shrink"), "\(shrink.stderr)")

    let single = try Home()
    #expect(try single.db("start", "--no-fsync").status == 0)
    let promoted = try single.db("start", "--workers", "2")
    #expect(promoted.status != 0)
    #expect(promoted.stderr.contains("made without Citus"), "\(promoted.stderr)")
    #expect(!FileManager.default.fileExists(atPath: single.path + "/worker1"))
  }

  @Test("a worker count out of range is refused before anything starts", arguments: ["-1", "65"])
  func outOfRange(workers: String) throws {
    let home = try Home()
    let result = try home.db("start", "--workers", workers)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("--workers"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: home.path + "/data"))
  }
}
