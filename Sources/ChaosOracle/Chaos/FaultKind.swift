/// Every fault the chaos injector can salt a stream with.
///
/// Rates in a profile are probabilities per eligible world event: for `Family.extraLine`
/// faults, the chance that an extra line is inserted before a world event; for the others,
/// the chance that a world event (or any line, for formats and delivery) is touched.
public enum FaultKind: String, CaseIterable, Sendable, Hashable, Comparable {
  // Extra lines.
  case exactReplay = "exact_replay"
  case conflictingDuplicate = "conflicting_duplicate"
  case resentOrder = "resent_order"
  case unknownEventType = "unknown_event_type"
  case inventoryError = "inventory_error"
  case neverCreatedProduct = "never_created_product"
  case discontinuedProductEvent = "discontinued_product_event"
  case sameTimestampTie = "same_timestamp_tie"
  case orderAtStateInstant = "order_at_state_instant"
  case orderIDMoved = "order_id_moved"
  // Extra lines with values at the edges of their types (SPEC "Edge values").
  case extremeMoney = "extreme_money"
  case extremeNumber = "extreme_number"
  case extremeUnicode = "extreme_unicode"
  case extremeCSV = "extreme_csv"
  case extremeTime = "extreme_time"
  // Breaking faults: the first drawn in this order, and perhaps a second on another field.
  case malformedJSON = "malformed_json"
  case truncatedJSON = "truncated_json"
  case invalidUTF8 = "invalid_utf8"
  case nulByte = "nul_byte"
  case invalidEventID = "invalid_event_id"
  case badTimestamp = "bad_timestamp"
  case missingProductID = "missing_product_id"
  case missingOrderID = "missing_order_id"
  case unparseablePrice = "unparseable_price"
  case foreignCurrency = "foreign_currency"
  case negativePrice = "negative_price"
  case nullCategory = "null_category"
  case invalidQuantity = "invalid_quantity"
  // Survivable formats: the line stays valid.
  case schemaV2 = "schema_v2"
  case doubleEncodedPayload = "double_encoded_payload"
  case naiveTimestamp = "naive_timestamp"
  case offsetTimestamp = "offset_timestamp"
  case epochMillisTimestamp = "epoch_millis_timestamp"
  case numericStringPrice = "numeric_string_price"
  case extraKeys = "extra_keys"
  // Delivery.
  case outOfOrder = "out_of_order"
  case lateDelivery = "late_delivery"
  // Extra lines added after the first release of this list: declared last so that every
  // fault above keeps its random stream (its index).
  case stateAtEarlierInstant = "state_at_earlier_instant"

  public enum Family: String, Sendable {
    case extraLine = "extra line"
    case breaking = "breaking"
    case survivable = "survivable format"
    case delivery = "delivery"
  }

  public var family: Family {
    switch self {
    case .exactReplay, .conflictingDuplicate, .resentOrder, .unknownEventType, .inventoryError,
      .neverCreatedProduct, .discontinuedProductEvent, .sameTimestampTie, .orderAtStateInstant,
      .orderIDMoved, .extremeMoney,
      .extremeNumber, .extremeUnicode, .extremeCSV, .extremeTime, .stateAtEarlierInstant:
      .extraLine
    case .malformedJSON, .truncatedJSON, .invalidUTF8, .nulByte, .invalidEventID, .badTimestamp,
      .missingProductID, .missingOrderID, .unparseablePrice, .foreignCurrency, .negativePrice,
      .nullCategory, .invalidQuantity:
      .breaking
    case .schemaV2, .doubleEncodedPayload, .naiveTimestamp, .offsetTimestamp,
      .epochMillisTimestamp, .numericStringPrice, .extraKeys:
      .survivable
    case .outOfOrder, .lateDelivery: .delivery
    }
  }

  /// One line on what the fault does, for `--stats`, docs and error messages.
  public var summary: String {
    switch self {
    case .exactReplay: "the same event delivered again (keys reordered, payload re-encoded)"
    case .conflictingDuplicate: "an event_id reused for a different envelope"
    case .resentOrder: "an order sent again with a new event_id and the same order_id"
    case .unknownEventType: "an event_type outside the vocabulary"
    case .inventoryError: "the original producer's deliberate error event"
    case .neverCreatedProduct: "updates and orders for products never created"
    case .discontinuedProductEvent: "updates and orders for discontinued products"
    case .sameTimestampTie: "a second state event at the same instant as the product's last"
    case .orderAtStateInstant:
      "an order at the exact instant of its product's last state event (a version's start or a tombstone's)"
    case .orderIDMoved:
      "an order_id reused, delivered later, for another product at an earlier time: it wins the id"
    case .extremeMoney: "prices of 9999999999.99 and orders of 2^31-1 units (money past 64 bits)"
    case .extremeNumber:
      "a resent event carrying a number at (or just past) PostgreSQL numeric's limits"
    case .extremeUnicode:
      "categories and order ids in two canonically equivalent spellings (different strings)"
    case .extremeCSV: "categories with quotes, commas, CR/LF and combining marks after quotes"
    case .extremeTime:
      "a product living at years 1 and 9999: times at (or just past) the range, after offsets"
    case .malformedJSON: "broken JSON, a non-object payload, unstorable strings or numbers"
    case .truncatedJSON: "a line cut short"
    case .invalidUTF8: "bytes that are not UTF-8"
    case .nulByte: "a NUL byte or a \\u0000 escape"
    case .invalidEventID: "an event_id that is missing or not a UUID"
    case .badTimestamp: "an event_timestamp that does not parse"
    case .missingProductID: "a product id that is missing or not an integer >= 1"
    case .missingOrderID: "an order without a usable order_id"
    case .unparseablePrice: "a price in a form that does not parse"
    case .foreignCurrency: "a v2 price in a currency other than USD"
    case .negativePrice: "a price below zero"
    case .nullCategory: "a product_created without a usable category"
    case .invalidQuantity: "an order quantity that is not an integer >= 1"
    case .schemaV2: "the v2 payload schema (schema drift)"
    case .doubleEncodedPayload: "the payload written as a JSON string holding the object"
    case .naiveTimestamp: "a timestamp without zone (UTC)"
    case .offsetTimestamp: "a timestamp in local time with a UTC offset"
    case .epochMillisTimestamp: "a timestamp as epoch milliseconds"
    case .numericStringPrice: "a v1 price written as a numeric string"
    case .extraKeys: "unknown extra keys (ignored), a currency key in a v1 payload among them"
    case .stateAtEarlierInstant:
      "a state event delivered after an earlier line of its product, at that line's exact instant"
    case .outOfOrder: "delivered a few lines late"
    case .lateDelivery: "delivered days late"
    }
  }

  /// The field a breaking fault edits; `nil` for those that rewrite the whole line.
  var brokenField: String? {
    switch self {
    case .invalidEventID: "event_id"
    case .badTimestamp: "event_timestamp"
    case .missingProductID: "product_id"
    case .missingOrderID: "order_id"
    case .unparseablePrice, .foreignCurrency, .negativePrice: "price"
    case .nullCategory: "category"
    case .invalidQuantity: "quantity"
    default: nil
    }
  }

  /// Whether this breaking fault can be a line's second, after `first`: both edit one field,
  /// different ones. A foreign currency only breaks a v2 payload, which only a first fault
  /// can ask for.
  func combines(with first: FaultKind) -> Bool {
    self != first && self != .foreignCurrency && family == .breaking
      && brokenField != nil && first.brokenField != nil && brokenField != first.brokenField
  }

  public static func < (lhs: FaultKind, rhs: FaultKind) -> Bool {
    lhs.index < rhs.index
  }
}
