import Foundation
import Testing

@testable import Targets

/// `target init --dbt` reads a dbt manifest and writes a target file that loads and says
/// what it could not map. The manifests here are written by hand with the fields dbt 1.11
/// writes (`make examples-check` runs the real `dbt parse` on the example project).
@Suite("target init --dbt: a target file from a dbt manifest")
struct DbtTargetInitTests {
  static func manifest(_ nodes: [String: Any], sources: [String: Any] = [:]) throws -> Data {
    try JSONSerialization.data(withJSONObject: ["nodes": nodes, "sources": sources])
  }

  static var rawSource: [String: Any] {
    [
      "source.p.chaoslake.raw_events_v1": ["schema": "chaoslake", "identifier": "raw_events_v1"]
    ]
  }

  /// Writes `yaml` beside the project and loads it as chaoslake would.
  static func load(_ yaml: String) throws -> TargetFile {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("target.yaml")
    try yaml.write(to: file, atomically: true, encoding: .utf8)
    return try TargetFile.load(path: file.path)
  }

  @Test("a check-strategy snapshot over chaoslake's raw view maps every column")
  func checkStrategy() throws {
    let data = try Self.manifest(
      [
        "model.p.latest": ["resource_type": "model", "name": "latest", "columns": [:]],
        "snapshot.p.products": [
          "resource_type": "snapshot", "name": "products", "alias": "products",
          "schema": "analytics_snapshots",
          "depends_on": ["nodes": ["model.p.latest"]],
          "config": [
            "unique_key": "product_id", "strategy": "check", "check_cols": ["price", "category"],
          ],
        ],
      ], sources: Self.rawSource)
    let result = try DbtTargetInit.target(
      manifest: data, snapshot: nil, projectDirectory: ".", profilesInProject: true)
    #expect(result.unmapped.isEmpty)
    let target = try Self.load(result.yaml)
    #expect(target.delivery == .rawEvents)
    #expect(target.compare == .versions)
    #expect(target.environment["DBT_PROFILES_DIR"] == ".")
    #expect(target.run.contains("run --quiet && \"${DBT:-dbt}\" snapshot --quiet"))
    #expect(!target.run.contains("seed"))
    #expect(
      target.historyQuery.contains(
        "select product_id as product_id, price as price, category as category"))
    #expect(target.historyQuery.contains("from analytics_snapshots.products"))
  }

  @Test("other names, the timestamp strategy, hard deletes, seeds, another raw table")
  func otherShapes() throws {
    let data = try Self.manifest(
      [
        "seed.p.codes": ["resource_type": "seed", "name": "codes"],
        "model.p.items": [
          "resource_type": "model", "name": "items",
          "columns": ["sku": [:], "Unit Price": [:], "product_category": [:], "changed_at": [:]],
        ],
        "snapshot.p.item_history": [
          "resource_type": "snapshot", "name": "item_history", "alias": "item_history",
          "schema": "snap",
          "depends_on": ["nodes": ["model.p.items"]],
          "config": [
            "unique_key": "sku", "strategy": "timestamp", "updated_at": "changed_at",
            "hard_deletes": "new_record",
            "snapshot_meta_column_names": [
              "dbt_valid_from": "valid_start", "dbt_is_deleted": "gone",
            ],
          ],
        ],
      ],
      sources: ["source.p.shop.events": ["schema": "shop", "identifier": "events"]])
    let result = try DbtTargetInit.target(
      manifest: data, snapshot: nil, projectDirectory: "../shop", profilesInProject: false)
    #expect(result.unmapped == ["deliver"], "the project loads its own raw table")
    #expect(result.yaml.contains("shop.events"), "the placeholder names the source")
    let target = try Self.load(result.yaml)
    #expect(target.run.contains("seed --quiet &&"), "seeds first, on an empty database")
    #expect(target.environment["DBT_PROFILES_DIR"] == nil)
    #expect(target.historyQuery.contains("select sku as product_id, \"Unit Price\" as price"))
    #expect(target.historyQuery.contains("product_category as category"))
    #expect(target.historyQuery.contains("coalesce(gone::text = 'True', false) as is_deleted"))
    #expect(target.historyQuery.contains("valid_start as valid_from, dbt_valid_to as valid_to"))
    #expect(result.yaml.contains("(timestamp strategy)"))
  }

  @Test("what cannot be mapped is named and left as a placeholder that fails")
  func unmappedColumns() throws {
    let data = try Self.manifest(
      [
        "snapshot.p.s": [
          "resource_type": "snapshot", "name": "s", "schema": "x",
          "config": ["unique_key": "id", "strategy": "check", "check_cols": "all"],
        ]
      ], sources: Self.rawSource)
    let result = try DbtTargetInit.target(
      manifest: data, snapshot: nil, projectDirectory: ".", profilesInProject: true)
    #expect(result.unmapped == ["price", "category"])
    #expect(result.yaml.contains("chaoslake_map_price as price"))
    #expect(result.yaml.contains("# To edit: price, category could not be mapped."))
    _ = try Self.load(result.yaml)
  }

  @Test("several snapshots need --snapshot; an unknown one is refused with the list")
  func choosingASnapshot() throws {
    let snapshot: (String) -> [String: Any] = { name in
      [
        "resource_type": "snapshot", "name": name, "schema": "s",
        "config": ["unique_key": "id", "strategy": "check", "check_cols": ["price", "category"]],
      ]
    }
    let data = try Self.manifest(["snapshot.p.a": snapshot("a"), "snapshot.p.b": snapshot("b")])
    #expect(throws: DbtTargetInit.Failure.self) {
      try DbtTargetInit.target(
        manifest: data, snapshot: nil, projectDirectory: ".", profilesInProject: false)
    }
    do {
      _ = try DbtTargetInit.target(
        manifest: data, snapshot: "c", projectDirectory: ".", profilesInProject: false)
      Issue.record("an unknown snapshot was accepted")
    } catch let failure as DbtTargetInit.Failure {
      #expect(failure.description.contains("a, b"), "\(failure)")
    }
    let chosen = try DbtTargetInit.target(
      manifest: data, snapshot: "b", projectDirectory: ".", profilesInProject: false)
    #expect(chosen.yaml.contains("dbt snapshot b"))
  }
}
