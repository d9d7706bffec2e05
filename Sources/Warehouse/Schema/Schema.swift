import ExportFormat
import Foundation
import PostgresClient

/// The database schema: versioned SQL migrations shipped in `SQL/migrations`, each applied
/// once, in order, and recorded with a checksum so an edited migration is noticed.
public enum Schema {
  public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var sql: String
  }

  /// Checksums of earlier texts of applied migrations whose edits changed comments only, so
  /// databases migrated before the edit stay valid (Liquibase's `validCheckSum`). Anything
  /// else edited in an applied migration is refused: add a new migration instead.
  static let earlierChecksums: [Int: Set<String>] = [
    1: ["c327f97dec8ec77f"]  // "first MiB" corrected to "first 64 KiB" in a comment
  ]

  /// Points the session at the `chaoslake` schema, where everything chaoslake creates
  /// lives. Call once per connection.
  public static func use(_ connection: Connection) throws {
    try connection.executeScript(
      """
      set client_min_messages = warning;
      create schema if not exists chaoslake;
      set search_path = chaoslake, public;
      """)
  }

  /// The bundled migrations of `SQL/<folder>`, in version order.
  public static func migrations(in folder: String = "migrations") throws -> [Migration] {
    try SQLBundle.files(in: folder).map { file in
      guard let version = Int(file.name.prefix { $0.isNumber }) else {
        throw WarehouseError.migrationWithoutVersion(name: file.name)
      }
      return Migration(version: version, name: file.name, sql: file.sql)
    }
  }

  /// Applies the migrations not applied yet; returns their names. Safe to run concurrently.
  ///
  /// On a Citus cluster (``Layout/citus``) the migrations of `SQL/citus/migrations` follow,
  /// recorded apart: they distribute the tables the common ones made.
  @discardableResult
  public static func migrate(_ connection: Connection) throws -> [String] {
    try use(connection)
    try connection.execute("select pg_advisory_lock(hashtext('chaoslake.migrations'))")
    defer {
      _ = try? connection.execute("select pg_advisory_unlock(hashtext('chaoslake.migrations'))")
    }
    let layout = try Layout.detect(connection)
    var names = try apply(migrations(), recordedIn: "schema_migrations", layout, connection)
    if layout == .citus {
      names += try apply(
        migrations(in: "citus/migrations"), recordedIn: "citus_schema_migrations", layout,
        connection)
    }
    return names
  }

  /// Applies those of `migrations` that `table` does not record, each in its transaction.
  private static func apply(
    _ migrations: [Migration], recordedIn table: String, _ layout: Layout,
    _ connection: Connection
  ) throws -> [String] {
    // `table` is one of two names written above, never input.
    try connection.executeScript(
      """
      create table if not exists \(table) (
        version    integer     primary key,
        name       text        not null,
        checksum   text        not null,
        applied_at timestamptz not null default now()
      )
      """)
    let applied = try connection.execute("select version, name, checksum from \(table)")
    var known: [Int64: String] = [:]
    for row in applied.rows { known[try row.int64(0)] = try row.string(2) }
    var names: [String] = []
    for migration in migrations {
      let checksum = String(fnv1a64(Array(migration.sql.utf8)), radix: 16)
      if let recorded = known[Int64(migration.version)] {
        guard
          recorded == checksum
            || (table == "schema_migrations"
              && earlierChecksums[migration.version, default: []].contains(recorded))
        else {
          throw WarehouseError.migrationChanged(
            name: migration.name, recorded: recorded, now: checksum)
        }
        continue
      }
      try connection.transaction {
        try layout.muteLocalViewWarnings(connection)
        // One statement at a time, as psql runs a file: Citus forwards a DDL statement's
        // whole query string to the workers, which refuse more than one command in it.
        for statement in try SQLScript(migration.sql).statements {
          try connection.executeScript(statement)
        }
        try connection.execute(
          "insert into \(table) (version, name, checksum) values ($1, $2, $3)",
          [.int(migration.version), .text(migration.name), .text(checksum)])
      }
      names.append(migration.name)
    }
    return names
  }
}
