import ChaosOracle
import ExportFormat
import Foundation
import Yams

/// Reading and writing scenario files: human-editable YAML.
///
/// ```yaml
/// generator_version: 1
/// description: a late price update splits a version
/// # generated …
/// seed: 42
/// events: 500
/// products: 50
/// days: 30
/// profile: heavy          # a preset name, or a mapping as in a profile file
/// swarm: false
/// # … or explicit
/// lines:
///   - '{"event_id": "…", …}'   # the line's exact text
///   - base64: 3q2+7w==         # bytes that are not printable text
/// batches: 3              # or [120, 300]: run after these line counts
/// expected:               # optional, any of the five export files
///   history.csv: |
///     product_id,version,…
/// ```
public enum ScenarioFile {
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  public static func load(path: String) throws -> Scenario {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw Failure(description: "cannot read scenario \(path): \(error.localizedDescription)")
    }
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return try parse(text, name: name)
  }

  public static func parse(_ text: String, name: String) throws -> Scenario {
    let root: [String: Any]
    do {
      guard let mapping = try Yams.load(yaml: text) as? [String: Any] else {
        throw Failure(description: "\(name): a scenario is a YAML mapping")
      }
      root = mapping
    } catch let failure as Failure {
      throw failure
    } catch {
      throw Failure(description: "\(name): not valid YAML: \(error)")
    }
    let known: Set = [
      "generator_version", "description", "seed", "events", "products", "days", "profile", "swarm",
      "lines", "batches", "expected",
    ]
    for key in root.keys.sorted() where !known.contains(key) {
      throw Failure(description: "\(name): unknown key '\(key)'")
    }
    let version = root["generator_version"] as? Int ?? generatorVersion
    let source: Scenario.Source
    if let lines = root["lines"] {
      guard let entries = lines as? [Any] else {
        throw Failure(description: "\(name): 'lines' must be a list")
      }
      source = .explicit(
        try entries.enumerated().map { try line($0.element, index: $0.offset, name: name) })
    } else {
      guard let seed = integer(root["seed"]), let events = integer(root["events"]) else {
        throw Failure(description: "\(name): give either 'lines' or 'seed' and 'events'")
      }
      guard version == generatorVersion else {
        throw Failure(
          description:
            "\(name): generated with generator version \(version), this is version \(generatorVersion); "
            + "the stream would differ (regenerate the scenario or make it explicit)")
      }
      let profile: ChaosProfile
      switch root["profile"] {
      case nil: profile = .preset(named: "default")!
      case let text as String: profile = try ChaosProfile.resolve(text)
      case let mapping: profile = try ChaosProfile.parse(mapping: mapping, name: name + " profile")
      }
      var options = GeneratorOptions(seed: UInt64(seed), events: events, profile: profile)
      if let products = integer(root["products"]) { options.products = products }
      if let days = integer(root["days"]) { options.days = days }
      source = .generated(options, swarm: root["swarm"] as? Bool ?? false)
    }
    let batches: Scenario.Batches
    switch root["batches"] {
    case nil: batches = .even(1)
    case let count as Int: batches = .even(count)
    case let cuts as [Any]:
      batches = .boundaries(
        try cuts.map {
          guard let cut = integer($0) else {
            throw Failure(description: "\(name): batches must be integers")
          }
          return cut
        })
    default: throw Failure(description: "\(name): 'batches' is a count or a list of line counts")
    }
    var expected: [String: String] = [:]
    if let files = root["expected"] {
      guard let table = files as? [String: Any] else {
        throw Failure(description: "\(name): 'expected' maps export file names to contents")
      }
      for (file, contents) in table {
        guard ExportFiles.fileNames.contains(file) else {
          throw Failure(
            description: "\(name): unknown expected file '\(file)'; known: "
              + ExportFiles.fileNames.joined(separator: ", "))
        }
        guard let text = contents as? String else {
          throw Failure(description: "\(name): expected \(file) must be text")
        }
        expected[file] = text.hasSuffix("\n") ? text : text + "\n"
      }
    }
    return Scenario(
      name: name, description: root["description"] as? String ?? "", generatorVersion: version,
      source: source, batches: batches, expected: expected)
  }

  private static func integer(_ value: Any?) -> Int? {
    switch value {
    case let number as Int: number
    case let text as String: Int(text)
    default: nil
    }
  }

  private static func line(_ entry: Any, index: Int, name: String) throws -> [UInt8] {
    switch entry {
    case let text as String: return Array(text.utf8)
    case let mapping as [String: Any]:
      if let encoded = mapping["base64"] as? String, let data = Data(base64Encoded: encoded) {
        return Array(data)
      }
      if let text = mapping["text"] as? String { return Array(text.utf8) }
    default: break
    }
    throw Failure(description: "\(name): line \(index + 1) must be text or {base64: …}")
  }

  // MARK: - Writing

  /// The scenario as YAML that `parse` reads back.
  public static func render(_ scenario: Scenario) -> String {
    var text = "# chaoslake scenario: replay with `chaoslake replay FILE`\n"
    text += "generator_version: \(scenario.generatorVersion)\n"
    if !scenario.description.isEmpty { text += "description: \(quoted(scenario.description))\n" }
    switch scenario.source {
    case .generated(let options, let swarm):
      text += "seed: \(options.seed)\nevents: \(options.events)\n"
      text += "products: \(options.products)\ndays: \(options.days)\n"
      if ChaosProfile.preset(named: options.profile.name) == options.profile {
        text += "profile: \(options.profile.name)\n"
      } else {
        text += "profile:\n" + indent(options.profile.yamlText, by: 2)
      }
      text += "swarm: \(swarm)\n"
    case .explicit(let lines):
      text += "lines:\n"
      for line in lines { text += "  - " + lineText(line) + "\n" }
    }
    switch scenario.batches {
    case .even(let count): text += "batches: \(count)\n"
    case .boundaries(let cuts):
      text += "batches: [\(cuts.map(String.init).joined(separator: ", "))]\n"
    }
    if !scenario.expected.isEmpty {
      text += "expected:\n"
      for file in ExportFiles.fileNames {
        guard let contents = scenario.expected[file] else { continue }
        text += "  \(file): |\n" + indent(contents, by: 4)
      }
    }
    return text
  }

  /// A printable single-line text as a YAML single-quoted scalar; anything else as base64.
  static func lineText(_ line: [UInt8]) -> String {
    let printable =
      !line.isEmpty && line.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
      && line.first != 0x20 && line.last != 0x20
    guard printable else { return "{base64: '\(Data(line).base64EncodedString())'}" }
    return "'" + String(decoding: line, as: UTF8.self).replacingOccurrences(of: "'", with: "''")
      + "'"
  }

  private static func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "\n", with: " ")
      + "'"
  }

  private static func indent(_ text: String, by spaces: Int) -> String {
    let padding = String(repeating: " ", count: spaces)
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
      .map { $0.isEmpty ? "\n" : padding + $0 + "\n" }.joined()
  }
}
