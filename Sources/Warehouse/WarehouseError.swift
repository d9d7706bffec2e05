/// A problem with the warehouse's own bundled SQL or with the migrations a database has
/// recorded: not a server error, and not bad input. Each is a defect of the build or of a
/// database changed by hand, so the command line reports it and exits 1.
public enum WarehouseError: Error, Equatable, CustomStringConvertible {
  /// The `.sql` resources are missing from the build.
  case missingResources
  /// A bundled migration's file name does not start with its version number.
  case migrationWithoutVersion(name: String)
  /// A migration recorded as applied has been edited since (its checksum differs):
  /// applied migrations are immutable, a change is a new migration.
  case migrationChanged(name: String, recorded: String, now: String)
  /// A bundled data test has no `-- severity: error` or `-- severity: warn` line.
  case dataTestWithoutSeverity(name: String)

  public var description: String {
    switch self {
    case .missingResources:
      "the SQL resources are missing from the build"
    case .migrationWithoutVersion(let name):
      "migration \(name) has no version prefix"
    case .migrationChanged(let name, let recorded, let now):
      "migration \(name) was changed after it was applied (checksum \(recorded), now \(now))"
    case .dataTestWithoutSeverity(let name):
      "data test \(name) needs a '-- severity: error' or '-- severity: warn' line"
    }
  }
}
