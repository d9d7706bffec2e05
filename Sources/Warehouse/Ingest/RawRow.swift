import Pipeline

/// What ingest stores for one delivered line besides its bytes: whether it is a JSON object
/// `jsonb` stores (with an object payload), its envelope members, and the JSON token of each
/// field the rules read, exactly as written.
struct RawRow {
  var isJSON = false
  var eventID: [UInt8]?
  var eventType: [UInt8]?
  var eventTimestamp: [UInt8]?
  var source: [UInt8]?
  /// The payload object's JSON text (decoded when it was double-encoded).
  var payload: [UInt8]?
  /// A JSON object mapping field names to their tokens as written.
  var tokens: [UInt8]?

  static let envelopeFields: [StaticString] = [
    "event_id", "event_type", "event_timestamp", "source",
  ]
  static let payloadFields: [StaticString] = [
    "schema_version", "id", "product_id", "price", "new_price", "price_cents", "new_price_cents",
    "currency", "category", "order_id", "quantity",
  ]

  init(line: UnsafeBufferPointer<UInt8>) {
    var envelope = [JSONScanner.Member?](repeating: nil, count: Self.envelopeFields.count)
    var payloadMember: JSONScanner.Member?
    let valid = JSONScanner.scanObject(line, range: 0..<line.count) { member in
      if let index = Self.index(of: member, in: line, among: Self.envelopeFields) {
        envelope[index] = member
      } else if member.hasKey("payload", in: line) {
        payloadMember = member
      }
    }
    guard valid, let payloadMember else { return }
    var payloadText: [UInt8]
    switch payloadMember.kind {
    case .object: payloadText = Array(line[payloadMember.value])
    case .string: payloadText = JSONStrings.decode(line, token: payloadMember.value)
    default: return
    }
    var payloadFields = [Range<Int>?](repeating: nil, count: Self.payloadFields.count)
    let payloadValid = payloadText.withUnsafeBufferPointer { buffer in
      JSONScanner.scanObject(buffer, range: 0..<buffer.count) { member in
        if let index = Self.index(of: member, in: buffer, among: Self.payloadFields) {
          payloadFields[index] = member.value
        }
      }
    }
    guard payloadValid else { return }
    isJSON = true
    payload = payloadText
    var tokens: [UInt8] = [UInt8(ascii: "{")]
    tokens.reserveCapacity(256)
    func addToken(_ name: StaticString, _ token: UnsafeBufferPointer<UInt8>) {
      if tokens.count > 1 { tokens.append(UInt8(ascii: ",")) }
      JSONStrings.appendLiteral(
        UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), to: &tokens)
      tokens.append(UInt8(ascii: ":"))
      JSONStrings.appendLiteral(token, to: &tokens)
    }
    for (index, name) in Self.envelopeFields.enumerated() {
      guard let member = envelope[index] else { continue }
      addToken(name, UnsafeBufferPointer(rebasing: line[member.value]))
      let value =
        member.kind == .string
        ? JSONStrings.decode(line, token: member.value) : Array(line[member.value])
      switch index {
      case 0: eventID = member.kind == .string ? value : nil
      case 1: eventType = member.kind == .string ? value : nil
      case 2: eventTimestamp = member.kind == .string || member.kind == .number ? value : nil
      default: source = member.kind == .string ? value : nil
      }
    }
    payloadText.withUnsafeBufferPointer { buffer in
      for (index, name) in Self.payloadFields.enumerated() {
        if let range = payloadFields[index] {
          addToken(name, UnsafeBufferPointer(rebasing: buffer[range]))
        }
      }
    }
    tokens.append(UInt8(ascii: "}"))
    self.tokens = tokens
  }

  private static func index(
    of member: JSONScanner.Member, in buffer: UnsafeBufferPointer<UInt8>,
    among names: [StaticString]
  ) -> Int? {
    names.firstIndex { member.hasKey($0, in: buffer) }
  }

}
