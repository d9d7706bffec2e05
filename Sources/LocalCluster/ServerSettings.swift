import Foundation

/// Where chaoslake's database is: `DATABASE_URL` (a libpq URL or key=value string), else
/// the standard `PG*` variables (libpq reads them itself), else the throwaway local cluster,
/// started on demand.
package enum ServerSettings {
  /// The `PG*` variables that name a server; any one of them set means "use it".
  package static let variableNames = [
    "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGSERVICEFILE",
  ]

  /// Whether `environment` names no server, so the local cluster is the one.
  package static func usesLocalCluster(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> Bool {
    environment["DATABASE_URL"] == nil && !variableNames.contains { environment[$0] != nil }
  }

  /// The connection string to use; starts the local cluster when it is the one (and calls
  /// `started` with it when this call started it). Throws `ClusterError` when it cannot.
  package static func conninfo(
    _ environment: [String: String] = ProcessInfo.processInfo.environment,
    started: (LocalCluster) -> Void = { _ in }
  ) throws -> String {
    if let url = environment["DATABASE_URL"] { return url }
    guard usesLocalCluster(environment) else { return "" }
    let cluster = LocalCluster.standard()
    if try cluster.start() { started(cluster) }
    return cluster.conninfo
  }
}
