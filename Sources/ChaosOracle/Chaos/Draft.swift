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

  func render() -> [UInt8] {
    var members: [(key: String, value: JSONText)] = []
    if let eventIDText { members.append(("event_id", eventIDText)) }
    members.append(("event_type", eventTypeText))
    if let timestamp { members.append(("event_timestamp", timestamp)) }
    members.append(("source", .string(source)))
    if let payload {
      if doubleEncoded, case .object = payload {
        members.append(("payload", .string(payload.text())))
      } else {
        members.append(("payload", payload))
      }
    }
    members += extraMembers
    if members.count > 1, keyRotation % members.count != 0 {
      let shift = keyRotation % members.count
      members = Array(members[shift...] + members[..<shift])
    }
    let bytes = JSONText.object(members).bytes()
    switch lineRewrite {
    case nil: return bytes
    case .replaceWith(let line): return line
    case .singleQuotes: return bytes.map { $0 == UInt8(ascii: "\"") ? UInt8(ascii: "'") : $0 }
    case .append(let tail): return bytes + tail
    }
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
    var members: [(key: String, value: JSONText)] = v2 ? [("schema_version", .integer(2))] : []
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
        members += [
          ("product_id", .integer(id)), ("new_price_cents", .integer(new.value)),
          ("currency", .string("USD")),
        ]
      } else {
        priceKey = "new_price"
        members += [
          ("id", .integer(id)), ("old_price", price(old, format)),
          ("new_price", price(new, format)),
        ]
      }
    case .discontinued(let id):
      members.append((productKey, .integer(id)))
    case .orderPlaced(let orderID, let id, let quantity):
      truth.orderID = orderID
      truth.quantity = quantity
      members += [
        ("order_id", .string(orderID)), (productKey, .integer(id)),
        ("quantity", .integer(quantity)),
      ]
    }
    return Draft(
      eventIDText: .string(eventID.description), eventTypeText: .string(action.eventType.rawValue),
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
      eventIDText: .string(eventID.description),
      eventTypeText: .string(EventType.inventoryError.rawValue),
      timestamp: format.timestampStyle.render(time), timestampStyle: format.timestampStyle,
      source: source(for: .inventoryError), payload: payload, doubleEncoded: format.doubleEncoded,
      truth: truth, productKey: "id", priceKey: nil)
  }

  /// A v1 price: Python's float literal, or a numeric string when the format says so.
  static func price(_ cents: Cents, _ format: LineFormat) -> JSONText {
    format.numericStringPrice ? .string(cents.exportText) : .number(cents.pythonFloatLiteral)
  }
}
