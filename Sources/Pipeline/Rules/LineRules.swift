import ExportFormat

/// Rules 4 to 11: what a single line's own content can fail, first failing rule first.
/// (Rules 1–3 need the line's group, 12–13 need other lines.)
package enum LineRules {
  package static func firstFailure(_ event: ParsedEvent) -> ReasonCode? {
    guard let type = event.eventType else { return .unknownEventType }
    if event.time == nil { return .badTimestamp }
    if type == .inventoryError { return .inventoryError }
    if event.productID == nil { return .missingProductID }
    if type == .orderPlaced, event.orderID == nil { return .missingOrderID }
    if type == .productCreated || type == .priceUpdated {
      guard case .valid(let price) = event.price else { return .unparseablePrice }
      if price.value < 0 { return .negativePrice }
    }
    if type == .productCreated, event.category == nil { return .nullCategory }
    if type == .orderPlaced, event.quantity == nil { return .invalidQuantity }
    return nil
  }
}
