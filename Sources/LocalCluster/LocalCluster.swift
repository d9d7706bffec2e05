import Foundation

/// The throwaway PostgreSQL cluster chaoslake starts when no `DATABASE_URL` or `PG*`
/// setting names a server: `initdb` + `pg_ctl` in one short directory, listening on a Unix
/// socket only, trust authentication inside a directory only its owner can enter.
///
/// With workers it is a Citus cluster: the coordinator in `data/` (port 5432) and worker
/// `i` in `worker<i>/data` (port 5432 + i), every socket in the same directory, Citus
/// preloaded on each node and the workers registered with the coordinator.
///
/// PostgreSQL refuses to run as root; as root, the server runs as the unprivileged
/// `postgres` user (through `runuser`).
package struct LocalCluster: Sendable {
  /// Holds `data/`, the sockets and the logs.
  package let directory: String
  package static let database = "chaoslake"
  package static let role = "chaoslake"
  /// The coordinator's (or the single node's) port; worker `i` listens on `port + i`.
  static let port = 5432

  package init(directory: String) { self.directory = directory }

  /// `$CHAOSLAKE_HOME`, else `/tmp/chaoslake-<uid>`.
  package static func standard() -> LocalCluster {
    let environment = ProcessInfo.processInfo.environment
    return LocalCluster(directory: environment["CHAOSLAKE_HOME"] ?? "/tmp/chaoslake-\(getuid())")
  }

  /// One PostgreSQL server of the cluster.
  package struct Node: Sendable {
    /// `coordinator` (the single node too) or `worker<i>`.
    package var name: String
    package var dataDirectory: String
    package var port: Int
    package var serverLog: String
  }

  /// The coordinator, or the only node when the cluster has no workers.
  package var coordinator: Node {
    Node(
      name: "coordinator", dataDirectory: directory + "/data", port: Self.port,
      serverLog: directory + "/server.log")
  }

  /// Worker `index` (from 1).
  func worker(_ index: Int) -> Node {
    let home = directory + "/worker\(index)"
    return Node(
      name: "worker\(index)", dataDirectory: home + "/data", port: Self.port + index,
      serverLog: home + "/server.log")
  }

  /// The workers that exist on disk, in order.
  package var workers: [Node] {
    var found: [Node] = []
    while FileManager.default.fileExists(
      atPath: worker(found.count + 1).dataDirectory + "/PG_VERSION")
    {
      found.append(worker(found.count + 1))
    }
    return found
  }

  /// Every node: the coordinator first.
  package var nodes: [Node] { [coordinator] + workers }

  package var dataDirectory: String { coordinator.dataDirectory }
  package var serverLog: String { coordinator.serverLog }
  private var toolLog: String { directory + "/tools.log" }

  /// A libpq connection string for the cluster (its coordinator).
  package var conninfo: String {
    "host='\(directory.replacingOccurrences(of: "'", with: "\\'"))' dbname=\(Self.database) user=\(Self.role)"
  }

  /// The same as a URL.
  package var url: String {
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/-._~"))
    let host = directory.addingPercentEncoding(withAllowedCharacters: allowed) ?? directory
    return "postgresql://\(Self.role)@/\(Self.database)?host=\(host)"
  }

  package var isRunning: Bool { isRunning(coordinator) }

  /// Whether `node`'s server runs.
  package func isRunning(_ node: Node) -> Bool {
    guard FileManager.default.fileExists(atPath: node.dataDirectory + "/PG_VERSION"),
      let tools = try? Tools.find()
    else { return false }
    return (try? serverCommand(tools.pgCtl, ["-D", node.dataDirectory, "status"])) == 0
  }

  /// Creates the cluster if needed and starts every node; returns `false` when all of them
  /// were running. `durable: false` turns fsync off (for test clusters only). `workers`
  /// makes it a Citus cluster with that many workers (created once, registered with the
  /// coordinator); `nil` starts what exists. A cluster can gain workers, never lose them,
  /// and a single node made without Citus cannot become a coordinator.
  @discardableResult
  package func start(durable: Bool = true, workers requested: Int? = nil) throws -> Bool {
    let socketPath = directory + "/.s.PGSQL.\(Self.port + max(requested ?? 0, 0))"
    guard socketPath.utf8.count <= 107 else {
      throw ClusterError(
        "the cluster directory \(directory) is too long for a Unix socket path "
          + "(at most 107 bytes with the socket name); set CHAOSLAKE_HOME to a shorter path")
    }
    if let requested, !(0...Self.maximumWorkers).contains(requested) {
      throw ClusterError("--workers must be from 0 to \(Self.maximumWorkers), not \(requested)")
    }
    let tools = try Tools.find()
    try prepareDirectory()
    let exists = FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION")
    let existingWorkers = workers.count
    let distributed = exists ? isDistributed : (requested ?? 0) > 0
    if let requested, exists {
      guard requested >= existingWorkers else {
        throw ClusterError(
          "the cluster in \(directory) has \(existingWorkers) worker(s); it cannot shrink to "
            + "\(requested) (chaoslake db destroy, then start it again)")
      }
      guard requested == 0 || distributed else {
        throw ClusterError(
          "the cluster in \(directory) is a single node made without Citus; destroy it "
            + "(chaoslake db destroy) to start it again with workers")
      }
    }
    if distributed, let missing = tools.missingCitus() {
      throw ClusterError(
        "Citus is not installed for the PostgreSQL in \(tools.binDirectory) (no \(missing)); "
          + "build and install it with `make citus`")
    }
    var started = false
    if !exists {
      try initialize(coordinator, tools, durable: durable, citus: distributed)
      started = true
    } else if !isRunning(coordinator) {
      try startServer(coordinator, tools)
      started = true
    }
    for node in workers where !isRunning(node) {
      try startServer(node, tools)
      started = true
    }
    guard distributed else { return started }
    let wanted = max(requested ?? 0, existingWorkers)
    for index in stride(from: existingWorkers + 1, through: wanted, by: 1) {
      try makePrivateDirectory(directory + "/worker\(index)")
      try initialize(worker(index), tools, durable: durable, citus: true)
      started = true
    }
    // Idempotent, so a start that a failure cut short is finished by the next one.
    guard started else { return false }
    for node in nodes { try psql(tools, node, "create extension if not exists citus") }
    let host = literal(directory)
    try psql(
      tools, coordinator,
      "select citus_set_coordinator_host(\(host), \(Self.port));"
        + workers.map { " select citus_add_node(\(host), \($0.port));" }.joined())
    return started
  }

  /// More workers than this is a typing mistake on one machine.
  package static let maximumWorkers = 64

  /// Whether the coordinator was made with Citus preloaded.
  private var isDistributed: Bool {
    let conf =
      (try? String(contentsOfFile: dataDirectory + "/postgresql.conf", encoding: .utf8)) ?? ""
    return conf.contains("shared_preload_libraries = 'citus'")
  }

  /// Stops every node (fast shutdown), workers first; does nothing for a node not running.
  package func stop() throws {
    let tools = try Tools.find()
    for node in workers.reversed() + [coordinator] where isRunning(node) {
      try stop(node, tools, mode: "fast")
    }
  }

  /// Stops one node the way a crash would (`immediate`: no checkpoint, clients cut off).
  package func kill(_ node: Node) throws {
    guard isRunning(node) else { return }
    try stop(node, try Tools.find(), mode: "immediate")
  }

  private func stop(_ node: Node, _ tools: Tools, mode: String) throws {
    let status = try serverCommand(
      tools.pgCtl, ["-D", node.dataDirectory, "-m", mode, "-w", "stop"])
    guard status == 0 else {
      throw ClusterError("pg_ctl stop of the \(node.name) failed (exit \(status))")
    }
  }

  /// Stops the server and deletes the whole directory.
  package func destroy() throws {
    try stop()
    try? FileManager.default.removeItem(atPath: directory)
  }

  // MARK: - Internals

  private func initialize(_ node: Node, _ tools: Tools, durable: Bool, citus: Bool) throws {
    let status = try serverCommand(
      tools.initdb,
      [
        "-D", node.dataDirectory, "-U", Self.role, "--auth=trust", "--encoding=UTF8",
        "--locale=C", "--no-instructions",
      ] + (durable ? [] : ["--no-sync"]))
    guard status == 0 else {
      throw ClusterError("initdb failed (exit \(status)); see \(toolLog):\n" + tail(toolLog))
    }
    var settings = """

      # chaoslake: a private cluster, reachable through its Unix socket only
      listen_addresses = ''
      port = \(node.port)
      unix_socket_directories = '\(directory)'
      unix_socket_permissions = 0700

      """
    if citus {
      // Citus's distributed transactions commit in two phases on the workers, and a node
      // reaches itself (propagating CREATE DATABASE) through its own socket, not localhost.
      // Citus starts a maintenance worker per database (it recovers those transactions),
      // from the same slots as parallel query's workers: with the default 8, a rebuild's
      // workers left none for a new database's.
      settings += """
        shared_preload_libraries = 'citus'
        max_prepared_transactions = 100
        max_worker_processes = 32
        citus.local_hostname = '\(directory)'

        """
    }
    if !durable {
      // Commits still reach the OS before they return (synchronous_commit stays on): what a
      // killed server committed survives it, only a machine crash can lose it. With commits
      // returning earlier, a worker killed right after a distributed commit lost its part.
      settings += "fsync = off\nfull_page_writes = off\n"
    }
    let handle = try FileHandle(
      forWritingTo: URL(fileURLWithPath: node.dataDirectory + "/postgresql.conf"))
    handle.seekToEndOfFile()
    handle.write(Data(settings.utf8))
    try handle.close()
    try startServer(node, tools)
    let created = try serverCommand(
      tools.createdb,
      ["-h", directory, "-p", String(node.port), "-U", Self.role, Self.database])
    guard created == 0 else {
      throw ClusterError("createdb failed (exit \(created)); see \(toolLog):\n" + tail(toolLog))
    }
  }

  private func startServer(_ node: Node, _ tools: Tools) throws {
    let status = try serverCommand(
      tools.pgCtl, ["-D", node.dataDirectory, "-l", node.serverLog, "-w", "-t", "60", "start"])
    guard status == 0 else {
      throw ClusterError(
        "pg_ctl start of the \(node.name) failed (exit \(status)); see \(node.serverLog):\n"
          + tail(node.serverLog))
    }
  }

  /// Runs one statement on `node`'s chaoslake database through psql.
  private func psql(_ tools: Tools, _ node: Node, _ statement: String) throws {
    let status = try serverCommand(
      tools.psql,
      [
        "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", String(node.port), "-U",
        Self.role, "-d", Self.database, "-c", statement,
      ])
    guard status == 0 else {
      throw ClusterError(
        "setting up Citus on the \(node.name) failed (exit \(status)); see \(toolLog):\n"
          + tail(toolLog))
    }
  }

  /// A SQL string literal.
  private func literal(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }

  /// Creates the directory, private to the user the server runs as, and its tool log.
  private func prepareDirectory() throws {
    try makePrivateDirectory(directory)
    if !FileManager.default.fileExists(atPath: toolLog) {
      _ = FileManager.default.createFile(atPath: toolLog, contents: nil)
      if let owner = try ServerUser.current() { _ = chown(toolLog, owner.uid, owner.gid) }
    }
  }

  /// Creates `path` (mode 0700) and hands it to the user the server runs as.
  private func makePrivateDirectory(_ path: String) throws {
    try FileManager.default.createDirectory(
      atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    if let owner = try ServerUser.current() {
      guard chown(path, owner.uid, owner.gid) == 0 else {
        throw ClusterError(
          "cannot hand \(path) to user \(owner.name): \(String(cString: strerror(errno)))")
      }
    }
  }

  /// Runs a server tool as the server's user (through runuser when we are root).
  private func serverCommand(_ tool: String, _ arguments: [String]) throws -> Int32 {
    if let owner = try ServerUser.current() {
      return try run("/usr/sbin/runuser", ["-u", owner.name, "--", tool] + arguments, log: toolLog)
    }
    return try run(tool, arguments, log: toolLog)
  }

  private func tail(_ path: String) -> String {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").suffix(15).joined(separator: "\n")
  }
}

/// The unprivileged user the server runs as when chaoslake runs as root.
struct ServerUser {
  var name: String
  var uid: uid_t
  var gid: gid_t

  /// `nil` when not root (the server then runs as the current user).
  static func current() throws -> ServerUser? {
    guard getuid() == 0 else { return nil }
    let name = ProcessInfo.processInfo.environment["CHAOSLAKE_PG_USER"] ?? "postgres"
    guard let entry = getpwnam(name) else {
      throw ClusterError(
        "PostgreSQL refuses to run as root, and the user '\(name)' to run it as does not exist; "
          + "create it (useradd --system \(name)), set CHAOSLAKE_PG_USER, or run as a regular user")
    }
    guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else {
      throw ClusterError("running the server as '\(name)' needs /usr/sbin/runuser (util-linux)")
    }
    return ServerUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
  }
}

/// The PostgreSQL server binaries: `$CHAOSLAKE_PG_BINDIR`, else the newest
/// `/usr/lib/postgresql/*/bin` (Debian's layout, where they are not on `PATH`), else the
/// first `PATH` directory that has them.
struct Tools {
  var initdb: String
  var pgCtl: String
  var createdb: String
  var psql: String
  var binDirectory: String

  /// Citus's library where Debian's layout puts it (`bin/../lib`), when it is missing
  /// there; `nil` when it is there or the layout is another one (the server then says).
  func missingCitus() -> String? {
    let library = (binDirectory as NSString).deletingLastPathComponent + "/lib"
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: library, isDirectory: &isDirectory),
      isDirectory.boolValue, !FileManager.default.fileExists(atPath: library + "/citus.so")
    else { return nil }
    return library + "/citus.so"
  }

  static func find() throws -> Tools {
    for directory in candidates() {
      let tools = Tools(
        initdb: directory + "/initdb", pgCtl: directory + "/pg_ctl",
        createdb: directory + "/createdb", psql: directory + "/psql", binDirectory: directory)
      if [tools.initdb, tools.pgCtl, tools.createdb, tools.psql].allSatisfy(
        FileManager.default.isExecutableFile)
      {
        return tools
      }
    }
    throw ClusterError(
      "PostgreSQL server binaries (initdb, pg_ctl) not found; install them (Debian: "
        + "apt-get install postgresql) or set CHAOSLAKE_PG_BINDIR, or set DATABASE_URL to use a server"
    )
  }

  private static func candidates() -> [String] {
    var found: [String] = []
    if let configured = ProcessInfo.processInfo.environment["CHAOSLAKE_PG_BINDIR"] {
      found.append(configured)
    }
    let versions =
      (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
    found += versions.compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    found += path.split(separator: ":").map(String.init)
    return found
  }
}
