import Dispatch
import Foundation
import LocalCluster
import PostgresClient

/// Where the integration tests' databases live: the cluster `make test` started (`PGHOST`
/// or `DATABASE_URL` set), or else a throwaway cluster of this test process, so that a plain
/// `swift test` works on a fresh clone. That cluster is started on first use (fsync off,
/// configured as users' servers are: `scripts/users-server-settings.sql`) and stopped and
/// deleted when the process ends, on failure and on Ctrl-C too.
enum TestCluster {
  /// Whether the tests run against a Citus coordinator (`make test-citus` sets
  /// `CHAOSLAKE_TEST_WORKERS`): the few that check what the distributed layout does not do
  /// yet are left out there, each saying why.
  static let isCitus =
    (Int(ProcessInfo.processInfo.environment["CHAOSLAKE_TEST_WORKERS"] ?? "") ?? 0) > 0
  /// Started once, on the first test that needs a database.
  static let ready: Result<Void, any Error> = Result { try startIfNeeded() }

  /// The folder the cluster lives in; parents may point it somewhere with
  /// `CHAOSLAKE_TEST_CLUSTER_PARENT` (the test that checks the cleanup does).
  nonisolated(unsafe) private static var directory: String?
  nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []
  /// Held while the cluster starts, so a Ctrl-C then waits for the server it must stop.
  private static let starting = NSLock()

  private static func startIfNeeded() throws {
    let environment = ProcessInfo.processInfo.environment
    guard environment["PGHOST"] == nil, environment["DATABASE_URL"] == nil else { return }
    let parent = environment["CHAOSLAKE_TEST_CLUSTER_PARENT"] ?? "/tmp"
    var template = Array((parent + "/chaoslake-swift-test.XXXXXX").utf8CString)
    let path: String? = template.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
      return String(cString: base)
    }
    guard let path else {
      throw ClusterError("cannot create a folder for the test cluster in \(parent)")
    }
    directory = path
    atexit { TestCluster.remove() }
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler {
        TestCluster.remove()
        _exit(130)
      }
      source.resume()
      signalSources.append(source)
    }
    starting.lock()
    defer { starting.unlock() }
    let cluster = LocalCluster(directory: path)
    try cluster.start(durable: false)
    let settings = try String(
      contentsOf: packageRoot.appendingPathComponent("scripts/users-server-settings.sql"),
      encoding: .utf8)
    // One statement at a time, as psql sends them: ALTER SYSTEM and DROP DATABASE refuse to
    // run inside the transaction a multi-statement string gets.
    let admin = try Connection(cluster.conninfo, database: "postgres")
    let statements = settings.split(separator: "\n")
      .filter { !$0.hasPrefix("--") }.joined(separator: "\n")
      .split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    for statement in statements where !statement.isEmpty { try admin.execute(statement) }
    // Tests and the commands they run reach the cluster through the libpq variables.
    setenv("PGHOST", path, 1)
    setenv("PGUSER", LocalCluster.role, 1)
    setenv("PGDATABASE", LocalCluster.database, 1)
  }

  /// Stops and deletes this process's cluster, if it started one.
  static func remove() {
    starting.lock()
    defer { starting.unlock() }
    guard let path = directory else { return }
    directory = nil
    try? LocalCluster(directory: path).destroy()
  }
}
