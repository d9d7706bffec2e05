import Foundation

/// `chaoslake target init --dbt`: a target file for a dbt project's snapshot, from the
/// project's own manifest (`dbt parse`), so a dbt user starts from a file that runs.
package enum DbtTargetInit {
  /// A project or manifest chaoslake cannot make a target of.
  package struct Failure: Error, CustomStringConvertible {
    package var description: String
  }

  /// The target file's text, and what could not be mapped (each left as a placeholder
  /// that fails with a message naming it).
  package struct Result: Sendable {
    package var yaml: String
    package var unmapped: [String]
  }

  /// Runs `dbt parse` in `project` (its `profiles.yml` if it has one) into a temporary
  /// folder and returns the manifest's bytes.
  package static func parseManifest(project: String, dbt: String) throws -> Data {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent(
      "chaoslake-dbt-parse-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    var environment = ProcessInfo.processInfo.environment
    if FileManager.default.fileExists(atPath: project + "/profiles.yml") {
      environment["DBT_PROFILES_DIR"] = environment["DBT_PROFILES_DIR"] ?? "."
    }
    let command = ShellCommand(
      command:
        "\"$CHAOSLAKE_DBT\" parse --quiet --target-path \"$CHAOSLAKE_PARSE_DIR\" "
        + "--log-path \"$CHAOSLAKE_PARSE_DIR/logs\"",
      workingDirectory: project,
      environment: environment.merging(
        ["CHAOSLAKE_DBT": dbt, "CHAOSLAKE_PARSE_DIR": work.path]) { $1 })
    do { try command.run(log: work.appendingPathComponent("parse.log")) } catch {
      throw Failure(description: "dbt parse failed in \(project): \(error)")
    }
    guard let data = FileManager.default.contents(atPath: work.path + "/manifest.json") else {
      throw Failure(description: "dbt parse wrote no manifest.json for \(project)")
    }
    return data
  }

  /// The target file for `snapshot` (or the project's only snapshot). `projectDirectory`
  /// is written as the commands' working directory (relative to the target file);
  /// `profilesInProject` sets `DBT_PROFILES_DIR` to it.
  package static func target(
    manifest: Data, snapshot wanted: String?, projectDirectory: String, profilesInProject: Bool
  ) throws -> Result {
    guard let root = try? JSONSerialization.jsonObject(with: manifest) as? [String: Any],
      let nodes = root["nodes"] as? [String: Any]
    else { throw Failure(description: "the manifest is not a dbt manifest") }
    let snapshots = nodes.values.compactMap { $0 as? [String: Any] }
      .filter { $0["resource_type"] as? String == "snapshot" }
      .sorted { ($0["name"] as? String ?? "") < ($1["name"] as? String ?? "") }
    let names = snapshots.compactMap { $0["name"] as? String }
    let node: [String: Any]
    if let wanted {
      guard let found = snapshots.first(where: { $0["name"] as? String == wanted }) else {
        throw Failure(
          description: "no snapshot named \(wanted); the project has: "
            + (names.isEmpty ? "none" : names.joined(separator: ", ")))
      }
      node = found
    } else {
      guard snapshots.count == 1, let only = snapshots.first else {
        throw Failure(
          description: snapshots.isEmpty
            ? "the project has no snapshot to verify"
            : "the project has several snapshots (\(names.joined(separator: ", "))): "
              + "choose one with --snapshot")
      }
      node = only
    }
    let name = node["name"] as? String ?? "snapshot"
    let config = node["config"] as? [String: Any] ?? [:]
    let strategy = config["strategy"] as? String ?? "?"
    var unmapped: [String] = []

    // Which columns mean what: the checked columns, the snapshot's and its parents'
    // documented columns, by name.
    var candidates = (config["check_cols"] as? [String]) ?? []
    candidates += (node["columns"] as? [String: Any]).map { Array($0.keys).sorted() } ?? []
    let parents = (node["depends_on"] as? [String: Any])?["nodes"] as? [String] ?? []
    for parent in parents {
      let columns = ((nodes[parent] as? [String: Any])?["columns"] as? [String: Any]) ?? [:]
      candidates += columns.keys.sorted()
    }
    func column(_ meaning: String, matching words: [String]) -> String {
      if let found = candidates.first(where: { name in
        words.contains { name.lowercased().contains($0) }
      }) {
        return quoted(found)
      }
      unmapped.append(meaning)
      return "chaoslake_map_\(meaning)"  // fails with "column ... does not exist": edit it
    }
    let key: String
    if let unique = config["unique_key"] as? String, !unique.contains(",") {
      key = quoted(unique)
    } else {
      unmapped.append("product_id")
      key = "chaoslake_map_product_id"
    }
    let price = column("price", matching: ["price", "amount", "cost"])
    let category = column("category", matching: ["category", "categ"])
    let meta = config["snapshot_meta_column_names"] as? [String: Any] ?? [:]
    func metaColumn(_ standard: String) -> String {
      quoted(meta[standard] as? String ?? standard)
    }
    let deleted =
      config["hard_deletes"] as? String == "new_record"
      ? "coalesce(\(metaColumn("dbt_is_deleted"))::text = 'True', false)" : "false"
    let relation =
      quoted(node["schema"] as? String ?? "public") + "."
      + quoted(node["alias"] as? String ?? name)

    // How batches reach it: through chaoslake's raw view when that is what it reads.
    let sources = (root["sources"] as? [String: Any] ?? [:]).values
      .compactMap { $0 as? [String: Any] }
      .map { "\($0["schema"] as? String ?? "?").\($0["identifier"] as? String ?? "?")" }
      .sorted()
    let deliver: String
    if sources.contains("chaoslake.raw_events_v1") {
      deliver = "deliver: raw_events"
    } else {
      unmapped.append("deliver")
      deliver =
        "deliver:  # say how a batch file reaches "
        + (sources.isEmpty ? "the project's raw table" : sources.joined(separator: ", ")) + "\n"
        + "  command: 'echo \"edit deliver in this target file\" >&2; exit 127'"
    }
    let seeds = nodes.values.contains {
      ($0 as? [String: Any])?["resource_type"] as? String == "seed"
    }
    let dbt = "\"${DBT:-dbt}\""
    let steps =
      (seeds ? ["\(dbt) seed --quiet"] : [])
      + ["\(dbt) run --quiet", "\(dbt) snapshot --quiet", "\(dbt) test --quiet"]

    var yaml = "# Made by `chaoslake target init --dbt` from the project's manifest.\n"
    if !unmapped.isEmpty {
      yaml += "# To edit: " + unmapped.joined(separator: ", ") + " could not be mapped.\n"
    }
    yaml += "name: dbt snapshot \(name) (\(strategy) strategy)\n"
    yaml += "working_directory: \(yamlQuoted(projectDirectory))\n"
    if profilesInProject { yaml += "environment:\n  DBT_PROFILES_DIR: .\n" }
    yaml += deliver + "\n"
    yaml += "run: >-\n"
    yaml +=
      "  export DBT_TARGET_PATH=\"$CHAOSLAKE_WORK_DIR/dbt-target\" "
      + "DBT_LOG_PATH=\"$CHAOSLAKE_WORK_DIR/dbt-logs\"\n"
    yaml += "  && " + steps.joined(separator: " && ") + "\n"
    yaml += "reset: scratch_database\n"
    yaml += "# A snapshot keeps one state per product per run, stamped as it runs: compare the\n"
    yaml += "# sequence of states.\n"
    yaml += "compare: versions\n"
    yaml += "queries:\n  history: |\n"
    yaml += "    select \(key) as product_id, \(price) as price, \(category) as category,\n"
    yaml += "      \(deleted) as is_deleted,\n"
    yaml +=
      "      \(metaColumn("dbt_valid_from")) as valid_from, "
      + "\(metaColumn("dbt_valid_to")) as valid_to\n"
    yaml += "    from \(relation)\n"
    return Result(yaml: yaml, unmapped: unmapped)
  }

  /// A SQL identifier, quoted only when it must be.
  static func quoted(_ identifier: String) -> String {
    let plain = identifier.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
    }
    return plain && !(identifier.first?.isNumber ?? true)
      ? identifier : "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  static func yamlQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }
}
