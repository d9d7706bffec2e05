import Foundation
import LocalCluster
import Logging
import PostgresClient
import Warehouse

/// Where the database is: `DATABASE_URL`, else the standard `PG*` variables (libpq reads
/// them), else the throwaway local cluster, started on demand.
enum ConnectionSettings {
  static let settingNames = [
    "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGSERVICEFILE",
  ]

  static var usesLocalCluster: Bool {
    let environment = ProcessInfo.processInfo.environment
    return environment["DATABASE_URL"] == nil && !settingNames.contains { environment[$0] != nil }
  }

  /// A connection with the schema migrated and selected.
  static func connect() throws -> Connection {
    let conninfo = try resolve()
    var logger = Logger(label: "chaoslake.postgres")
    logger.logLevel = .notice
    do {
      let connection = try Connection(conninfo, logger: logger)
      try Schema.migrate(connection)
      return connection
    } catch let error as PostgresError where error.kind == .connection {
      // The message never includes the password: libpq does not echo it.
      throw CLIError.databaseUnavailable("cannot connect to PostgreSQL: \(error)")
    }
  }

  /// The connection string to use, starting the local cluster when it is the one.
  static func resolve() throws -> String {
    let environment = ProcessInfo.processInfo.environment
    let conninfo: String
    if let url = environment["DATABASE_URL"] {
      conninfo = url
    } else if !usesLocalCluster {
      conninfo = ""
    } else {
      let cluster = LocalCluster.standard()
      do {
        if try cluster.start() {
          FileHandle.standardError.write(
            Data("chaoslake: started the local PostgreSQL cluster in \(cluster.directory)\n".utf8))
        }
      } catch {
        throw CLIError.databaseUnavailable("\(error)")
      }
      conninfo = cluster.conninfo
    }
    return conninfo
  }
}
