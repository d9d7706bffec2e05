import Foundation
import Pipeline
import PostgresClient
import Testing
import Warehouse

/// A fresh database on the test cluster for one test, dropped afterwards.
///
/// `make test` starts the cluster and sets `PGHOST`/`PGUSER`; a plain `swift test` starts
/// one for the test process (`TestCluster`).
final class TestDatabase {
  let name: String
  let connection: Connection

  /// `migrated` false: the `chaoslake` schema only, for a test that applies migrations itself.
  init(migrated: Bool = true) throws {
    try TestCluster.ready.get()
    let environment = ProcessInfo.processInfo.environment
    name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    let adminConninfo = "dbname=\(environment["PGDATABASE"] ?? "chaoslake")"
    let admin = try Connection(adminConninfo)
    // a generated identifier, not data; on a Citus coordinator, made on the workers too
    try Layout.createDatabase(name, from: admin, conninfo: adminConninfo)
    connection = try Connection("dbname=\(name)")
    if migrated { try Schema.migrate(connection) } else { try Schema.use(connection) }
  }

  deinit {
    if let admin = try? Connection(
      "dbname=\(ProcessInfo.processInfo.environment["PGDATABASE"] ?? "chaoslake")")
    {
      try? Layout.dropDatabase(name, from: admin)
    }
  }

  /// How a refused insert fails: as a data error (class 22, which a run bisects to its
  /// line) or as a constraint violation (class 23).
  enum Refusal {
    case dataError
    case constraintViolation
  }

  /// Makes every insert of line `seq` into `table` fail, as a stand-in for a server error
  /// on one line's data: a check constraint (replacing any earlier one), which Citus keeps
  /// on every shard as a single node does. A data error divides by zero on that line; a
  /// violation names the constraint `refused`. `table` is the test's own literal.
  func refuseInserts(into table: String, seq: Int64, as refusal: Refusal) throws {
    let check =
      switch refusal {
      case .dataError: "1 / (seq - \(seq)) is not null"
      case .constraintViolation: "seq <> \(seq)"
      }
    // One statement a call: Citus sends a DDL statement's whole query string to the workers.
    try connection.execute("alter table \(table) drop constraint if exists refused")
    try connection.execute("alter table \(table) add constraint refused check (\(check)) not valid")
  }

  /// Environment for a `chaoslake` subprocess aimed at this database.
  var environment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["PGDATABASE"] = name
    return environment
  }

  /// `raw_events.raw_line` in `seq` order.
  func rawLines() throws -> [[UInt8]] {
    try connection.execute("select encode(raw_line, 'hex') from raw_events order by seq").rows.map {
      hexDecode(try $0.string(0))
    }
  }

  /// The query that finds another session holding the run lock (`chaoslake run`'s
  /// `pg_advisory_xact_lock(hashtext('chaoslake.run'))`, not the migrations' lock): a bigint
  /// key shows in pg_locks as classid (high half) and objid (low half), objsubid 1.
  static let runLockHolders = """
    select a.pid from pg_locks l join pg_stat_activity a using (pid)
    where l.locktype = 'advisory' and l.granted and l.objsubid = 1
      and l.objid::bigint = (hashtext('chaoslake.run')::bigint & 4294967295)
      and a.datname = current_database() and a.pid <> pg_backend_pid()
    """

  /// Polls until another session holds the run lock while `process` lives (at most 60 s),
  /// then runs `select count(*) from (<select over the holders' pids>)` built by `query`;
  /// returns whether it counted any. `query` gets the holders' query to select from.
  func whileRunHoldsLock(of process: Process, _ query: (String) -> String) throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(60)
    while process.isRunning, ContinuousClock.now < deadline {
      let sql = "select count(*) from (" + query(Self.runLockHolders) + ") as found"
      if try connection.execute(sql).scalarInt64() > 0 { return true }
      usleep(5_000)
    }
    return false
  }

  func seqs() throws -> [Int] {
    try connection.execute("select seq from raw_events order by seq").rows.map { try $0.int(0) }
  }
}

func hexDecode(_ text: String) -> [UInt8] {
  var bytes: [UInt8] = []
  bytes.reserveCapacity(text.utf8.count / 2)
  var high: UInt8?
  for character in text.utf8 {
    let value =
      character <= UInt8(ascii: "9")
      ? character - UInt8(ascii: "0") : character - UInt8(ascii: "a") + 10
    if let pending = high {
      bytes.append(pending << 4 | value)
      high = nil
    } else {
      high = value
    }
  }
  return bytes
}

/// The lines of a JSONL byte string as ingest must store them.
func jsonlLines(_ bytes: [UInt8]) -> [[UInt8]] { JSONLines.split(bytes) }

/// Runs `body` and expects it to fail with exactly this SQLSTATE, so an unrelated error (a
/// typo in the test's SQL, say) does not pass for the constraint under test.
func expectPostgresError(
  _ code: PostgresError.Code, _ comment: Comment,
  sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) {
  do {
    try body()
    Issue.record(
      "\(comment): expected SQLSTATE \(code), but it succeeded", sourceLocation: sourceLocation)
  } catch let error as PostgresError {
    #expect(error.code == code, "\(comment): \(error)", sourceLocation: sourceLocation)
  } catch {
    Issue.record(
      "\(comment): expected SQLSTATE \(code), got \(error)", sourceLocation: sourceLocation)
  }
}
