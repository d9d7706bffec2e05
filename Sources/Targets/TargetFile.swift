import ChaosOracle
import Foundation
import Harness

/// A pipeline under test, described in its owner's terms: how a batch is delivered, the
/// command that runs the pipeline, how to reset between runs, and the queries that read its
/// outputs back in chaoslake's export columns. See docs/targets.md.
package struct TargetFile: Sendable {
  /// How each batch of lines reaches the pipeline.
  package enum Delivery: Sendable, Equatable {
    /// Appended to chaoslake's own `raw_events` (and so the `raw_events_v1` view, which has
    /// the original project's raw columns).
    case rawEvents
    /// A shell command, given the batch file in `$CHAOSLAKE_BATCH_FILE`.
    case command(String)
  }

  /// How the pipeline starts from nothing before each run.
  package enum Reset: Sendable, Equatable {
    /// A fresh scratch database per run, dropped afterwards.
    case scratchDatabase
    /// A shell command, run before each run in the configured database (which is reused).
    case command(String)
  }

  package var name: String
  /// Absolute; commands run here.
  package var workingDirectory: String
  package var environment: [String: String]
  package var delivery: Delivery
  /// Runs the pipeline after each batch (e.g. `dbt run && dbt snapshot`).
  package var run: String
  package var reset: Reset
  /// Returns `product_id, price, category, is_deleted, valid_from, valid_to`.
  package var historyQuery: String
  /// The level `verify --target` holds the pipeline to unless `--compare` says otherwise.
  package var compare: ComparisonLevel
  /// The file it was read from, for messages and replay commands.
  package var path: String

  /// Reads a target file; relative paths in it are relative to the file's folder.
  package static func load(path: String) throws -> TargetFile {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw YAMLFile.Failure(
        description: "cannot read target \(path): \(error.localizedDescription)")
    }
    let document = try YAMLFile.decode(Document.self, from: text, name: path)
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    let workingDirectory = URL(
      fileURLWithPath: document.workingDirectory ?? ".", relativeTo: folder
    ).standardizedFileURL.path
    return TargetFile(
      name: document.name ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
      workingDirectory: workingDirectory, environment: document.environment ?? [:],
      delivery: document.deliver, run: document.run, reset: document.reset,
      historyQuery: document.queries.history, compare: document.compare ?? .exact, path: path)
  }

  struct Document: Decodable {
    var name: String?
    var workingDirectory: String?
    var environment: [String: String]?
    var deliver: Delivery
    var run: String
    var reset: Reset
    var queries: Queries
    var compare: ComparisonLevel?

    enum CodingKeys: String, CodingKey, CaseIterable {
      case name, environment, deliver, run, reset, queries, compare
      case workingDirectory = "working_directory"
    }

    struct Queries: Decodable {
      var history: String

      enum CodingKeys: String, CodingKey, CaseIterable {
        case history
      }

      init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        history = try decoder.container(keyedBy: CodingKeys.self)
          .decode(String.self, forKey: .history)
      }
    }

    enum CommandKeys: String, CodingKey, CaseIterable {
      case command
    }

    init(from decoder: Decoder) throws {
      try decoder.rejectUnknownKeys(CodingKeys.self)
      let container = try decoder.container(keyedBy: CodingKeys.self)
      name = try container.decodeIfPresent(String.self, forKey: .name)
      workingDirectory = try container.decodeIfPresent(String.self, forKey: .workingDirectory)
      environment = try container.decodeIfPresent([String: String].self, forKey: .environment)
      run = try container.decode(String.self, forKey: .run)
      queries = try container.decode(Queries.self, forKey: .queries)
      if let level = try container.decodeIfPresent(String.self, forKey: .compare) {
        guard let parsed = ComparisonLevel(rawValue: level) else {
          throw DecodingError.dataCorruptedError(
            forKey: .compare, in: container,
            debugDescription: "expected exact, versions or final")
        }
        compare = parsed
      }
      deliver = try Self.choice(
        container, .deliver, keyword: "raw_events", keywordValue: .rawEvents,
        command: { .command($0) }, default: nil)
      reset = try Self.choice(
        container, .reset, keyword: "scratch_database", keywordValue: .scratchDatabase,
        command: { .command($0) }, default: .scratchDatabase)
    }

    /// A key that holds either a keyword or `{command: "…"}`.
    private static func choice<T>(
      _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, keyword: String,
      keywordValue: T, command: (String) -> T, default fallback: T?
    ) throws -> T {
      guard container.contains(key) else {
        if let fallback { return fallback }
        throw DecodingError.keyNotFound(
          key, DecodingError.Context(codingPath: container.codingPath, debugDescription: ""))
      }
      if let text = try? container.decode(String.self, forKey: key) {
        guard text == keyword else {
          throw DecodingError.dataCorruptedError(
            forKey: key, in: container, debugDescription: "expected \(keyword) or {command: …}")
        }
        return keywordValue
      }
      let nested = try container.superDecoder(forKey: key)
      try nested.rejectUnknownKeys(CommandKeys.self)
      return command(
        try nested.container(keyedBy: CommandKeys.self).decode(String.self, forKey: .command))
    }
  }
}
