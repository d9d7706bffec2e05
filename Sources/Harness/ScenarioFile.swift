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
package enum ScenarioFile {
  /// A scenario file that cannot be read, decoded or written; the message names the file
  /// and, for a decoding error, the line and key.
  package struct Failure: Error, CustomStringConvertible {
    package let description: String

    package init(description: String) { self.description = description }
  }

  package static func load(path: String) throws -> Scenario {
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw Failure(description: "cannot read scenario \(path): \(error.localizedDescription)")
    }
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return try parse(text, name: name, file: path)
  }

  /// Writes `scenario` to `path` (creating its directory), as `render` spells it.
  package static func write(_ scenario: Scenario, to path: String) throws {
    let directory = (path as NSString).deletingLastPathComponent
    do {
      if !directory.isEmpty {
        try FileManager.default.createDirectory(
          atPath: directory, withIntermediateDirectories: true)
      }
      try render(scenario).write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
      throw Failure(
        description: "cannot write the scenario \(path): \(error.localizedDescription)")
    }
  }

  /// Reads a scenario from its YAML `text`; `file` (else `name`) names it in messages.
  package static func parse(_ text: String, name: String, file: String? = nil) throws -> Scenario {
    let document: Document
    do { document = try YAMLFile.decode(Document.self, from: text, name: file ?? name) } catch {
      throw Failure(description: "\(error)")
    }
    let version = document.generatorVersion ?? generatorVersion
    let source: Scenario.Source
    if let lines = document.lines {
      source = .explicit(lines)
    } else {
      guard let seed = document.seed, let events = document.events else {
        throw Failure(description: "\(name): give either 'lines' or 'seed' and 'events'")
      }
      guard version == generatorVersion else {
        throw Failure(
          description:
            "\(name): generated with generator version \(version), this is version \(generatorVersion); "
            + "the stream would differ (regenerate the scenario or make it explicit)")
      }
      let profile: ChaosProfile
      switch document.profile {
      case nil:
        profile = ChaosProfile.preset(named: "default") ?? ChaosProfile(name: "default", rates: [:])
      case .named(let text):
        do { profile = try ChaosProfile.resolve(text) } catch {
          throw Failure(description: "\(name): profile: \(error)")
        }
      case .inline(var inline):
        inline.name = name + " profile"
        profile = inline
      }
      var options = GeneratorOptions(seed: seed, events: events, profile: profile)
      if let products = document.products { options.products = products }
      if let days = document.days { options.days = days }
      source = .generated(options, swarm: document.swarm ?? false)
    }
    return Scenario(
      name: name, description: document.description ?? "", generatorVersion: version,
      source: source, batches: document.batches ?? .even(1), expected: document.expected)
  }

  /// A scenario file as written; every key and value checked while decoding, so messages
  /// name the line and key.
  struct Document: Decodable {
    var generatorVersion: Int?
    var description: String?
    var seed: UInt64?
    var events: Int?
    var products: Int?
    var days: Int?
    var profile: ProfileChoice?
    var swarm: Bool?
    var lines: [[UInt8]]?
    var batches: Scenario.Batches?
    var expected: [String: String] = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
      case generatorVersion = "generator_version"
      case description, seed, events, products, days, profile, swarm, lines, batches, expected
    }

    /// `profile:` is a preset name or file path, or a profile mapping written inline.
    enum ProfileChoice {
      case named(String)
      case inline(ChaosProfile)
    }

    init(from decoder: Decoder) throws {
      try decoder.rejectUnknownKeys(CodingKeys.self)
      let container = try decoder.container(keyedBy: CodingKeys.self)
      generatorVersion = try container.decodeIfPresent(Int.self, forKey: .generatorVersion)
      description = try container.decodeIfPresent(String.self, forKey: .description)
      seed = try container.decodeIfPresent(UInt64.self, forKey: .seed)
      events = try Self.count(container, .events, atLeast: 0)
      products = try Self.count(container, .products, atLeast: 1)
      days = try Self.count(container, .days, atLeast: 1)
      if let days, days > GeneratorOptions.maxDays {
        throw DecodingError.dataCorruptedError(
          forKey: .days, in: container,
          debugDescription: "must be at most \(GeneratorOptions.maxDays) (times stay in year 9999)")
      }
      swarm = try container.decodeIfPresent(Bool.self, forKey: .swarm)
      if container.contains(.profile) {
        if let text = try? container.decode(String.self, forKey: .profile) {
          profile = .named(text)
        } else {
          profile = .inline(try container.decode(ProfileFile.self, forKey: .profile).profile)
        }
      }
      if container.contains(.lines) {
        var entries = try container.nestedUnkeyedContainer(forKey: .lines)
        var lines: [[UInt8]] = []
        while !entries.isAtEnd { lines.append(try entries.decode(LineEntry.self).bytes) }
        self.lines = lines
      }
      if container.contains(.batches) {
        if let count = try? container.decode(Int.self, forKey: .batches) {
          guard count >= 1 else {
            throw DecodingError.dataCorruptedError(
              forKey: .batches, in: container, debugDescription: "a batch count is at least 1")
          }
          batches = .even(count)
        } else {
          batches = .boundaries(try container.decode([Int].self, forKey: .batches))
        }
      }
      if container.contains(.expected) {
        let files = try container.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .expected)
        for key in files.allKeys {
          guard ExportFiles.fileNames.contains(key.stringValue) else {
            throw DecodingError.dataCorruptedError(
              forKey: key, in: files,
              debugDescription:
                "unknown export file; known: \(ExportFiles.fileNames.joined(separator: ", "))")
          }
          let text = try files.decode(String.self, forKey: key)
          expected[key.stringValue] = text.hasSuffix("\n") ? text : text + "\n"
        }
      }
    }

    private static func count(
      _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, atLeast minimum: Int
    ) throws -> Int? {
      guard let value = try container.decodeIfPresent(Int.self, forKey: key) else { return nil }
      guard value >= minimum else {
        throw DecodingError.dataCorruptedError(
          forKey: key, in: container, debugDescription: "must be at least \(minimum)")
      }
      return value
    }
  }

  /// One delivered line: its text, or `{base64: …}` for bytes that are not printable text
  /// (`{text: …}` is accepted too).
  struct LineEntry: Decodable {
    var bytes: [UInt8]

    enum CodingKeys: String, CodingKey, CaseIterable {
      case base64, text
    }

    init(from decoder: Decoder) throws {
      if let text = try? decoder.singleValueContainer().decode(String.self) {
        bytes = Array(text.utf8)
        return
      }
      try decoder.rejectUnknownKeys(CodingKeys.self)
      let container = try decoder.container(keyedBy: CodingKeys.self)
      if let encoded = try container.decodeIfPresent(String.self, forKey: .base64) {
        guard let data = Data(base64Encoded: encoded) else {
          throw DecodingError.dataCorruptedError(
            forKey: .base64, in: container, debugDescription: "not valid base64")
        }
        bytes = Array(data)
      } else if let text = try container.decodeIfPresent(String.self, forKey: .text) {
        bytes = Array(text.utf8)
      } else {
        throw DecodingError.dataCorrupted(
          DecodingError.Context(
            codingPath: decoder.codingPath,
            debugDescription: "a line is text, {base64: …} or {text: …}"))
      }
    }
  }

  // MARK: - Writing

  /// The scenario as YAML that `parse` reads back.
  package static func render(_ scenario: Scenario) -> String {
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
        text += "  \(file): " + fileText(contents)
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

  /// Expected file contents: a literal block when every line is plain printable text (what
  /// people edit), else a double-quoted scalar with escapes, which YAML reads back exactly
  /// (CR, tabs, control characters, combining marks an editor might normalize).
  static func fileText(_ contents: String) -> String {
    let plain =
      contents.hasSuffix("\n")
      && contents.unicodeScalars.allSatisfy {
        ($0.value >= 0x20 && $0.value < 0x7F) || $0 == "\n"
      } && !contents.split(separator: "\n").contains { $0.hasSuffix(" ") || $0.hasPrefix(" ") }
    if plain { return "|\n" + indent(contents, by: 4) }
    var text = "\""
    for scalar in contents.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      case _ where scalar.value >= 0x20 && scalar.value < 0x7F: text.unicodeScalars.append(scalar)
      case _ where scalar.value <= 0xFFFF:
        let hex = String(scalar.value, radix: 16, uppercase: true)
        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default:
        let hex = String(scalar.value, radix: 16, uppercase: true)
        text += "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
      }
    }
    return text + "\"\n"
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
