import ChaosOracle

/// Turns valid lines into hostile ones at byte and token level: extreme literals spliced
/// into fields, flipped bytes, duplicated keys, deep nesting, re-encoded strings, swapped
/// Unicode forms, truncation. Deterministic: the same seed gives the same mutations.
package struct LineMutator: Sendable {
  private var random: RandomStream

  package init(seed: UInt64) { random = RandomStream(seed: seed, component: "fuzz.mutator") }

  /// The kinds of mutation, each applied at the token or byte level.
  package enum Kind: String, CaseIterable, Sendable {
    case extremeLiteral, flipByte, duplicateKey, nest, reencodeString, unicodeForm,
      truncate, numberForm, hostileString
  }

  /// `line` mutated once or a few times (never containing `\n`, which would split it).
  package mutating func mutate(_ line: [UInt8]) -> [UInt8] {
    var bytes = line
    for _ in 0..<(random.chance(0.25) ? 2 : 1) {
      let kind = random.pick(Kind.allCases)
      bytes = apply(kind, to: bytes)
    }
    return bytes.map { $0 == 0x0A ? 0x20 : $0 }
  }

  /// Applies one mutation of `kind`; returns the line unchanged when it has nowhere to act.
  package mutating func apply(_ kind: Kind, to bytes: [UInt8]) -> [UInt8] {
    let tokens = Self.tokens(in: bytes)
    let values = tokens.filter { !$0.isKey }
    switch kind {
    case .extremeLiteral:
      guard let token = pickField(values, in: bytes) else { return bytes }
      let literal = random.chance(0.5) ? random.pick(Self.numbers) : random.pick(Self.strings)
      return replace(token.range, in: bytes, with: Array(literal.utf8))
    case .flipByte:
      guard !bytes.isEmpty else { return [random.pick(Self.hostileBytes)] }
      var copy = bytes
      copy[random.int(in: 0...(bytes.count - 1))] = random.pick(Self.hostileBytes)
      return copy
    case .duplicateKey:
      guard let key = random.pickOptional(tokens.filter(\.isKey)),
        let value = values.first(where: { $0.range.lowerBound > key.range.upperBound })
      else { return bytes }
      let literal = random.chance(0.5) ? random.pick(Self.numbers) : random.pick(Self.strings)
      let insertion = Array(", ".utf8) + bytes[key.range] + Array(": \(literal)".utf8)
      var copy = bytes
      copy.insert(contentsOf: insertion, at: value.range.upperBound)
      return copy
    case .nest:
      guard let token = random.pickOptional(values) else { return bytes }
      let depth = random.pick([1, 2, 509, 510, 511, 512, 600])
      let open = Array(repeating: UInt8(ascii: "["), count: depth)
      let close = Array(repeating: UInt8(ascii: "]"), count: depth)
      return replace(token.range, in: bytes, with: open + bytes[token.range] + close)
    case .reencodeString:
      guard let token = random.pickOptional(tokens.filter(\.isString)) else { return bytes }
      let contents = String(
        decoding: bytes[(token.range.lowerBound + 1)..<(token.range.upperBound - 1)], as: UTF8.self)
      guard !contents.contains("\\") else { return bytes }
      var escaped = "\""
      for unit in contents.utf16 {
        escaped +=
          random.chance(0.5) && unit >= 0x20
          ? String(decoding: [unit], as: UTF16.self)
          : "\\u" + String(repeating: "0", count: 4 - String(unit, radix: 16).count)
            + String(unit, radix: 16, uppercase: random.chance(0.5))
      }
      return replace(token.range, in: bytes, with: Array((escaped + "\"").utf8))
    case .unicodeForm:
      guard let token = pickField(values.filter(\.isString), in: bytes) else { return bytes }
      let form = random.pick(Self.unicodeForms)
      var copy = bytes
      copy.insert(contentsOf: Array(form.utf8), at: token.range.upperBound - 1)
      return copy
    case .truncate:
      guard bytes.count > 1 else { return [] }
      return Array(bytes.prefix(random.int(in: 0...(bytes.count - 1))))
    case .numberForm:
      guard let token = random.pickOptional(values.filter { !$0.isString }) else { return bytes }
      let text = String(decoding: bytes[token.range], as: UTF8.self)
      let forms = [
        text + ".0", text + ".000", text + "e0", text + "E+0", "-" + text, "0" + text, text + "0",
        "\"" + text + "\"", text + ".5", text + ".005", text + "e2",
      ]
      return replace(token.range, in: bytes, with: Array(random.pick(forms).utf8))
    case .hostileString:
      guard let token = pickField(values.filter(\.isString), in: bytes) else { return bytes }
      var copy = bytes
      copy.insert(
        contentsOf: Array(random.pick(Self.stringInsertions).utf8), at: token.range.upperBound - 1)
      return copy
    }
  }

  // MARK: - Tokens

  /// A string or number token of a line, by byte range (quotes included for strings).
  struct Token {
    var range: Range<Int>
    var isString: Bool
    /// A string followed by `:`, i.e. an object key.
    var isKey: Bool
  }

  /// The string and number tokens of `bytes`, found leniently (the line need not be JSON).
  static func tokens(in bytes: [UInt8]) -> [Token] {
    var tokens: [Token] = []
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        var end = index + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
          end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard end < bytes.count else { break }
        var next = end + 1
        while next < bytes.count, bytes[next] == 0x20 { next += 1 }
        let isKey = next < bytes.count && bytes[next] == UInt8(ascii: ":")
        tokens.append(Token(range: index..<(end + 1), isString: true, isKey: isKey))
        index = end + 1
      } else if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      {
        var end = index + 1
        while end < bytes.count, Self.numberBytes.contains(bytes[end]) { end += 1 }
        tokens.append(Token(range: index..<end, isString: false, isKey: false))
        index = end
      } else {
        index += 1
      }
    }
    return tokens
  }

  /// A value token, preferring those of the fields the rules read.
  private mutating func pickField(_ values: [Token], in bytes: [UInt8]) -> Token? {
    let fields = values.filter { token in
      Self.ruleFields.contains { field in
        let key = Array("\"\(field)\"".utf8)
        let start = max(0, token.range.lowerBound - key.count - 3)
        return bytes[start..<token.range.lowerBound].firstRange(of: key) != nil
      }
    }
    return random.chance(0.8) && !fields.isEmpty ? random.pick(fields) : random.pickOptional(values)
  }

  private func replace(_ range: Range<Int>, in bytes: [UInt8], with new: [UInt8]) -> [UInt8] {
    var copy = bytes
    copy.replaceSubrange(range, with: new)
    return copy
  }

  private static let numberBytes = Set("0123456789+-.eE".utf8)

  static let ruleFields = [
    "event_id", "event_type", "event_timestamp", "id", "product_id", "price", "new_price",
    "price_cents", "new_price_cents", "currency", "category", "order_id", "quantity",
    "schema_version",
  ]

  /// Literals at and just past the limits of every type the rules read.
  static let numbers: [String] = [
    "0", "-0", "0.0", "1", "-1", "2147483647", "2147483648", "-2147483648", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "18446744073709551616",
    "9999999999.99", "9999999999.999", "10000000000", "-9999999999.99", "999999999999",
    "1000000000000", "12.345", "12.500", "12.5000000000000000000000",
    "0e999999999", "0e1073741822", "0e1073741823", "1e1073741823", "1e-16383", "1e-16384",
    "0e-16383", "0e-16384", "1.5e-16382", "9e131071", "1e131072", "-9e131071", "1E+2", "7.0",
    "-62135596800000", "-62135596800001", "253402300799999", "253402300800000",
    "0." + String(repeating: "0", count: 16383), "0." + String(repeating: "0", count: 16384),
    String(repeating: "9", count: 400), "1" + String(repeating: "0", count: 131071),
  ]

  static let strings: [String] = [
    "\"\"", "\" \"", "\"USD\"", "\"usd\"", "\"EUR\"", "\"12,50\"", "\"$5\"", "\"1e3\"",
    "\"9999999999.99\"", "\"10000000000.00\"", "\"-0\"", "\"-0.00\"", "\"0.5\"", "\".5\"",
    "\"5.\"", "\"+5\"", "\"012\"", "\"12.500\"", "\"12.345\"",
    "\"" + String(repeating: "9", count: 10000) + "\"",
    "\"0." + String(repeating: "0", count: 20000) + "\"",
    "\"0001-01-01T00:00:00Z\"", "\"0001-01-01T00:00:00+00:01\"", "\"0001-01-01T00:59:59+01:00\"",
    "\"9999-12-31T23:59:59.999999Z\"", "\"9999-12-31T23:59:59-00:01\"",
    "\"9999-12-31T23:00:00-00:59\"", "\"2024-02-29 12:00:00\"", "\"2023-02-29T00:00:00Z\"",
    "\"2026-04-31T00:00:00Z\"", "\"2026-01-01T24:00:00Z\"", "\"2026-01-01T23:59:60Z\"",
    "\"2026-01-01T00:00:00.1234567Z\"", "\"2026-01-01T00:00:00.Z\"",
    "\"2026-01-01T00:00:00+24:00\"",
    "\"2026-01-01T00:00:00+23:59\"", "\"2026-01-01T00:00:00-23:59\"", "\"2026-01-01t00:00:00z\"",
    "\"caf\u{E9}\"", "\"cafe\u{301}\"", "\"x\\\"\u{301}y\"", "\"a,b\"", "\"a\\r\\nb\"",
    "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud83d\\ude00\"", "\"\u{212B}\"",
    "\"" + String(repeating: "long ", count: 4000) + "\"",
    "\"00000000-0000-4000-8000-000000000001\"", "\"00000000-0000-4000-8000-00000000000G\"",
    "\"{00000000-0000-4000-8000-000000000001}\"", "\"product_created\"", "\"order_placed\"",
    "\"product_discontinued\"", "\"price_updated\"", "\"inventory_error\"",
    "{}", "[]", "null", "true", "{\"a\": 1}",
  ]

  static let unicodeForms = [
    "\u{E9}", "e\u{301}", "\u{301}", "\\\"\u{301}", "\u{212B}", "\u{C5}", "A\u{30A}",
  ]

  static let stringInsertions = [
    "\\u0000", "\\ud800", "\\udfff", ",", "\\\"", "\\r", "\\n", "\\\\", "\u{7F}", "\\u001f",
    "\u{FEFF}", "\u{2028}",
  ]

  static let hostileBytes: [UInt8] = [
    0x00, 0x01, 0x09, 0x0D, 0x20, 0x22, 0x2C, 0x2D, 0x2E, 0x30, 0x31, 0x39, 0x3A, 0x45, 0x5B,
    0x5C, 0x5D, 0x65, 0x7B, 0x7D, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF5, 0xFF,
  ]
}

extension RandomStream {
  /// A random element, or `nil` for an empty list.
  mutating func pickOptional<T>(_ choices: [T]) -> T? {
    choices.isEmpty ? nil : pick(choices)
  }
}
