/// A JSON document as the generator writes it: keys keep their order and numbers keep
/// the literal text they are written with, so output bytes are fully under our control.
enum JSONText: Sendable, Hashable {
  case object([(key: String, value: JSONText)])
  case array([JSONText])
  case string(String)
  /// A number literal exactly as written (`109.95`, `12`, `1e131072`).
  case number(String)
  case bool(Bool)
  case null
  /// Text inserted verbatim; used to write deliberately broken JSON.
  case verbatim(String)

  static func == (lhs: JSONText, rhs: JSONText) -> Bool { lhs.bytes() == rhs.bytes() }
  func hash(into hasher: inout Hasher) { hasher.combine(bytes()) }

  static func integer<T: BinaryInteger>(_ value: T) -> JSONText { .number(String(value)) }

  /// Serialized with Python's `json.dumps` separators (`", "` and `": "`), as the original
  /// producer wrote its events.
  func bytes() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    write(into: &out)
    return out
  }

  func text() -> String { String(decoding: bytes(), as: UTF8.self) }

  func write(into out: inout [UInt8]) {
    switch self {
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for (index, member) in members.enumerated() {
        if index > 0 { appendSeparator(UInt8(ascii: ","), into: &out) }
        JSONText.writeString(member.key, into: &out)
        appendSeparator(UInt8(ascii: ":"), into: &out)
        member.value.write(into: &out)
      }
      out.append(UInt8(ascii: "}"))
    case .array(let elements):
      out.append(UInt8(ascii: "["))
      for (index, element) in elements.enumerated() {
        if index > 0 { appendSeparator(UInt8(ascii: ","), into: &out) }
        element.write(into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .string(let text): JSONText.writeString(text, into: &out)
    case .number(let literal), .verbatim(let literal): out.append(contentsOf: literal.utf8)
    case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
    case .null: out.append(contentsOf: "null".utf8)
    }
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// `", "` or `": "`, Python's separators.
  @inline(__always) private func appendSeparator(_ mark: UInt8, into out: inout [UInt8]) {
    out.append(mark)
    out.append(UInt8(ascii: " "))
  }

  /// Writes a JSON string literal; control characters and non-ASCII are `\u` escaped,
  /// like Python's `ensure_ascii`.
  static func writeString(_ text: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    // Most strings are printable ASCII with nothing to escape: their UTF-8 is their text.
    let copied = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) else {
        return false
      }
      out.append(contentsOf: bytes)
      out.append(UInt8(ascii: "\""))
      return true
    }
    if copied == true { return }
    for unit in text.utf16 {
      switch unit {
      case 0x22: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case 0x5C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0x20..<0x7F: out.append(UInt8(unit))
      default:
        out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
        for shift in [12, 8, 4, 0] { out.append(hexDigits[Int(unit >> UInt16(shift)) & 0xF]) }
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// The member value for `key`, if this is an object holding it.
  subscript(key: String) -> JSONText? {
    guard case .object(let members) = self else { return nil }
    return members.last { $0.key == key }?.value
  }

  /// A copy of this object with `key` set to `value` (replacing in place, else appended),
  /// or removed when `value` is `nil`.
  func setting(_ key: String, to value: JSONText?) -> JSONText {
    guard case .object(var members) = self else { return self }
    if let index = members.firstIndex(where: { $0.key == key }) {
      if let value { members[index].value = value } else { members.remove(at: index) }
    } else if let value {
      members.append((key, value))
    }
    return .object(members)
  }
}
