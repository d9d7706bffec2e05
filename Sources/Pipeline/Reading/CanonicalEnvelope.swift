/// The identity of an envelope as PostgreSQL `jsonb` compares it: a string payload decoded,
/// `event_id` lower-cased, key order ignored, the last of duplicate keys kept, numbers by
/// exact value. Two lines are identical deliveries exactly when these bytes are equal.
///
/// Only computed for `event_id` groups with more than one line, so the common case pays
/// nothing.
enum CanonicalEnvelope {
  static func identity(of line: [UInt8]) -> [UInt8] {
    line.withUnsafeBufferPointer { buffer in
      var out: [UInt8] = []
      out.reserveCapacity(buffer.count)
      var members = canonicalMembers(buffer, object: 0..<buffer.count)
      for index in members.indices {
        switch members[index].key {
        case Array("payload".utf8) where members[index].kind == .string:
          let inner = members[index].stringBytes(buffer)
          members[index].rendered = inner.withUnsafeBufferPointer { innerBuffer in
            var value: [UInt8] = []
            write(innerBuffer, 0..<innerBuffer.count, kind: .object, into: &value)
            return value
          }
        case Array("event_id".utf8) where members[index].kind == .string:
          let lowered = members[index].stringBytes(buffer).map {
            $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0
          }
          members[index].rendered = stringToken(lowered)
        default:
          break
        }
      }
      writeObject(buffer, members, into: &out)
      return out
    }
  }

  private struct CanonicalMember {
    var key: [UInt8]
    var range: Range<Int>
    var kind: JSONScanner.Kind
    var rendered: [UInt8]?

    func stringBytes(_ buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
      JSONStrings.decode(buffer, token: range)
    }
  }

  /// Members sorted by key, keeping the last of duplicate keys.
  private static func canonicalMembers(
    _ buffer: UnsafeBufferPointer<UInt8>, object range: Range<Int>
  )
    -> [CanonicalMember]
  {
    var byKey: [[UInt8]: CanonicalMember] = [:]
    for member in JSONScanner.members(buffer, object: range) {
      let key = JSONStrings.decode(buffer, member.key, escaped: member.keyHasEscapes)
      byKey[key] = CanonicalMember(key: key, range: member.value, kind: member.kind)
    }
    return byKey.values.sorted { $0.key.lexicographicallyPrecedes($1.key) }
  }

  private static func writeObject(
    _ buffer: UnsafeBufferPointer<UInt8>, _ members: [CanonicalMember], into out: inout [UInt8]
  ) {
    out.append(UInt8(ascii: "{"))
    for member in members {
      out += stringToken(member.key)
      if let rendered = member.rendered {
        out += rendered
      } else {
        write(buffer, member.range, kind: member.kind, into: &out)
      }
    }
    out.append(UInt8(ascii: "}"))
  }

  private static func write(
    _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, kind: JSONScanner.Kind,
    into out: inout [UInt8]
  ) {
    switch kind {
    case .object:
      writeObject(buffer, canonicalMembers(buffer, object: range), into: &out)
    case .array:
      out.append(UInt8(ascii: "["))
      for element in JSONScanner.elements(buffer, array: range) {
        write(buffer, element.range, kind: element.kind, into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .string:
      out += stringToken(JSONStrings.decode(buffer, token: range))
    case .number:
      out += numberToken(Array(buffer[range]))
    case .true: out.append(UInt8(ascii: "t"))
    case .false: out.append(UInt8(ascii: "f"))
    case .null: out.append(UInt8(ascii: "n"))
    }
  }

  /// Length-prefixed so that no string content can imitate structure.
  private static func stringToken(_ bytes: [UInt8]) -> [UInt8] {
    Array("s\(bytes.count):".utf8) + bytes
  }

  /// The exact value of a JSON number: sign, significant digits, power of ten.
  static func numberToken(_ literal: [UInt8]) -> [UInt8] {
    var index = 0
    let negative = literal.first == UInt8(ascii: "-")
    if negative { index = 1 }
    var digits: [UInt8] = []
    var pointShift = 0
    while index < literal.count, isDigit(literal[index]) {
      digits.append(literal[index])
      index += 1
    }
    if index < literal.count, literal[index] == UInt8(ascii: ".") {
      index += 1
      while index < literal.count, isDigit(literal[index]) {
        digits.append(literal[index])
        pointShift -= 1
        index += 1
      }
    }
    var exponent = 0
    if index < literal.count {
      index += 1
      var negativeExponent = false
      if literal[index] == UInt8(ascii: "+") || literal[index] == UInt8(ascii: "-") {
        negativeExponent = literal[index] == UInt8(ascii: "-")
        index += 1
      }
      while index < literal.count {
        exponent = min(exponent * 10 + Int(literal[index] - UInt8(ascii: "0")), 1_000_000_000)
        index += 1
      }
      if negativeExponent { exponent = -exponent }
    }
    // Strip leading and trailing zeros; the value is digits × 10^(pointShift + exponent).
    var significant = digits.drop { $0 == UInt8(ascii: "0") }
    guard !significant.isEmpty else { return Array("n0".utf8) }
    var power = pointShift + exponent
    while significant.last == UInt8(ascii: "0") {
      significant = significant.dropLast()
      power += 1
    }
    return Array("n\(negative ? "-" : "")".utf8) + significant + Array("e\(power)".utf8)
  }
}
