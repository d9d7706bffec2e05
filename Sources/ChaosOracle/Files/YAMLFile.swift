import Yams

/// Reads human-edited YAML files (chaos profiles, scenarios) into `Decodable` types, with
/// messages that say where the file is wrong: its name, the line, the key path and what
/// was expected there.
package enum YAMLFile {
  /// A file that does not decode, with a message for the person who wrote it.
  package struct Failure: Error, CustomStringConvertible {
    package let description: String

    package init(description: String) { self.description = description }
  }

  /// Decodes `text` (named `name` in messages) as `T`.
  package static func decode<T: Decodable>(_ type: T.Type, from text: String, name: String) throws
    -> T
  {
    let root: Node?
    do { root = try Yams.compose(yaml: text) } catch {
      throw Failure(description: "\(name): not valid YAML: \(error)")
    }
    guard let root else { throw Failure(description: "\(name): the file is empty") }
    do {
      return try YAMLDecoder().decode(T.self, from: root)
    } catch let error as DecodingError {
      throw Failure(description: message(for: error, in: root, name: name))
    }
  }

  private static func message(for error: DecodingError, in root: Node, name: String) -> String {
    let (path, problem): ([any CodingKey], String) =
      switch error {
      case .typeMismatch(let type, let context):
        (context.codingPath, "expected \(describe(type))")
      case .valueNotFound(let type, let context):
        (context.codingPath, "expected \(describe(type)), found nothing")
      case .keyNotFound(let key, let context):
        (context.codingPath, "missing key '\(key.stringValue)'")
      case .dataCorrupted(let context):
        (context.codingPath, context.debugDescription)
      @unknown default:
        ([], "\(error)")
      }
    let keys = path.reduce(into: "") { text, key in
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += (text.isEmpty ? "" : ".") + key.stringValue
      }
    }
    let location = keys.isEmpty ? "" : " '\(keys)':"
    let line = node(at: path, in: root)?.mark.map { ":\($0.line)" } ?? ""
    return "\(name)\(line):\(location) \(problem)"
  }

  /// The node a coding path leads to, as deep as it exists (for its line number).
  private static func node(at path: [any CodingKey], in root: Node) -> Node? {
    var current = root
    for key in path {
      switch current {
      case .mapping(let mapping):
        guard let entry = mapping.first(where: { $0.key.string == key.stringValue }) else {
          return current
        }
        current = entry.value
      case .sequence(let sequence):
        guard let index = key.intValue, sequence.indices.contains(index) else { return current }
        current = sequence[index]
      default:
        return current
      }
    }
    return current
  }

  private static func describe(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type, is Int64.Type, is UInt64.Type: "an integer"
    case is Double.Type: "a number"
    case is Bool.Type: "true or false"
    case is String.Type: "text"
    case is Node.Mapping.Type: "a mapping of keys to values"
    case is Node.Sequence.Type: "a list"
    default: "\(type)"
    }
  }
}

/// Any key, for reading a mapping whose keys are checked by hand.
package struct AnyCodingKey: CodingKey {
  package var stringValue: String
  package var intValue: Int?

  package init(_ string: String) { stringValue = string }
  package init?(stringValue: String) { self.stringValue = stringValue }
  package init?(intValue: Int) {
    stringValue = String(intValue)
    self.intValue = intValue
  }
}

extension Decoder {
  /// Throws, at the first key not in `Keys`, naming it and the keys that are known: a
  /// misspelt option must not be silently ignored.
  package func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
    let container = try container(keyedBy: AnyCodingKey.self)
    let known = Keys.allCases.map(\.stringValue)
    for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue })
    where !known.contains(key.stringValue) {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: container,
        debugDescription: "unknown key; known: \(known.joined(separator: ", "))")
    }
  }
}
