import ExportFormat

/// How a line is written, apart from what it says.
struct LineFormat: Sendable, Hashable {
  var schemaV2 = false
  var doubleEncoded = false
  var timestampStyle = TimestampStyle.utc
  var numericStringPrice = false
  var extraKeys = false
}

/// An envelope under construction: its JSON members and what they mean. Faults edit both
/// together, so the truth always describes the bytes `render()` writes.
struct Draft: Sendable {
  var eventIDText: JSONText?
  var eventTypeText: JSONText
  var timestamp: JSONText?
  var timestampStyle: TimestampStyle
  var source: String
  /// The payload object (or, after some faults, some other value; `nil` when absent).
  var payload: JSONText?
  var doubleEncoded: Bool
  var extraMembers: [(key: String, value: JSONText)] = []
  /// Top-level keys are rotated by this much: key order never matters to `jsonb`.
  var keyRotation = 0
  /// Whole-line rewrites for the malformed variants that no JSON value can express.
  var lineRewrite: LineRewrite?
  var truth: LineTruth
  /// Payload keys the price and product id live under (they differ between v1 and v2).
  var productKey: String
  var priceKey: String?
  var faults: [FaultRecord] = []
  /// Set when the delivered copy of this draft was damaged at the byte level (so it never
  /// reached any `event_id` group).
  var bytesDamaged = false

  enum LineRewrite: Sendable, Hashable {
    case replaceWith([UInt8])
    case singleQuotes
    case append([UInt8])
  }

  /// The line's bytes: the envelope with Python's separators, its top-level keys rotated,
  /// then any whole-line rewrite.
  func render() -> [UInt8] {
    var out = ByteWriter()
    out.append(UInt8(ascii: "{"))
    let count = memberCount
    let shift = count > 1 ? keyRotation % count : 0
    for index in 0..<count {
      if index > 0 { out.append(UInt8(ascii: ","), UInt8(ascii: " ")) }
      writeMember(index + shift < count ? index + shift : index + shift - count, into: &out)
    }
    out.append(UInt8(ascii: "}"))
    switch lineRewrite {
    case nil: return out.bytes()
    case .replaceWith(let line): return line
    case .singleQuotes:
      return out.bytes().map { $0 == UInt8(ascii: "\"") ? UInt8(ascii: "'") : $0 }
    case .append(let tail): return out.bytes() + tail
    }
  }

  /// The envelope's members: `event_id`, `event_type`, `event_timestamp`, `source`,
  /// `payload` (those present), then the extra ones.
  private var memberCount: Int {
    (eventIDText == nil ? 0 : 1) + 2 + (timestamp == nil ? 0 : 1) + (payload == nil ? 0 : 1)
      + extraMembers.count
  }

  private func writeMember(_ position: Int, into out: inout ByteWriter) {
    var rest = position
    if let eventIDText {
      if rest == 0 { return Self.write("event_id", eventIDText, into: &out) }
      rest -= 1
    }
    if rest == 0 { return Self.write("event_type", eventTypeText, into: &out) }
    rest -= 1
    if let timestamp {
      if rest == 0 { return Self.write("event_timestamp", timestamp, into: &out) }
      rest -= 1
    }
    if rest == 0 { return Self.write("source", .string(source), into: &out) }
    rest -= 1
    if let payload {
      if rest == 0 {
        guard doubleEncoded, case .object = payload else {
          return Self.write("payload", payload, into: &out)
        }
        // the object's text as a JSON string
        Self.writeKey("payload", into: &out)
        payload.bytes().withUnsafeBufferPointer { JSONText.writeString(utf8: $0, into: &out) }
        return
      }
      rest -= 1
    }
    let extra = extraMembers[rest]
    JSONText.writeString(extra.key, into: &out)
    out.append(UInt8(ascii: ":"), UInt8(ascii: " "))
    extra.value.write(into: &out)
  }

  private static func write(_ key: StaticString, _ value: JSONText, into out: inout ByteWriter) {
    writeKey(key, into: &out)
    value.write(into: &out)
  }

  /// `"key": `, for a key of plain ASCII.
  private static func writeKey(_ key: StaticString, into out: inout ByteWriter) {
    out.append(UInt8(ascii: "\""))
    out.append(key)
    out.append(UInt8(ascii: "\""))
    out.append(UInt8(ascii: ":"), UInt8(ascii: " "))
  }

  mutating func setPayload(_ key: String, _ value: JSONText?) {
    payload = payload?.setting(key, to: value)
  }

  mutating func log(_ kind: FaultKind, _ detail: String) {
    faults.append(FaultRecord(kind: kind, detail: detail))
  }
}

/// Writes events as the producers do: v1 (the original, fakestore-like) or v2 payloads.
enum EventWriter {
  static func source(for type: EventType) -> String {
    switch type {
    case .productCreated, .priceUpdated, .productDiscontinued: "catalog-service"
    case .orderPlaced: "order-service"
    case .inventoryError: "inventory-service"
    }
  }

  static func draft(
    eventID: EventID, time: Instant, action: WorldAction, format: LineFormat, contentID: UInt64
  ) -> Draft {
    var truth = LineTruth()
    truth.eventID = eventID
    truth.contentID = contentID
    truth.eventType = action.eventType
    truth.time = time
    truth.productID = action.productID
    let v2 = format.schemaV2
    let productKey = v2 ? "product_id" : "id"
    var members: [(key: String, value: JSONText)] = []
    members.reserveCapacity(10)
    if v2 { members.append(("schema_version", .integer(2))) }
    var priceKey: String?
    switch action {
    case .created(let product):
      truth.price = .valid(product.price)
      truth.category = product.category
      if v2 {
        priceKey = "price_cents"
        members += [
          ("product_id", .integer(product.id)), ("title", .string(product.title)),
          ("category", .string(product.category)), ("price_cents", .integer(product.price.value)),
          ("currency", .string("USD")),
        ]
      } else {
        priceKey = "price"
        members += [
          ("id", .integer(product.id)), ("title", .string(product.title)),
          ("price", price(product.price, format)), ("description", .string(product.description)),
          ("category", .string(product.category)),
          ("image", .string("https://fakestoreapi.com/img/\(product.id).jpg")),
          (
            "rating",
            .object([
              ("rate", .number("\(product.ratingTenths / 10).\(product.ratingTenths % 10)")),
              ("count", .integer(product.ratingCount)),
            ])
          ),
        ]
      }
    case .priceUpdated(let id, let old, let new):
      truth.price = .valid(new)
      if v2 {
        priceKey = "new_price_cents"
        members.append(("product_id", .integer(id)))
        members.append(("new_price_cents", .integer(new.value)))
        members.append(("currency", .string("USD")))
      } else {
        priceKey = "new_price"
        members.append(("id", .integer(id)))
        members.append(("old_price", price(old, format)))
        members.append(("new_price", price(new, format)))
      }
    case .discontinued(let id):
      members.append((productKey, .integer(id)))
    case .orderPlaced(let orderID, let id, let quantity):
      truth.orderID = orderID
      truth.quantity = quantity
      members.append(("order_id", .string(orderID)))
      members.append((productKey, .integer(id)))
      members.append(("quantity", .integer(quantity)))
    }
    return Draft(
      eventIDText: .uuid(eventID), eventTypeText: .string(action.eventType.rawValue),
      timestamp: format.timestampStyle.render(time), timestampStyle: format.timestampStyle,
      source: source(for: action.eventType), payload: .object(members),
      doubleEncoded: format.doubleEncoded, truth: truth, productKey: productKey,
      priceKey: priceKey)
  }

  /// The original producer's deliberate error event: price -50 and no category.
  static func inventoryError(
    eventID: EventID, time: Instant, productID: Int64, format: LineFormat, contentID: UInt64
  ) -> Draft {
    var truth = LineTruth()
    truth.eventID = eventID
    truth.contentID = contentID
    truth.eventType = .inventoryError
    truth.time = time
    truth.productID = productID
    let payload = JSONText.object([
      ("id", .integer(productID)), ("price", .number("-50")), ("category", .null),
    ])
    return Draft(
      eventIDText: .uuid(eventID),
      eventTypeText: .string(EventType.inventoryError.rawValue),
      timestamp: format.timestampStyle.render(time), timestampStyle: format.timestampStyle,
      source: source(for: .inventoryError), payload: payload, doubleEncoded: format.doubleEncoded,
      truth: truth, productKey: "id", priceKey: nil)
  }

  /// A v1 price: Python's float literal, or a numeric string when the format says so.
  static func price(_ cents: Cents, _ format: LineFormat) -> JSONText {
    format.numericStringPrice ? .string(cents.exportText) : .pythonFloat(cents)
  }
}
