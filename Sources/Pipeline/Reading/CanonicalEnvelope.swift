/// The identity of an envelope as PostgreSQL `jsonb` compares it: a string payload decoded,
/// `event_id` lower-cased, key order ignored, the last of duplicate keys kept, numbers by
/// exact value. Two lines are identical deliveries exactly when these bytes are equal.
///
/// Only computed for `event_id` groups with more than one line, so the common case pays
/// nothing. Written in one pass into one buffer: members sorted by key in place of a
/// dictionary, tokens appended where they are made.
enum CanonicalEnvelope {
  static func identity(of line: [UInt8]) -> [UInt8] {
    line.withUnsafeBufferPointer { buffer in
      var out: [UInt8] = []
      out.reserveCapacity(buffer.count + 64)
      writeObject(buffer, 0..<buffer.count, envelope: true, into: &out)
      return out
    }
  }

  /// An object's member: its key (decoded only when it holds escapes) and value.
  private struct Entry {
    var key: Range<Int>
    var decodedKey: [UInt8]?
    var value: Range<Int>
    var kind: JSONScanner.Kind
    var position: Int

    func withKey<T>(_ buffer: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> T)
      -> T
    {
      if let decodedKey { return decodedKey.withUnsafeBufferPointer(body) }
      return body(UnsafeBufferPointer(rebasing: buffer[key]))
    }
  }

  /// Members sorted by key bytes, keeping the last of duplicate keys: `jsonb`'s object.
  private static func canonicalEntries(
    _ buffer: UnsafeBufferPointer<UInt8>, object range: Range<Int>
  ) -> [Entry] {
    var entries = JSONScanner.members(buffer, object: range).enumerated().map { position, member in
      Entry(
        key: member.key,
        decodedKey: member.keyHasEscapes
          ? JSONStrings.decode(buffer, member.key, escaped: true) : nil,
        value: member.value, kind: member.kind, position: position)
    }
    entries.sort { a, b in
      let order = a.withKey(buffer) { left in b.withKey(buffer) { right in compare(left, right) } }
      return order != 0 ? order < 0 : a.position < b.position
    }
    var kept: [Entry] = []
    kept.reserveCapacity(entries.count)
    for entry in entries {
      if let last = kept.last,
        last.withKey(buffer, { left in entry.withKey(buffer) { compare(left, $0) } }) == 0
      {
        kept[kept.count - 1] = entry
      } else {
        kept.append(entry)
      }
    }
    return kept
  }

  /// Byte order of two keys (negative, zero or positive), as `jsonb` tells keys apart.
  private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>)
    -> Int
  {
    for index in 0..<min(a.count, b.count) where a[index] != b[index] {
      return Int(a[index]) - Int(b[index])
    }
    return a.count - b.count
  }

  private static func writeObject(
    _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, envelope: Bool,
    into out: inout [UInt8]
  ) {
    out.append(UInt8(ascii: "{"))
    for entry in canonicalEntries(buffer, object: range) {
      entry.withKey(buffer) { writeStringToken($0, into: &out) }
      let special: Special? =
        envelope && entry.kind == .string
        ? entry.withKey(buffer) { key in
          equals(key, "payload") ? .payload : equals(key, "event_id") ? .eventID : nil
        } : nil
      switch special {
      case .payload?:
        // A double-encoded payload compares as the object it holds.
        let inner = JSONStrings.decode(buffer, token: entry.value)
        inner.withUnsafeBufferPointer {
          writeObject($0, 0..<$0.count, envelope: false, into: &out)
        }
      case .eventID?:
        let lowered = JSONStrings.decode(buffer, token: entry.value).map {
          $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0
        }
        lowered.withUnsafeBufferPointer { writeStringToken($0, into: &out) }
      case nil:
        write(buffer, entry.value, kind: entry.kind, into: &out)
      }
    }
    out.append(UInt8(ascii: "}"))
  }

  private enum Special { case payload, eventID }

  private static func write(
    _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, kind: JSONScanner.Kind,
    into out: inout [UInt8]
  ) {
    switch kind {
    case .object:
      writeObject(buffer, range, envelope: false, into: &out)
    case .array:
      out.append(UInt8(ascii: "["))
      for element in JSONScanner.elements(buffer, array: range) {
        write(buffer, element.range, kind: element.kind, into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .string:
      let contents = (range.lowerBound + 1)..<(range.upperBound - 1)
      if buffer[contents].contains(UInt8(ascii: "\\")) {
        JSONStrings.decode(buffer, contents, escaped: true).withUnsafeBufferPointer {
          writeStringToken($0, into: &out)
        }
      } else {
        writeStringToken(UnsafeBufferPointer(rebasing: buffer[contents]), into: &out)
      }
    case .number:
      writeNumberToken(UnsafeBufferPointer(rebasing: buffer[range]), into: &out)
    case .true: out.append(UInt8(ascii: "t"))
    case .false: out.append(UInt8(ascii: "f"))
    case .null: out.append(UInt8(ascii: "n"))
    }
  }

  /// `s<count>:<bytes>`: length-prefixed so that no string content can imitate structure.
  private static func writeStringToken(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8])
  {
    out.append(UInt8(ascii: "s"))
    writeDecimal(bytes.count, into: &out)
    out.append(UInt8(ascii: ":"))
    out.append(contentsOf: bytes)
  }

  /// The exact value of a JSON number: `n`, sign, significant digits, `e`, power of ten
  /// (`n0` for any zero).
  private static func writeNumberToken(
    _ literal: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]
  ) {
    var index = 0
    let negative = literal.first == UInt8(ascii: "-")
    if negative { index = 1 }
    let integer = index..<scanDigits(literal, from: index)
    index = integer.upperBound
    var fraction = index..<index
    if index < literal.count, literal[index] == UInt8(ascii: ".") {
      fraction = (index + 1)..<scanDigits(literal, from: index + 1)
      index = fraction.upperBound
    }
    var exponent = 0
    if index < literal.count {
      index += 1  // past `e` or `E`
      var negativeExponent = false
      if literal[index] == UInt8(ascii: "+") || literal[index] == UInt8(ascii: "-") {
        negativeExponent = literal[index] == UInt8(ascii: "-")
        index += 1
      }
      while index < literal.count {
        exponent = min(exponent * 10 + Int(literal[index] &- UInt8(ascii: "0")), 1_000_000_000)
        index += 1
      }
      if negativeExponent { exponent = -exponent }
    }
    // The digits are integer then fraction; the value is digits × 10^(exponent - fraction
    // count). Leading and trailing zeros go, the power absorbing the trailing ones.
    let count = integer.count + fraction.count
    func digit(_ at: Int) -> UInt8 {
      at < integer.count
        ? literal[integer.lowerBound + at] : literal[fraction.lowerBound + at - integer.count]
    }
    var first = 0
    while first < count, digit(first) == UInt8(ascii: "0") { first += 1 }
    guard first < count else {
      out.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "0")])
      return
    }
    var last = count - 1
    while digit(last) == UInt8(ascii: "0") { last -= 1 }
    out.append(UInt8(ascii: "n"))
    if negative { out.append(UInt8(ascii: "-")) }
    for at in first...last { out.append(digit(at)) }
    out.append(UInt8(ascii: "e"))
    writeDecimal(exponent - fraction.count + (count - 1 - last), into: &out)
  }

  private static func scanDigits(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
    var index = start
    while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    return index
  }

  private static func writeDecimal(_ value: Int, into out: inout [UInt8]) {
    out.append(contentsOf: String(value).utf8)
  }
}
