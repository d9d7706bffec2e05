import Foundation

/// The `.sql` files shipped with the Warehouse target (`SQL/migrations`, `SQL/models`).
enum SQLBundle {
  /// The files of `SQL/<folder>` ending in `.sql`, sorted by name, with their text.
  static func files(in folder: String) throws -> [(name: String, sql: String)] {
    guard let root = Bundle.module.url(forResource: "SQL", withExtension: nil) else {
      throw WarehouseError.missingResources
    }
    let directory = root.appendingPathComponent(folder)
    return try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".sql") }.sorted()
      .map { file in
        (
          String(file.dropLast(4)),
          try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        )
      }
  }
}
