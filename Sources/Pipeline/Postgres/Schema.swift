import Foundation
import PostgresClient

/// The database schema: versioned SQL migrations shipped in `SQL/migrations`, each applied
/// once, in order, and recorded with a checksum so an edited migration is noticed.
public enum Schema {
  /// Everything chaoslake creates lives in this PostgreSQL schema.
  public static let name = "chaoslake"

  public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var sql: String
  }

  /// Points the session at the chaoslake schema. Call once per connection.
  public static func use(_ connection: Connection) throws {
    try connection.executeScript(
      """
      set client_min_messages = warning;
      create schema if not exists chaoslake;
      set search_path = chaoslake, public;
      """)
  }

  /// The bundled migrations, in version order.
  public static func migrations() throws -> [Migration] {
    guard let directory = Bundle.module.url(forResource: "SQL", withExtension: nil) else {
      throw PostgresError(kind: .statement, message: "the SQL resources are missing from the build")
    }
    let folder = directory.appendingPathComponent("migrations")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".sql") }.sorted()
    return try files.map { file in
      guard let version = Int(file.prefix { $0.isNumber }) else {
        throw PostgresError(kind: .statement, message: "migration \(file) has no version prefix")
      }
      let sql = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      return Migration(version: version, name: String(file.dropLast(4)), sql: sql)
    }
  }

  /// Applies the migrations not applied yet; returns their names. Safe to run concurrently.
  @discardableResult
  public static func migrate(_ connection: Connection) throws -> [String] {
    try use(connection)
    try connection.execute("select pg_advisory_lock(hashtext('chaoslake.migrations'))")
    defer {
      _ = try? connection.execute("select pg_advisory_unlock(hashtext('chaoslake.migrations'))")
    }
    try connection.executeScript(
      """
      create table if not exists schema_migrations (
        version    integer     primary key,
        name       text        not null,
        checksum   text        not null,
        applied_at timestamptz not null default now()
      )
      """)
    let applied = try connection.execute("select version, name, checksum from schema_migrations")
    var known: [Int: String] = [:]
    for row in applied.rows { known[Int(row[0]!)!] = row[2]! }
    var names: [String] = []
    for migration in try migrations() {
      let checksum = String(fnv1a64(Array(migration.sql.utf8)), radix: 16)
      if let recorded = known[migration.version] {
        guard recorded == checksum else {
          throw PostgresError(
            kind: .statement,
            message:
              "migration \(migration.name) was changed after it was applied (checksum \(recorded), now \(checksum))"
          )
        }
        continue
      }
      try connection.transaction {
        try connection.executeScript(migration.sql)
        try connection.execute(
          "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)",
          [.int(migration.version), .text(migration.name), .text(checksum)])
      }
      names.append(migration.name)
    }
    return names
  }
}

/// 64-bit FNV-1a, for content identity of inputs and migrations (not a security measure).
func fnv1a64(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
  var hash = seed
  for byte in bytes {
    hash ^= UInt64(byte)
    hash &*= 0x0000_0100_0000_01B3
  }
  return hash
}
