import PostgresClient

/// Where the warehouse's tables live: in one PostgreSQL server, or sharded over the workers
/// of a Citus cluster whose coordinator chaoslake connects to.
///
/// The single node is the default and runs nothing Citus-specific. A database with the
/// `citus` extension and at least one active worker gets the distributed layout: the
/// migrations of `SQL/citus/migrations` after the common ones, and the models and data
/// tests of `SQL/citus/models` and `SQL/citus/tests` in place of their single-node
/// namesakes (or as steps of their own).
public enum Layout: Sendable, Equatable {
  case singleNode
  case citus

  /// The layout of the database `connection` is in.
  public static func detect(_ connection: Connection) throws -> Layout {
    let hasCitus = try connection.execute(
      "select exists (select 1 from pg_extension where extname = 'citus')"
    ).singleRow().bool(0)
    guard hasCitus else { return .singleNode }
    // Without a worker there is nothing to shard onto: the tables stay the coordinator's.
    let workers = try connection.execute(
      """
      select count(*) from pg_dist_node
      where isactive and noderole = 'primary' and groupid <> 0
      """
    ).scalarInt64()
    return workers > 0 ? .citus : .singleNode
  }

  /// Finishes the commits a node's failure left halfway, so that a command reads all that
  /// the coordinator recorded as committed.
  ///
  /// Citus commits across nodes in two phases: a worker killed after it prepared its part
  /// keeps that part, unreadable, until the coordinator commits it; its maintenance daemon
  /// does so within a minute, this at once. Nothing to do on a single node.
  public func settleInterruptedCommits(_ connection: Connection) throws {
    guard self == .citus else { return }
    try connection.execute("select recover_prepared_transactions()")
  }

  /// `error`, or, when it may hide a worker that went away, an error that says so.
  ///
  /// A worker that dies while it runs part of a statement reaches the coordinator's client
  /// as an internal error (XX000, "server closed the connection unexpectedly"), not as a
  /// connection failure. When any worker does not answer now, the failure is reported as
  /// one (SQLSTATE 08006, naming the worker), so the command exits as for an unreachable
  /// database. Errors about data, and errors while every worker answers, pass unchanged.
  public func explainingLostWorkers(_ error: any Error, _ connection: Connection) -> any Error {
    guard self == .citus, let failure = error as? PostgresError, failure.kind != .connection,
      failure.code?.isConnectionException != true, !failure.isDataError,
      let unreachable = try? connection.execute(
        """
        select nodename || ':' || nodeport from pg_dist_node
        where isactive and noderole = 'primary' and groupid <> 0
          and not citus_check_connection_to_node(nodename, nodeport)
        order by nodeid
        """
      ).rows.compactMap({ $0.values.first ?? nil }), !unreachable.isEmpty
    else { return error }
    return PostgresError(
      kind: failure.kind, code: PostgresError.Code(rawValue: "08006"),
      message: "Citus worker(s) \(unreachable.joined(separator: ", ")) not reachable: "
        + failure.message, detail: failure.detail)
  }

  /// Whether a model's `error` may come from the data of a line, so that the run is worth
  /// locating to its line: a data exception, or on Citus an internal error, which is how
  /// Citus reports a worker's error while it copies rows into its shards (the worker's
  /// SQLSTATE is lost, `ReportCopyError` in its multi_copy.c). A worker lost mid-statement
  /// shows as an internal error too; the run checks the workers first (`explainingLostWorkers`).
  func mayBeLineData(_ error: PostgresError) -> Bool {
    guard !error.isDataError else { return true }
    return self == .citus && error.kind != .connection && error.code == .internalError
  }

  /// For the current transaction: no Citus warning for each view made over a table of the
  /// coordinator or in the session's temporary schema (the run's views, which are meant to
  /// stay on the coordinator). Citus lets only a superuser turn them off; for other roles
  /// they stay.
  func muteLocalViewWarnings(_ connection: Connection) throws {
    guard self == .citus else { return }
    try connection.execute(
      """
      select set_config('citus.enable_unsupported_feature_messages', 'off', true)
      from pg_roles where rolname = current_user and rolsuper
      """)
  }

  /// The folder of `SQL` whose files replace the common ones of the same name, if any.
  var overrides: String? {
    switch self {
    case .singleNode: nil
    case .citus: "citus"
    }
  }
}

extension Layout {
  /// Creates database `name` on the server `admin` is connected to, ready for `migrate`.
  ///
  /// On a Citus coordinator the database is made on every worker too, with the extension,
  /// and the nodes registered in it as they are in `admin`'s database: Citus keeps its
  /// cluster's metadata per database. `conninfo` is how `admin` connected (the workers are
  /// reached with its user and credentials). `name` must be an identifier chaoslake made.
  public static func createDatabase(_ name: String, from admin: Connection, conninfo: String)
    throws
  {
    guard try detect(admin) == .citus else {
      try admin.execute("create database \(name)")
      return
    }
    let nodes = try admin.execute(
      """
      select nodename, nodeport, groupid = 0 from pg_dist_node
      where isactive and noderole = 'primary' order by groupid, nodeid
      """
    ).rows.map { (host: try $0.string(0), port: try $0.int(1), isCoordinator: try $0.bool(2)) }
    try admin.execute("set citus.enable_create_database_propagation = on")
    try admin.execute("create database \(name)")
    do {
      for worker in nodes where !worker.isCoordinator {
        try Connection(conninfo, database: name, host: worker.host, port: worker.port)
          .execute("create extension if not exists citus")
      }
      let connection = try Connection(conninfo, database: name)
      try connection.execute("create extension if not exists citus")
      for node in nodes {
        try connection.execute(
          node.isCoordinator
            ? "select citus_set_coordinator_host($1, $2)" : "select citus_add_node($1, $2)",
          [.text(node.host), .int(node.port)])
      }
    } catch {
      // Half made (a worker down, say): leave nothing behind.
      try? dropDatabase(name, from: admin)
      throw error
    }
  }

  /// Drops database `name` (made by `createDatabase`), on the workers too, whoever is
  /// connected to it.
  public static func dropDatabase(_ name: String, from admin: Connection) throws {
    if try detect(admin) == .citus {
      try admin.execute("set citus.enable_create_database_propagation = on")
    }
    try admin.execute("drop database if exists \(name) with (force)")
  }
}
