import ExportFormat

/// A JSON document as the generator writes it: keys keep their order and numbers keep
/// the literal text they are written with, so output bytes are fully under our control.
///
/// The values every line carries (integers, its `event_id`, its timestamp, a price) are kept
/// as what they are and written straight to bytes: no text is built for them on the way.
enum JSONText: Sendable, Hashable {
  case object([(key: String, value: JSONText)])
  case array([JSONText])
  case string(String)
  /// A number literal exactly as written (`109.95`, `12`, `1e131072`).
  case number(String)
  /// An integer, written in decimal.
  case int(Int64)
  /// An amount written as Python's `repr(float)` writes a 2-decimal price (`12.0`, `12.34`).
  case pythonFloat(Cents)
  /// A UUID string: its lower-case `8-4-4-4-12` text.
  case uuid(EventID)
  /// A timestamp string: the instant as the style writes it (one of the string styles).
  case timestamp(Instant, TimestampStyle)
  case bool(Bool)
  case null
  /// Text inserted verbatim; used to write deliberately broken JSON.
  case verbatim(String)

  static func == (lhs: JSONText, rhs: JSONText) -> Bool { lhs.bytes() == rhs.bytes() }
  func hash(into hasher: inout Hasher) { hasher.combine(bytes()) }

  static func integer<T: BinaryInteger>(_ value: T) -> JSONText {
    Int64(exactly: value).map { .int($0) } ?? .number(String(value))
  }

  /// The text of a string value (`nil` for any other value).
  var stringValue: String? {
    switch self {
    case .string(let text): text
    case .uuid(let id): id.description
    case .timestamp: String(decoding: bytes().dropFirst().dropLast(), as: UTF8.self)
    default: nil
    }
  }

  /// Serialized with Python's `json.dumps` separators (`", "` and `": "`), as the original
  /// producer wrote its events.
  func bytes() -> [UInt8] {
    var out = ByteWriter()
    write(into: &out)
    return out.bytes()
  }

  func text() -> String { String(decoding: bytes(), as: UTF8.self) }

  func write(into out: inout ByteWriter) {
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
    case .number(let literal), .verbatim(let literal): out.append(utf8: literal)
    case .int(let value): JSONText.writeInteger(value, into: &out)
    case .pythonFloat(let cents): JSONText.writePythonFloat(cents, into: &out)
    case .uuid(let id):
      out.append(UInt8(ascii: "\""))
      JSONText.writeUUID(id, into: &out)
      out.append(UInt8(ascii: "\""))
    case .timestamp(let instant, let style):
      out.append(UInt8(ascii: "\""))
      style.write(instant, into: &out)
      out.append(UInt8(ascii: "\""))
    case .bool(let flag): out.append(flag ? "true" : "false")
    case .null: out.append("null")
    }
  }

  /// Writes `value` in decimal, `-` first when negative (`Int64.min` included).
  static func writeInteger(_ value: Int64, into out: inout ByteWriter) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    writeDecimal(value.magnitude, into: &out)
  }

  private static func writeDecimal<T: FixedWidthInteger & UnsignedInteger>(
    _ value: T, into out: inout ByteWriter
  ) {
    if T.bitWidth > 64, let small = UInt64(exactly: value) {
      return writeDecimal(small, into: &out)
    }
    // at most 39 digits (128 bits), written backwards into a stack buffer
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
      var rest = value
      var start = 40
      repeat {
        start -= 1
        digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
        rest /= 10
      } while rest != 0
      out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
    }
  }

  /// `12.0`, `12.5`, `12.34`, `-0.05`: Python's `repr(float)` of a 2-decimal amount.
  static func writePythonFloat(_ cents: Cents, into out: inout ByteWriter) {
    let magnitude = cents.value.magnitude
    if cents.value < 0 { out.append(UInt8(ascii: "-")) }
    writeDecimal(magnitude / 100, into: &out)
    out.append(UInt8(ascii: "."))
    let fraction = magnitude % 100
    if fraction % 10 == 0 {
      out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction / 10))
    } else {
      out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction / 10))
      out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction % 10))
    }
  }

  /// The 36 characters of the UUID's lower-case text.
  static func writeUUID(_ id: EventID, into out: inout ByteWriter) {
    out.append(atMost: 36) { writeUUIDText(high: id.high, low: id.low, into: $0) }
  }

  /// `", "` or `": "`, Python's separators.
  @inline(__always) private func appendSeparator(_ mark: UInt8, into out: inout ByteWriter) {
    out.append(mark)
    out.append(UInt8(ascii: " "))
  }

  /// Writes a JSON string literal; control characters and non-ASCII are `\u` escaped,
  /// like Python's `ensure_ascii`.
  static func writeString(_ text: String, into out: inout ByteWriter) {
    var text = text
    text.withUTF8 { writeString(utf8: $0, into: &out) }
  }

  /// Writes the string whose UTF-8 (valid) is `bytes` as a JSON string literal.
  static func writeString(utf8 bytes: UnsafeBufferPointer<UInt8>, into out: inout ByteWriter) {
    out.append(UInt8(ascii: "\""))
    var plainFrom = 0
    var index = 0
    while index < bytes.count {
      index = plainStringBytesEnd(
        in: bytes, from: index, to: bytes.count, stoppingAtDelete: true)
      guard index < bytes.count else { break }
      let byte = bytes[index]
      // printable ASCII but the quote and the backslash is its own text
      if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C {
        index += 1
        continue
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainFrom..<index]))
      switch byte {
      case 0x22: out.append(UInt8(ascii: "\\"), UInt8(ascii: "\""))
      case 0x5C: out.append(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
      case 0x0A: out.append(UInt8(ascii: "\\"), UInt8(ascii: "n"))
      case 0x0D: out.append(UInt8(ascii: "\\"), UInt8(ascii: "r"))
      case 0x09: out.append(UInt8(ascii: "\\"), UInt8(ascii: "t"))
      case ..<0x80:
        writeUnicodeEscape(UInt16(byte), into: &out)
      default:
        // a multi-byte scalar: its UTF-16 code units, each escaped
        let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
        var scalar = UInt32(byte) & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F)
        for offset in 1..<length where index + offset < bytes.count {
          scalar = scalar << 6 | UInt32(bytes[index + offset] & 0x3F)
        }
        if scalar > 0xFFFF {
          let rest = scalar - 0x10000
          writeUnicodeEscape(UInt16(truncatingIfNeeded: 0xD800 + (rest >> 10)), into: &out)
          writeUnicodeEscape(UInt16(truncatingIfNeeded: 0xDC00 + (rest & 0x3FF)), into: &out)
        } else {
          writeUnicodeEscape(UInt16(truncatingIfNeeded: scalar), into: &out)
        }
        index += length - 1
      }
      index += 1
      plainFrom = index
    }
    out.append(
      contentsOf: UnsafeBufferPointer(rebasing: bytes[plainFrom..<min(index, bytes.count)]))
    out.append(UInt8(ascii: "\""))
  }

  /// `\u` and four lower-case hex digits.
  private static func writeUnicodeEscape(_ unit: UInt16, into out: inout ByteWriter) {
    out.append(UInt8(ascii: "\\"))
    out.append(UInt8(ascii: "u"))
    for shift: UInt16 in [12, 8, 4, 0] { out.append(hexDigit(unit >> shift & 0xF)) }
  }

  @inline(__always) private static func hexDigit(_ nibble: UInt16) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") &+ UInt8(nibble) : UInt8(ascii: "a") &+ UInt8(nibble - 10)
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
