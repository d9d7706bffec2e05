import Foundation

/// The `.sql` files shipped with the Warehouse target (`SQL/migrations`, `SQL/models`).
enum SQLBundle {
  /// The files of `SQL/<folder>` ending in `.sql`, sorted by name, with their text.
  ///
  /// With `layout`'s overrides, a file of `SQL/<overrides>/<folder>` replaces the common
  /// file of the same name, or adds a step of its own at its place in the order.
  static func files(in folder: String, layout: Layout = .singleNode) throws
    -> [(name: String, sql: String)]
  {
    let common = try read(folder)
    guard let overrides = layout.overrides else { return common }
    let replacements = try read(overrides + "/" + folder)
    let replaced = Set(replacements.map(\.name))
    return (common.filter { !replaced.contains($0.name) } + replacements)
      .sorted { $0.name < $1.name }
  }

  /// The `.sql` files of one folder of `SQL`, none when the folder does not exist.
  private static func read(_ folder: String) throws -> [(name: String, sql: String)] {
    guard let root = Bundle.module.url(forResource: "SQL", withExtension: nil) else {
      throw WarehouseError.missingResources
    }
    let directory = root.appendingPathComponent(folder)
    guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
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
