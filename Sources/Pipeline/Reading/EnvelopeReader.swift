import ExportFormat

/// Reads one delivered line (its bytes without the `\n`) into a `ParsedEvent`.
public enum EnvelopeReader {
  public static func read(_ line: [UInt8]) -> ParsedEvent {
    line.withUnsafeBufferPointer { read($0) }
  }

  public static func read(_ line: UnsafeBufferPointer<UInt8>) -> ParsedEvent {
    guard JSONScanner.validate(line, range: 0..<line.count) == .object else { return .malformed }
    let envelope = Members(buffer: line, members: JSONScanner.members(line, object: 0..<line.count))
    guard let payloadMember = envelope["payload"] else { return .malformed }
    switch payloadMember.kind {
    case .object:
      let payload = Members(
        buffer: line, members: JSONScanner.members(line, object: payloadMember.value))
      return interpret(envelope: envelope, payload: payload)
    case .string:
      let inner = envelope.bytes(of: payloadMember)
      return inner.withUnsafeBufferPointer { innerBuffer in
        guard JSONScanner.validate(innerBuffer, range: 0..<innerBuffer.count) == .object else {
          return .malformed
        }
        let payload = Members(
          buffer: innerBuffer,
          members: JSONScanner.members(innerBuffer, object: 0..<innerBuffer.count))
        return interpret(envelope: envelope, payload: payload)
      }
    default:
      return .malformed
    }
  }

  private static func interpret(envelope: Members, payload: Members) -> ParsedEvent {
    var event = ParsedEvent()
    if let id = envelope.string("event_id"), let canonical = FieldParsers.uuid(id) {
      event.eventID = EventKey(canonical: canonical)
    }
    event.eventType = envelope.string("event_type").flatMap(EventType.init(rawValue:))
    if let stamp = envelope["event_timestamp"] {
      switch stamp.kind {
      case .string: event.time = envelope.string("event_timestamp").flatMap(FieldParsers.timestamp)
      case .number: event.time = FieldParsers.epochMillis(envelope.text(of: stamp))
      default: break
      }
    }
    let v2 =
      payload["schema_version"].map { $0.kind == .number && payload.text(of: $0) == "2" } ?? false
    if let id = payload[v2 ? "product_id" : "id"], id.kind == .number,
      let value = FieldParsers.jsonInteger(payload.text(of: id)), value >= 1
    {
      event.productID = value
    }
    switch event.eventType {
    case .productCreated:
      event.price = price(payload, key: v2 ? "price_cents" : "price", v2: v2)
      if let category = payload.string("category"), !category.isEmpty { event.category = category }
    case .priceUpdated:
      event.price = price(payload, key: v2 ? "new_price_cents" : "new_price", v2: v2)
    case .orderPlaced:
      if let order = payload.string("order_id"), !order.isEmpty { event.orderID = order }
      if let quantity = payload["quantity"], quantity.kind == .number,
        let value = FieldParsers.jsonInteger(payload.text(of: quantity)),
        (1...Int64(Int32.max)).contains(value)
      {
        event.quantity = Int32(value)
      }
    default:
      break
    }
    return event
  }

  private static func price(_ payload: Members, key: StaticString, v2: Bool) -> ParsedEvent.Price {
    guard let member = payload[key] else { return .unparseable }
    if v2 {
      if let currency = payload["currency"],
        payload.string("currency") != "USD" || currency.kind != .string
      {
        return .unparseable
      }
      guard member.kind == .number, let cents = FieldParsers.centsPrice(payload.text(of: member))
      else { return .unparseable }
      return .valid(cents)
    }
    switch member.kind {
    case .number, .string:
      let text = member.kind == .number ? payload.text(of: member) : payload.string(key)!
      return FieldParsers.decimalPrice(text).map(ParsedEvent.Price.valid) ?? .unparseable
    default:
      return .unparseable
    }
  }
}

/// The members of one JSON object with lookup by key (the last duplicate key wins, as in
/// `jsonb`).
struct Members {
  let buffer: UnsafeBufferPointer<UInt8>
  let members: [JSONScanner.Member]

  subscript(key: StaticString) -> JSONScanner.Member? {
    let name = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
    for member in members.reversed() {
      if member.keyHasEscapes {
        if JSONStrings.decode(buffer, member.key, escaped: true).elementsEqual(name) {
          return member
        }
      } else if member.key.count == name.count,
        buffer[member.key].elementsEqual(name)
      {
        return member
      }
    }
    return nil
  }

  /// The decoded bytes of a string member.
  func bytes(of member: JSONScanner.Member) -> [UInt8] {
    let contents = (member.value.lowerBound + 1)..<(member.value.upperBound - 1)
    return JSONStrings.decode(
      buffer, contents, escaped: buffer[contents].contains(UInt8(ascii: "\\")))
  }

  /// A string member's decoded text; `nil` when absent or not a string.
  func string(_ key: StaticString) -> String? {
    guard let member = self[key], member.kind == .string else { return nil }
    let contents = (member.value.lowerBound + 1)..<(member.value.upperBound - 1)
    return JSONStrings.decodeString(
      buffer, contents, escaped: buffer[contents].contains(UInt8(ascii: "\\")))
  }

  /// The literal text of a member's value (numbers stay as written).
  func text(of member: JSONScanner.Member) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: buffer[member.value]), as: UTF8.self)
  }
}
