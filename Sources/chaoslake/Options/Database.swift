import Foundation
import LocalCluster
import Logging
import PostgresClient
import Warehouse

/// The server's connection string (see `ServerSettings`), saying so on stderr when the
/// local cluster had to be started.
func serverConninfo() throws -> String {
  try ServerSettings.conninfo { cluster in
    FileHandle.standardError.write(
      Data("chaoslake: started the local PostgreSQL cluster in \(cluster.directory)\n".utf8))
  }
}

/// A connection to the configured server with chaoslake's schema migrated and selected.
func connectToWarehouse() throws -> Connection {
  let conninfo = try serverConninfo()
  var logger = Logger(label: "chaoslake.postgres")
  logger.logLevel = .notice
  do {
    let connection = try Connection(conninfo, logger: logger)
    try Schema.migrate(connection)
    return connection
  } catch let error as PostgresError where error.kind == .connection {
    // The message never includes the password: `Connection` masks it where libpq quotes
    // the connection string.
    throw CLIError.databaseUnavailable("cannot connect to PostgreSQL: \(error)")
  }
}

/// Prints data-test results; throws (exit 1) when a test of severity error failed.
func printDataTests(_ results: [DataTestResult]) throws {
  print(DataTestResult.summary(results), terminator: "")
  if DataTestResult.anyErrorFailed(results) {
    throw CLIError.mismatch("a data test of severity error failed")
  }
}
