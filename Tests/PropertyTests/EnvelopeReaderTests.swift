import ExportFormat
import Pipeline
import Testing

private func read(_ text: String) -> ParsedEvent { EnvelopeReader.read(Array(text.utf8)) }

private let good =
  #"{"event_id": "00000000-0000-4000-8000-000000000001", "event_type": "product_created", "event_timestamp": "2026-01-01T09:00:00Z", "source": "s", "payload": {"id": 1, "price": 10.5, "category": "books"}}"#

@Suite("Envelope reader: what jsonb stores and what it does not")
struct EnvelopeReaderTests {
  @Test("a well-formed envelope is read field by field")
  func wellFormed() {
    let event = read(good)
    #expect(!event.isMalformed)
    #expect(event.eventID?.description == "00000000-0000-4000-8000-000000000001")
    #expect(event.eventType == .productCreated)
    #expect(event.time?.exportText == "2026-01-01T09:00:00.000000Z")
    #expect(event.productID == 1)
    #expect(event.price == .valid(Cents(1050)))
    #expect(event.category == "books")
  }

  @Test(
    "lines jsonb cannot store as an envelope object are malformed",
    arguments: [
      "", " ", "null", "[]", "42", "\"text\"", "{", "{}}", "{'a': 1}", "{\"a\": 1,}",
      "{\"a\": NaN, \"payload\": {}}", "{\"a\": \"\\u0000\", \"payload\": {}}",
      "{\"a\": \"\\ud800\", \"payload\": {}}", "{\"a\": \"\\udc00\", \"payload\": {}}",
      "{\"a\": \"\\ud800\\u0041\", \"payload\": {}}", "{\"a\": \"\\x41\", \"payload\": {}}",
      "{\"a\": \"tab\there\", \"payload\": {}}", "{\"a\": 01, \"payload\": {}}",
      "{\"a\": 1., \"payload\": {}}", "{\"a\": .5, \"payload\": {}}",
      "{\"a\": +1, \"payload\": {}}",
      "{\"a\": 1e131072, \"payload\": {}}",
      "{\"a\": 0.\(String(repeating: "1", count: 16_384)), \"payload\": {}}",
      "{\"a\": 1e-16384, \"payload\": {}}", "{\"payload\": 1}", "{\"payload\": [1]}",
      "{\"payload\": \"[1]\"}", "{\"payload\": \"{\\\"a\\\": \\\"\\\\u0000\\\"}\"}",
      "{\"payload\": null}",
      "{\"event_id\": 1}", "\u{FEFF}{\"payload\": {}}", "{\"payload\": {}} x",
      "{\"payload\": {}}{}",
      "{\"a\": tru, \"payload\": {}}", "{\"a\": [1 2], \"payload\": {}}",
    ])
  func malformed(line: String) {
    #expect(read(line).isMalformed, "\(line.prefix(80))")
  }

  @Test("storable edge cases are not malformed")
  func storable() {
    let limits = [
      "{\"a\": 9e131071, \"payload\": {}}",
      "{\"a\": 0.\(String(repeating: "1", count: 16_383)), \"payload\": {}}",
      "{\"a\": 1e-16383, \"payload\": {}}", "{\"a\": \"\\ud83d\\ude00\", \"payload\": {}}",
      "{\"a\": \"\\/\\b\\f\\n\\r\\t\\\"\\\\\", \"payload\": {}}", "\t{\"payload\": {}}\r",
      "{\"payload\": \"{}\"}", "{\"a\": -0, \"b\": 0e5, \"payload\": {}}",
    ]
    for line in limits { #expect(!read(line).isMalformed, "\(line.prefix(80))") }
  }

  @Test("nesting deeper than 512 is malformed, 512 is not")
  func depth() {
    func nested(_ depth: Int) -> String {
      // The envelope object is level 1; `meta` adds depth - 1 array levels.
      "{\"payload\": {}, \"meta\": " + String(repeating: "[", count: depth - 1)
        + String(repeating: "]", count: depth - 1) + "}"
    }
    #expect(!read(nested(512)).isMalformed)
    #expect(read(nested(513)).isMalformed)
    #expect(read(nested(10_000)).isMalformed)
  }

  @Test("invalid UTF-8 and raw NUL bytes are malformed")
  func bytes() {
    for insert: [UInt8] in [
      [0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0],
    ] {
      var line = Array(#"{"source": "x"#.utf8)
      line += insert
      line += Array(#"", "payload": {}}"#.utf8)
      #expect(EnvelopeReader.read(line).isMalformed, "\(insert)")
    }
    var valid = Array(#"{"source": ""#.utf8)
    valid += Array("é€😀".utf8)
    valid += Array(#"", "payload": {}}"#.utf8)
    #expect(!EnvelopeReader.read(valid).isMalformed)
  }

  @Test("a payload is v2 only when schema_version is the JSON integer 2")
  func schemaVersion() {
    let v2 = read(
      #"{"event_type": "price_updated", "payload": {"schema_version": 2, "id": 1, "product_id": 7, "new_price_cents": 1234, "new_price": 1}}"#
    )
    #expect(v2.productID == 7)
    #expect(v2.price == .valid(Cents(1234)))
    let notV2 = read(
      #"{"event_type": "price_updated", "payload": {"schema_version": 2.0, "id": 1, "product_id": 7, "new_price_cents": 1234, "new_price": 1}}"#
    )
    #expect(notV2.productID == 1)
    #expect(notV2.price == .valid(Cents(100)))
  }

  @Test("the last of duplicate keys wins, keys may be escaped")
  func duplicateKeys() {
    let event = read(
      #"{"event_type": "product_viewed", "event_type": "price_updated", "payload": {"id": 1, "\u0069d": 2, "new_price": 3}}"#
    )
    #expect(event.eventType == .priceUpdated)
    #expect(event.productID == 2)
  }

  @Test("a double-encoded payload is read like an object")
  func doubleEncoded() {
    let event = read(
      #"{"event_type": "order_placed", "event_timestamp": 1767261600000, "payload": "{\"order_id\": \"o-1\", \"id\": 3, \"quantity\": 2}"}"#
    )
    #expect(!event.isMalformed)
    #expect(event.orderID == "o-1")
    #expect(event.productID == 3)
    #expect(event.quantity == 2)
    #expect(event.time?.exportText == "2026-01-01T10:00:00.000000Z")
  }
}
