import ExportFormat

/// A strict, allocation-light JSON validator and member locator for one delivered line.
///
/// It accepts exactly what PostgreSQL `jsonb` stores (RFC 8259 syntax, UTF-8 text, no
/// `\u0000`, no unpaired surrogate) within the contract's limits: numbers below 10^131072
/// with at most 16383 digits after the point, nesting at most 512 deep. Values are not
/// built: members are reported as byte ranges, so number literals stay exactly as written.
package struct JSONScanner {
  package enum Kind: UInt8 {
    case object, array, string, number, `true`, `false`, null
  }

  /// One `"key": value` of an object; ranges index the scanned buffer.
  package struct Member {
    /// The key's bytes between the quotes (still escaped when `keyHasEscapes`).
    package var key: Range<Int>
    package var keyHasEscapes: Bool
    package var value: Range<Int>
    package var kind: Kind
  }

  struct Failure: Error {}

  static let maxDepth = 512
  static let maxScale = 16_383
  static let maxLeadingExponent = 131_071
  static let exponentLimit: UInt = 1_073_741_823

  private let bytes: UnsafeBufferPointer<UInt8>
  private var position: Int
  private let end: Int

  private init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
    self.bytes = bytes
    position = range.lowerBound
    end = range.upperBound
  }

  /// Validates `bytes[range]` as one JSON object and reports each of its members in
  /// order. Returns `false` (after reporting some members, perhaps) when the range is not
  /// an object PostgreSQL `jsonb` would store.
  package static func scanObject(
    _ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, onMember: (Member) -> Void
  ) -> Bool {
    var scanner = JSONScanner(bytes, range: range)
    do {
      scanner.skipWhitespace()
      try scanner.expect(UInt8(ascii: "{"))
      try scanner.objectBody(depth: 1, onMember: onMember)
      scanner.skipWhitespace()
      return scanner.position == scanner.end
    } catch {
      return false
    }
  }

  /// The members of the object at `range` (which must already have been validated).
  static func members(_ bytes: UnsafeBufferPointer<UInt8>, object range: Range<Int>) -> [Member] {
    var members: [Member] = []
    _ = scanObject(bytes, range: range) { members.append($0) }
    return members
  }

  /// The elements of the array at `range` (already validated), as ranges and kinds.
  static func elements(_ bytes: UnsafeBufferPointer<UInt8>, array range: Range<Int>)
    -> [(range: Range<Int>, kind: Kind)]
  {
    var scanner = JSONScanner(bytes, range: range)
    var elements: [(range: Range<Int>, kind: Kind)] = []
    scanner.skipWhitespace()
    guard (try? scanner.expect(UInt8(ascii: "["))) != nil else { return elements }
    _ = try? scanner.arrayBody(depth: 1) { elements.append(($0, $1)) }
    return elements
  }

  // MARK: - Grammar

  @inline(__always) private func peek() -> UInt8? { position < end ? bytes[position] : nil }

  @inline(__always) private mutating func expect(_ byte: UInt8) throws {
    guard position < end, bytes[position] == byte else { throw Failure() }
    position += 1
  }

  @inline(__always) private mutating func skipWhitespace() {
    while position < end {
      switch bytes[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  private mutating func value(depth: Int) throws -> Kind {
    guard let byte = peek() else { throw Failure() }
    switch byte {
    case UInt8(ascii: "{"):
      guard depth <= Self.maxDepth else { throw Failure() }
      position += 1
      try objectBody(depth: depth) { _ in }
      return .object
    case UInt8(ascii: "["):
      guard depth <= Self.maxDepth else { throw Failure() }
      position += 1
      try arrayBody(depth: depth) { _, _ in }
      return .array
    case UInt8(ascii: "\""):
      _ = try string()
      return .string
    case UInt8(ascii: "t"):
      try literal("true")
      return .true
    case UInt8(ascii: "f"):
      try literal("false")
      return .false
    case UInt8(ascii: "n"):
      try literal("null")
      return .null
    default:
      try number()
      return .number
    }
  }

  /// The members of an object at `depth`, after its `{`, through its `}`.
  private mutating func objectBody(depth: Int, onMember: (Member) -> Void) throws {
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      position += 1
      return
    }
    while true {
      skipWhitespace()
      guard peek() == UInt8(ascii: "\"") else { throw Failure() }
      let keyStart = position + 1
      let escaped = try string()
      let key = keyStart..<(position - 1)
      skipWhitespace()
      try expect(UInt8(ascii: ":"))
      skipWhitespace()
      let valueStart = position
      let kind = try value(depth: depth + 1)
      onMember(Member(key: key, keyHasEscapes: escaped, value: valueStart..<position, kind: kind))
      skipWhitespace()
      guard let next = peek() else { throw Failure() }
      position += 1
      if next == UInt8(ascii: ",") { continue }
      if next == UInt8(ascii: "}") { return }
      throw Failure()
    }
  }

  /// The elements of an array at `depth`, after its `[`, through its `]`.
  private mutating func arrayBody(depth: Int, onElement: (Range<Int>, Kind) -> Void) throws {
    skipWhitespace()
    if peek() == UInt8(ascii: "]") {
      position += 1
      return
    }
    while true {
      skipWhitespace()
      let start = position
      let kind = try value(depth: depth + 1)
      onElement(start..<position, kind)
      skipWhitespace()
      guard let next = peek() else { throw Failure() }
      position += 1
      if next == UInt8(ascii: ",") { continue }
      if next == UInt8(ascii: "]") { return }
      throw Failure()
    }
  }

  private mutating func literal(_ word: StaticString) throws {
    let count = word.utf8CodeUnitCount
    guard end - position >= count else { throw Failure() }
    let pointer = word.utf8Start
    for offset in 0..<count where bytes[position + offset] != pointer[offset] { throw Failure() }
    position += count
  }

  /// Scans a string starting at its opening quote; returns whether it holds escapes.
  private mutating func string() throws -> Bool {
    try expect(UInt8(ascii: "\""))
    var escaped = false
    while position < end {
      skipPlainBytes()
      guard position < end else { break }
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        position += 1
        return escaped
      }
      if byte == UInt8(ascii: "\\") {
        escaped = true
        try escape()
      } else if byte < 0x20 {
        throw Failure()  // raw control characters (NUL among them) must be escaped
      } else if byte < 0x80 {
        position += 1
      } else {
        try utf8Sequence()
      }
    }
    throw Failure()
  }

  /// Skips, eight bytes at a time, printable ASCII that is neither a quote nor a backslash:
  /// most of a line, and nothing the byte-by-byte checks of `string()` would refuse. Stops at
  /// the first other byte, or fewer than eight bytes before the end.
  @inline(__always) private mutating func skipPlainBytes() {
    position = plainStringBytesEnd(in: bytes, from: position, to: end, stoppingAtDelete: false)
  }

  private mutating func escape() throws {
    position += 1
    guard let byte = peek() else { throw Failure() }
    position += 1
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
      UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
      return
    case UInt8(ascii: "u"):
      let unit = try hex4()
      if unit == 0 { throw Failure() }  // jsonb cannot store \u0000
      if (0xDC00...0xDFFF).contains(unit) { throw Failure() }  // lone low surrogate
      if (0xD800...0xDBFF).contains(unit) {
        guard end - position >= 6, bytes[position] == UInt8(ascii: "\\"),
          bytes[position + 1] == UInt8(ascii: "u")
        else { throw Failure() }
        position += 2
        let low = try hex4()
        guard (0xDC00...0xDFFF).contains(low) else { throw Failure() }
      }
    default:
      throw Failure()
    }
  }

  private mutating func hex4() throws -> UInt32 {
    guard end - position >= 4 else { throw Failure() }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[position]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
      default: throw Failure()
      }
      value = value << 4 | digit
      position += 1
    }
    return value
  }

  /// One multi-byte UTF-8 sequence (RFC 3629: no overlongs, surrogates or > U+10FFFF).
  private mutating func utf8Sequence() throws {
    let lead = bytes[position]
    let length: Int
    var low: UInt8 = 0x80
    var high: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0:
      length = 3
      low = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED:
      length = 3
      high = 0x9F
    case 0xF0:
      length = 4
      low = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4:
      length = 4
      high = 0x8F
    default: throw Failure()
    }
    guard end - position >= length else { throw Failure() }
    let second = bytes[position + 1]
    guard second >= low, second <= high else { throw Failure() }
    for offset in 2..<length where bytes[position + offset] & 0xC0 != 0x80 { throw Failure() }
    position += length
  }

  /// A number per the JSON grammar that PostgreSQL `numeric` can hold.
  private mutating func number() throws {
    if peek() == UInt8(ascii: "-") { position += 1 }
    guard let first = peek(), isDigit(first) else { throw Failure() }
    var integerDigits = 0
    var firstSignificant: Int?  // digit index (integer digits then fraction digits)
    if first == UInt8(ascii: "0") {
      position += 1
      integerDigits = 1
    } else {
      while let byte = peek(), isDigit(byte) {
        if firstSignificant == nil { firstSignificant = integerDigits }
        integerDigits += 1
        position += 1
      }
    }
    var fractionDigits = 0
    if peek() == UInt8(ascii: ".") {
      position += 1
      while let byte = peek(), isDigit(byte) {
        if firstSignificant == nil, byte != UInt8(ascii: "0") {
          firstSignificant = integerDigits + fractionDigits
        }
        fractionDigits += 1
        position += 1
      }
      guard fractionDigits > 0 else { throw Failure() }
    }
    var exponent = 0
    if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
      position += 1
      var negative = false
      if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
        negative = sign == UInt8(ascii: "-")
        position += 1
      }
      guard let digit = peek(), isDigit(digit) else { throw Failure() }
      while let byte = peek(), isDigit(byte) {
        // Saturates far above the limit below, so any longer exponent is still refused.
        exponent = min(exponent * 10 + Int(byte - UInt8(ascii: "0")), 1_000_000_000_000)
        position += 1
      }
      if negative { exponent = -exponent }
      // numeric_in refuses a written exponent of INT_MAX / 2 or more in magnitude, even on 0.
      guard exponent.magnitude < Self.exponentLimit else { throw Failure() }
    }
    // Digits after the point, as numeric's display scale counts them.
    guard fractionDigits - exponent <= Self.maxScale else { throw Failure() }
    if let significant = firstSignificant {
      // Power of ten of the leading significant digit.
      let leading = integerDigits - 1 - significant + exponent
      guard leading <= Self.maxLeadingExponent else { throw Failure() }
    }
  }
}

@inline(__always) func isDigit(_ byte: UInt8) -> Bool {
  byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
}
