/// Why a delivered line was rejected. Declared in the order the classification rules
/// apply them, which is also the column order of `quality_daily.csv`.
public enum ReasonCode: String, CaseIterable, Sendable, Hashable, Comparable {
  case malformedJSON = "malformed_json"
  case invalidEventID = "invalid_event_id"
  case conflictingDuplicate = "conflicting_duplicate"
  case unknownEventType = "unknown_event_type"
  case badTimestamp = "bad_timestamp"
  case inventoryError = "inventory_error"
  case missingProductID = "missing_product_id"
  case missingOrderID = "missing_order_id"
  case unparseablePrice = "unparseable_price"
  case negativePrice = "negative_price"
  case nullCategory = "null_category"
  case invalidQuantity = "invalid_quantity"
  case duplicateOrder = "duplicate_order"
  case orphanEvent = "orphan_event"

  /// Position in the rule list (0-based); lower applies first.
  public var rank: Int { Self.allCases.firstIndex(of: self)! }

  public static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool { lhs.rank < rhs.rank }
}

/// The one status every delivered line gets.
public enum LineStatus: Sendable, Hashable, CustomStringConvertible {
  case accepted
  case duplicate
  case invalid(ReasonCode)

  /// `accepted`, `duplicate` or `invalid`, as written in `status.csv`.
  public var name: String {
    switch self {
    case .accepted: "accepted"
    case .duplicate: "duplicate"
    case .invalid: "invalid"
    }
  }

  public var reason: ReasonCode? {
    if case .invalid(let reason) = self { return reason }
    return nil
  }

  public var description: String {
    if let reason { return "invalid: \(reason.rawValue)" }
    return name
  }
}

/// The five event types of the envelope vocabulary.
public enum EventType: String, CaseIterable, Sendable, Hashable {
  case productCreated = "product_created"
  case priceUpdated = "price_updated"
  case productDiscontinued = "product_discontinued"
  case orderPlaced = "order_placed"
  case inventoryError = "inventory_error"

  /// State events are the ones that build product history.
  public var isStateEvent: Bool {
    switch self {
    case .productCreated, .priceUpdated, .productDiscontinued: true
    case .orderPlaced, .inventoryError: false
    }
  }
}
