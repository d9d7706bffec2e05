import ExportFormat

/// Reads one delivered line (its bytes without the `\n`) into a `ParsedEvent`.
///
/// One validating pass over the line locates the envelope's members, a second over the
/// payload object; fields are judged straight from the bytes, and only the category and
/// `order_id` become strings.
package enum EnvelopeReader {
  package static func read(_ line: [UInt8]) -> ParsedEvent {
    line.withUnsafeBufferPointer { read($0) }
  }

  package static func read(_ line: UnsafeBufferPointer<UInt8>) -> ParsedEvent {
    var envelope = EnvelopeMembers()
    let valid = JSONScanner.scanObject(line, range: 0..<line.count) { member in
      envelope.take(member, in: line)
    }
    guard valid, let payload = envelope.payload else { return .malformed }
    switch payload.kind {
    case .object:
      return read(envelope: envelope, line: line, payload: line, range: payload.value)
    case .string:
      let inner = Field(line, payload).decodedBytes()
      return inner.withUnsafeBufferPointer {
        read(envelope: envelope, line: line, payload: $0, range: 0..<$0.count)
      }
    default:
      return .malformed
    }
  }

  private static func read(
    envelope: EnvelopeMembers, line: UnsafeBufferPointer<UInt8>,
    payload buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>
  ) -> ParsedEvent {
    var payload = PayloadMembers()
    guard JSONScanner.scanObject(buffer, range: range, onMember: { payload.take($0, in: buffer) })
    else { return .malformed }
    var event = ParsedEvent()
    if let id = envelope.eventID, id.kind == .string {
      event.eventID = Field(line, id).withContents(FieldParsers.uuidKey)
    }
    if let type = envelope.eventType, type.kind == .string {
      event.eventType = Field(line, type).withContents(eventType)
    }
    if let stamp = envelope.timestamp {
      switch stamp.kind {
      case .string: event.time = Field(line, stamp).withContents(FieldParsers.timestamp)
      case .number: event.time = Field(line, stamp).withLiteral(FieldParsers.epochMillis)
      default: break
      }
    }
    let v2 = payload.schemaVersion.map { Field(buffer, $0).isLiteral("2") } ?? false
    if let id = v2 ? payload.productID : payload.id, id.kind == .number,
      let value = Field(buffer, id).withLiteral(FieldParsers.jsonInteger), value >= 1
    {
      event.productID = value
    }
    switch event.eventType {
    case .productCreated:
      event.price = price(v2 ? payload.priceCents : payload.price, v2: v2, payload, buffer)
      if let category = payload.category, category.kind == .string {
        let text = Field(buffer, category).decodedString()
        if !text.isEmpty { event.category = text }
      }
    case .priceUpdated:
      event.price = price(v2 ? payload.newPriceCents : payload.newPrice, v2: v2, payload, buffer)
    case .orderPlaced:
      if let order = payload.orderID, order.kind == .string {
        let text = Field(buffer, order).decodedString()
        if !text.isEmpty { event.orderID = text }
      }
      if let quantity = payload.quantity, quantity.kind == .number,
        let value = Field(buffer, quantity).withLiteral(FieldParsers.jsonInteger),
        value >= 1, value <= Int64(Int32.max)
      {
        event.quantity = Int32(value)
      }
    default:
      break
    }
    return event
  }

  private static func price(
    _ member: JSONScanner.Member?, v2: Bool, _ payload: PayloadMembers,
    _ buffer: UnsafeBufferPointer<UInt8>
  ) -> ParsedEvent.Price {
    guard let member else { return .unparseable }
    if v2 {
      if let currency = payload.currency {
        guard currency.kind == .string,
          Field(buffer, currency).withContents({ equals($0, "USD") }) == true
        else { return .unparseable }
      }
      guard member.kind == .number,
        let cents = Field(buffer, member).withLiteral(FieldParsers.centsPrice)
      else { return .unparseable }
      return .valid(cents)
    }
    let cents: Cents? =
      switch member.kind {
      case .number: Field(buffer, member).withLiteral(FieldParsers.decimalPrice)
      case .string: Field(buffer, member).withContents(FieldParsers.decimalPrice)
      default: nil
      }
    return cents.map(ParsedEvent.Price.valid) ?? .unparseable
  }

  private static func eventType(_ bytes: UnsafeBufferPointer<UInt8>) -> EventType? {
    for type in EventType.allCases where equals(bytes, type.staticName) { return type }
    return nil
  }
}

extension EventType {
  fileprivate var staticName: StaticString {
    switch self {
    case .productCreated: "product_created"
    case .priceUpdated: "price_updated"
    case .productDiscontinued: "product_discontinued"
    case .orderPlaced: "order_placed"
    case .inventoryError: "inventory_error"
    }
  }
}

@inline(__always) func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
  guard bytes.count == name.utf8CodeUnitCount else { return false }
  return memcmpEqual(bytes.baseAddress, name.utf8Start, bytes.count)
}

@inline(__always) private func memcmpEqual(
  _ a: UnsafePointer<UInt8>?, _ b: UnsafePointer<UInt8>, _ count: Int
) -> Bool {
  guard let a else { return count == 0 }
  for index in 0..<count where a[index] != b[index] { return false }
  return true
}

/// One located value with helpers to read it without building strings.
private struct Field {
  let buffer: UnsafeBufferPointer<UInt8>
  let member: JSONScanner.Member

  init(_ buffer: UnsafeBufferPointer<UInt8>, _ member: JSONScanner.Member) {
    self.buffer = buffer
    self.member = member
  }

  private var contents: Range<Int> { (member.value.lowerBound + 1)..<(member.value.upperBound - 1) }

  private var hasEscapes: Bool { buffer[contents].contains(UInt8(ascii: "\\")) }

  /// Runs `body` over a string's decoded bytes (no copy unless it holds escapes).
  func withContents<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
    if !hasEscapes { return body(UnsafeBufferPointer(rebasing: buffer[contents])) }
    return decodedBytes().withUnsafeBufferPointer(body)
  }

  /// Runs `body` over a number's literal bytes.
  func withLiteral<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
    body(UnsafeBufferPointer(rebasing: buffer[member.value]))
  }

  func isLiteral(_ text: StaticString) -> Bool {
    member.kind == .number && equals(UnsafeBufferPointer(rebasing: buffer[member.value]), text)
  }

  func decodedBytes() -> [UInt8] { JSONStrings.decode(buffer, token: member.value) }

  func decodedString() -> String {
    JSONStrings.decodeString(buffer, contents, escaped: hasEscapes)
  }
}

extension JSONScanner.Member {
  /// Runs `body` over this member's key, decoded (no copy unless it holds escapes).
  @inline(__always)
  func withKey(in buffer: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void)
  {
    if !keyHasEscapes { return body(UnsafeBufferPointer(rebasing: buffer[key])) }
    JSONStrings.decode(buffer, key, escaped: true).withUnsafeBufferPointer(body)
  }
}

// The members below are told apart by their key's length first: one comparison of bytes
// per member, not one per name.

/// The envelope members the rules read; later duplicates replace earlier ones (as in jsonb).
private struct EnvelopeMembers {
  var eventID: JSONScanner.Member?
  var eventType: JSONScanner.Member?
  var timestamp: JSONScanner.Member?
  var payload: JSONScanner.Member?

  mutating func take(_ member: JSONScanner.Member, in buffer: UnsafeBufferPointer<UInt8>) {
    member.withKey(in: buffer) { key in
      switch key.count {
      case 7: if equals(key, "payload") { payload = member }
      case 8: if equals(key, "event_id") { eventID = member }
      case 10: if equals(key, "event_type") { eventType = member }
      case 15: if equals(key, "event_timestamp") { timestamp = member }
      default: break
      }
    }
  }
}

/// The payload members the rules read, v1 and v2 names alike.
private struct PayloadMembers {
  var schemaVersion: JSONScanner.Member?
  var id: JSONScanner.Member?
  var productID: JSONScanner.Member?
  var price: JSONScanner.Member?
  var newPrice: JSONScanner.Member?
  var priceCents: JSONScanner.Member?
  var newPriceCents: JSONScanner.Member?
  var currency: JSONScanner.Member?
  var category: JSONScanner.Member?
  var orderID: JSONScanner.Member?
  var quantity: JSONScanner.Member?

  mutating func take(_ member: JSONScanner.Member, in buffer: UnsafeBufferPointer<UInt8>) {
    member.withKey(in: buffer) { key in
      switch key.count {
      case 2: if equals(key, "id") { id = member }
      case 5: if equals(key, "price") { price = member }
      case 8:
        if equals(key, "category") {
          category = member
        } else if equals(key, "order_id") {
          orderID = member
        } else if equals(key, "quantity") {
          quantity = member
        } else if equals(key, "currency") {
          currency = member
        }
      case 9: if equals(key, "new_price") { newPrice = member }
      case 10: if equals(key, "product_id") { productID = member }
      case 11: if equals(key, "price_cents") { priceCents = member }
      case 14: if equals(key, "schema_version") { schemaVersion = member }
      case 15: if equals(key, "new_price_cents") { newPriceCents = member }
      default: break
      }
    }
  }
}
