import Foundation

/// The throwaway PostgreSQL cluster chaoslake starts when no `DATABASE_URL` or `PG*`
/// setting names a server: `initdb` + `pg_ctl` in one short directory, listening on a Unix
/// socket only, trust authentication inside a directory only its owner can enter.
///
/// PostgreSQL refuses to run as root; as root, the server runs as the unprivileged
/// `postgres` user (through `runuser`).
package struct LocalCluster: Sendable {
  /// Holds `data/`, the socket and the logs.
  package let directory: String
  package static let database = "chaoslake"
  package static let role = "chaoslake"

  package init(directory: String) { self.directory = directory }

  /// `$CHAOSLAKE_HOME`, else `/tmp/chaoslake-<uid>`.
  package static func standard() -> LocalCluster {
    let environment = ProcessInfo.processInfo.environment
    return LocalCluster(directory: environment["CHAOSLAKE_HOME"] ?? "/tmp/chaoslake-\(getuid())")
  }

  package var dataDirectory: String { directory + "/data" }
  package var serverLog: String { directory + "/server.log" }
  private var toolLog: String { directory + "/tools.log" }

  /// A libpq connection string for the cluster.
  package var conninfo: String {
    "host='\(directory.replacingOccurrences(of: "'", with: "\\'"))' dbname=\(Self.database) user=\(Self.role)"
  }

  /// The same as a URL.
  package var url: String {
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/-._~"))
    let host = directory.addingPercentEncoding(withAllowedCharacters: allowed) ?? directory
    return "postgresql://\(Self.role)@/\(Self.database)?host=\(host)"
  }

  package var isRunning: Bool {
    guard FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION"),
      let tools = try? Tools.find()
    else { return false }
    return (try? serverCommand(tools.pgCtl, ["-D", dataDirectory, "status"])) == 0
  }

  /// Creates the cluster if needed and starts it; returns `false` when it was running.
  /// `durable: false` turns fsync off (for test clusters only).
  @discardableResult
  package func start(durable: Bool = true) throws -> Bool {
    let socketPath = directory + "/.s.PGSQL.5432"
    guard socketPath.utf8.count <= 107 else {
      throw ClusterError(
        "the cluster directory \(directory) is too long for a Unix socket path "
          + "(at most 107 bytes with the socket name); set CHAOSLAKE_HOME to a shorter path")
    }
    let tools = try Tools.find()
    try prepareDirectory()
    if !FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") {
      try initialize(tools, durable: durable)
      return true
    }
    if isRunning { return false }
    try startServer(tools)
    return true
  }

  /// Stops the server (fast shutdown); does nothing when it is not running.
  package func stop() throws {
    guard isRunning else { return }
    let tools = try Tools.find()
    let status = try serverCommand(tools.pgCtl, ["-D", dataDirectory, "-m", "fast", "-w", "stop"])
    guard status == 0 else { throw ClusterError("pg_ctl stop failed (exit \(status))") }
  }

  /// Stops the server and deletes the whole directory.
  package func destroy() throws {
    try stop()
    try? FileManager.default.removeItem(atPath: directory)
  }

  // MARK: - Internals

  private func initialize(_ tools: Tools, durable: Bool) throws {
    let status = try serverCommand(
      tools.initdb,
      [
        "-D", dataDirectory, "-U", Self.role, "--auth=trust", "--encoding=UTF8", "--locale=C",
        "--no-instructions",
      ] + (durable ? [] : ["--no-sync"]))
    guard status == 0 else {
      throw ClusterError("initdb failed (exit \(status)); see \(toolLog):\n" + tail(toolLog))
    }
    var settings = """

      # chaoslake: a private cluster, reachable through its Unix socket only
      listen_addresses = ''
      unix_socket_directories = '\(directory)'
      unix_socket_permissions = 0700

      """
    if !durable {
      settings += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
    }
    let handle = try FileHandle(
      forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.conf"))
    handle.seekToEndOfFile()
    handle.write(Data(settings.utf8))
    try handle.close()
    try startServer(tools)
    let created = try serverCommand(
      tools.createdb, ["-h", directory, "-U", Self.role, Self.database])
    guard created == 0 else {
      throw ClusterError("createdb failed (exit \(created)); see \(toolLog):\n" + tail(toolLog))
    }
  }

  private func startServer(_ tools: Tools) throws {
    let status = try serverCommand(
      tools.pgCtl, ["-D", dataDirectory, "-l", serverLog, "-w", "-t", "60", "start"])
    guard status == 0 else {
      throw ClusterError(
        "pg_ctl start failed (exit \(status)); see \(serverLog):\n" + tail(serverLog))
    }
  }

  /// Creates the directory, private to the user the server runs as.
  private func prepareDirectory() throws {
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    if let owner = try ServerUser.current() {
      guard chown(directory, owner.uid, owner.gid) == 0 else {
        throw ClusterError(
          "cannot hand \(directory) to user \(owner.name): \(String(cString: strerror(errno)))")
      }
    }
    if !FileManager.default.fileExists(atPath: toolLog) {
      _ = FileManager.default.createFile(atPath: toolLog, contents: nil)
      if let owner = try ServerUser.current() { _ = chown(toolLog, owner.uid, owner.gid) }
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

  static func find() throws -> Tools {
    for directory in candidates() {
      let tools = Tools(
        initdb: directory + "/initdb", pgCtl: directory + "/pg_ctl",
        createdb: directory + "/createdb")
      if [tools.initdb, tools.pgCtl, tools.createdb].allSatisfy(
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
