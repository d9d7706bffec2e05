import ExportFormat

/// Breaking faults: each edits a draft so that the line really fails the rule it is meant
/// to fail, and updates the draft's truth to match.
extension Draft {
  /// Applies a JSON-level breaking fault (all but the byte-level ones).
  mutating func breakJSON(with kind: FaultKind, using stream: inout RandomStream) {
    switch kind {
    case .malformedJSON: breakStructure(using: &stream)
    case .invalidEventID:
      let variants: [(JSONText?, String)] = [
        (.string("not-a-uuid"), "not a UUID"), (.string(""), "empty string"), (nil, "missing"),
        (.integer(12345), "a number"), (.null, "null"),
        (.string(Self.mangledUUID(eventIDText, replacingWith: "g")), "a non-hex digit"),
        (.string(Self.truncatedUUID(eventIDText)), "one digit short"),
        (.string("evt_" + String(stream.below(1_000_000))), "a prefixed serial number"),
      ]
      let (value, detail) = stream.pick(variants)
      eventIDText = value
      truth.eventID = nil
      log(.invalidEventID, detail)
    case .badTimestamp:
      let base = truth.time.map { $0.date.isoText } ?? "2026-01-05"
      let variants: [(JSONText?, String)] = [
        (.string("2026-13-05T10:00:00Z"), "month 13"),
        (.string(base + "T24:00:00Z"), "hour 24"),
        (.string(base + "T10:00:60Z"), "second 60"),
        (.string(base + "T10:00Z"), "no seconds"),
        (.string("2026-02-30T10:00:00Z"), "February 30"),
        (.string(base + "T10:00:00.1234567Z"), "7 fraction digits"),
        (.string("05/01/2026 10:00:00"), "day/month/year"),
        (.string("yesterday"), "a word"), (.string(""), "empty string"), (.null, "null"),
        (nil, "missing"), (.number("1.7676e12"), "epoch with an exponent"),
        (.number("1767614400000.5"), "fractional epoch milliseconds"),
        (.string("1767614400000"), "epoch milliseconds as a string"),
        (.string(base + "  10:00:00"), "two spaces"), (.bool(true), "a boolean"),
      ]
      let (value, detail) = stream.pick(variants)
      timestamp = value
      truth.time = nil
      log(.badTimestamp, detail)
    case .missingProductID:
      let id = truth.productID ?? 1
      let variants: [(JSONText?, String)] = [
        (nil, "missing"), (.string(String(id)), "a string"), (.integer(0), "zero"),
        (.integer(-id), "negative"), (.number("\(id).0"), "written with a fraction"),
        (.null, "null"), (.number("9223372036854775808"), "2^63"), (.number("1e3"), "exponent"),
        (.bool(true), "a boolean"),
      ]
      let (value, detail) = stream.pick(variants)
      setPayload(productKey, value)
      truth.productID = nil
      log(.missingProductID, "\(productKey) \(detail)")
    case .missingOrderID:
      let variants: [(JSONText?, String)] = [
        (nil, "missing"), (.string(""), "empty string"), (.null, "null"),
        (.integer(stream.int(in: 1...99_999)), "a number"),
      ]
      let (value, detail) = stream.pick(variants)
      setPayload("order_id", value)
      truth.orderID = nil
      log(.missingOrderID, detail)
    case .invalidQuantity:
      let variants: [(JSONText?, String)] = [
        (.integer(0), "zero"), (.integer(-1), "negative"), (.number("2.5"), "a fraction"),
        (.string("3"), "a string"), (.null, "null"), (nil, "missing"),
        (.number("2147483648"), "2^31"), (.number("1.0"), "written with a fraction"),
        (.number("1e1"), "exponent"),
      ]
      let (value, detail) = stream.pick(variants)
      setPayload("quantity", value)
      truth.quantity = nil
      log(.invalidQuantity, detail)
    case .unparseablePrice:
      guard let priceKey else { return }
      let v2 = priceKey.hasSuffix("_cents")
      let variants: [(JSONText?, String)] =
        v2
        ? [
          (.number("1050.0"), "cents with a fraction"), (.string("1050"), "cents as a string"),
          (.null, "null"), (nil, "missing"), (.number("12.5"), "dollars in a cents field"),
          (.number("1000000000000"), "10^10 dollars"), (.number("1e3"), "exponent"),
        ]
        : [
          (.string("12,50"), "decimal comma"), (.string("$12.50"), "currency sign"),
          (.number("12.345"), "three decimals"), (.bool(true), "a boolean"),
          (.string("1e3"), "exponent string"), (.null, "null"), (nil, "missing"),
          (.number("10000000000.00"), "10^10"), (.string("abc"), "a word"),
          (.string("12.5x"), "trailing letters"), (.number("1e2"), "exponent number"),
          (.string(""), "empty string"),
        ]
      let (value, detail) = stream.pick(variants)
      setPayload(priceKey, value)
      truth.price = .unparseable
      log(.unparseablePrice, "\(priceKey) \(detail)")
    case .foreignCurrency:
      // Only meaningful in v2; the caller forces the v2 schema for this fault.
      let variants: [(JSONText, String)] = [
        (.string("EUR"), "EUR"), (.string("GBP"), "GBP"), (.null, "null"),
        (.string("usd"), "lower-case usd"),
      ]
      let (value, detail) = stream.pick(variants)
      setPayload("currency", value)
      truth.price = .unparseable
      log(.foreignCurrency, "currency \(detail)")
    case .negativePrice:
      guard let priceKey, case .valid(let price) = truth.price else { return }
      let negative = Cents(-(price.value == 0 ? Int128(stream.int(in: 1...5000)) : price.value))
      let value: JSONText =
        priceKey.hasSuffix("_cents")
        ? .integer(negative.value)
        : (stream.chance(0.3) ? .string(negative.exportText) : .number(negative.pythonFloatLiteral))
      setPayload(priceKey, value)
      truth.price = .valid(negative)
      log(.negativePrice, "\(priceKey) \(negative.exportText)")
    case .nullCategory:
      let variants: [(JSONText?, String)] = [
        (.null, "null"), (nil, "missing"), (.string(""), "empty string"),
        (.integer(42), "a number"),
        (.array([.string("electronics")]), "an array"), (.bool(true), "a boolean"),
      ]
      let (value, detail) = stream.pick(variants)
      setPayload("category", value)
      truth.category = nil
      log(.nullCategory, detail)
    default:
      preconditionFailure("\(kind) is not a JSON-level breaking fault")
    }
  }

  /// The malformed_json variants: each yields a line PostgreSQL `jsonb` cannot take as an
  /// envelope object.
  private mutating func breakStructure(using stream: inout RandomStream) {
    let variant = stream.below(14)
    var detail: String
    switch variant {
    case 0:
      payload = .integer(42)
      detail = "payload is a number"
    case 1:
      payload = .array([.integer(1), .integer(2)])
      detail = "payload is an array"
    case 2:
      payload = .string("{'id': \(truth.productID ?? 1)}")
      detail = "payload string is not JSON (Python repr)"
    case 3:
      payload = nil
      detail = "payload missing"
    case 4:
      payload = .string("[1, 2]")
      detail = "payload string holds an array"
    case 5:
      lineRewrite = .singleQuotes
      detail = "single quotes"
    case 6:
      extraMembers.append(("note", .verbatim("\"\\ud83d\"")))
      detail = "unpaired surrogate escape"
    case 7:
      extraMembers.append(("meta", .verbatim(Self.nested600)))
      detail = "nested 600 deep"
    case 8:
      extraMembers.append(("meta", .number("1e131072")))
      detail = "number too large for numeric"
    case 9:
      extraMembers.append(("meta", .number(Self.fraction16384)))
      detail = "16384 fraction digits"
    case 10:
      lineRewrite = .append(Array(" }".utf8))
      detail = "trailing garbage"
    case 11:
      lineRewrite = .replaceWith([])
      detail = "empty line"
    case 12:
      lineRewrite = .replaceWith(Array("[\"product_created\", 1]".utf8))
      detail = "top level is an array"
    default:
      extraMembers.append(("note", .verbatim("\"\\udc00 low\"")))
      detail = "lone low surrogate escape"
    }
    truth = .malformed
    log(.malformedJSON, detail)
  }

  /// Arrays nested 600 deep, past `jsonb`'s 512 (built once: it is 1,200 bytes).
  private static let nested600 =
    String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
  /// A number with 16,384 fraction digits, one past what `numeric` stores.
  private static let fraction16384 = "0." + String(repeating: "1", count: 16_384)

  private static func uuidText(_ text: JSONText?) -> String {
    text?.stringValue ?? "3f1c2a9e-5b7d-4c2e-9a1b-0c4d5e6f7a8b"
  }

  static func mangledUUID(_ text: JSONText?, replacingWith character: Character) -> String {
    var characters = Array(uuidText(text))
    characters[characters.count - 1] = character
    return String(characters)
  }

  static func truncatedUUID(_ text: JSONText?) -> String { String(uuidText(text).dropLast()) }
}

/// Byte-level breaking faults, applied to the rendered line.
enum ByteFaults {
  /// Cuts the line short; every strict prefix of an envelope object is invalid JSON.
  static func truncate(_ bytes: [UInt8], using stream: inout RandomStream) -> ([UInt8], String) {
    guard bytes.count > 1 else { return ([UInt8(ascii: "{")], "cut to 1 byte") }
    let keep = 1 + Int(stream.below(UInt64(bytes.count - 1)))
    return (Array(bytes[..<keep]), "cut to \(keep) of \(bytes.count) bytes")
  }

  static func invalidUTF8(_ bytes: [UInt8], using stream: inout RandomStream) -> ([UInt8], String) {
    let variants: [([UInt8], String)] = [
      ([0xFF], "byte FF"), ([0xC3, 0x28], "bad continuation C3 28"),
      ([0xED, 0xA0, 0x80], "encoded surrogate ED A0 80"), ([0xC0, 0xAF], "overlong C0 AF"),
      ([0xF4, 0x90, 0x80, 0x80], "above U+10FFFF"), ([0xE2, 0x82], "cut sequence E2 82"),
    ]
    let (insert, detail) = stream.pick(variants)
    return (insertIntoSource(bytes, insert), detail + " in source")
  }

  static func nulByte(_ bytes: [UInt8], using stream: inout RandomStream) -> ([UInt8], String) {
    switch stream.below(3) {
    case 0: return (insertIntoSource(bytes, [0]), "raw NUL in source")
    case 1: return (bytes + [0], "raw NUL after the object")
    default: return (insertIntoSource(bytes, Array("\\u0000".utf8)), "\\u0000 escape in source")
    }
  }

  /// Inserts bytes right after the opening quote of the top-level `source` value.
  static func insertIntoSource(_ bytes: [UInt8], _ insert: [UInt8]) -> [UInt8] {
    let marker = Array("\"source\": \"".utf8)
    guard let start = firstIndex(of: marker, in: bytes) else { return bytes + insert }
    let at = start + marker.count
    return Array(bytes[..<at]) + insert + Array(bytes[at...])
  }

  private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for start in 0...(haystack.count - needle.count)
    where haystack[start] == needle[0] && Array(haystack[start..<start + needle.count]) == needle {
      return start
    }
    return nil
  }
}
