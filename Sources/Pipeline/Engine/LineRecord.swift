import ExportFormat

/// What the memory engine keeps of one delivered line once it is read: the fields the rules
/// look at, in 48 bytes (a `ParsedEvent` takes 128), with the category and `order_id`
/// replaced by their number in the engine's text tables and rules 4–11 already applied.
struct LineRecord: Sendable {
  var eventID = EventKey(high: 0, low: 0)
  /// Microseconds since the epoch; meaningful only when `hasTime`.
  private var timeValue: Int64 = 0
  /// 0 when missing (valid product ids start at 1).
  private var productValue: Int64 = 0
  /// The price in cents (product_created, price_updated) or the quantity (order_placed).
  private var amount: Int64 = 0
  /// The category's (product_created) or `order_id`'s (order_placed) number, -1 for none.
  var text: Int32 = -1
  private var typeCode: UInt8 = LineRecord.noType
  private var flags: UInt8 = 0
  /// Rules 4–11: `ReasonCode` position + 1 of the first that fails, 0 when all pass.
  private var contentCode: UInt8 = 0

  private static let noType: UInt8 = 0xFF
  private static let malformedFlag: UInt8 = 1
  private static let eventIDFlag: UInt8 = 2
  private static let timeFlag: UInt8 = 4
  private static let eventTypes = EventType.allCases
  private static let reasons = ReasonCode.allCases

  /// The record of `event`, with `text` its category or `order_id` number.
  init(_ event: ParsedEvent, text: Int32) {
    self.text = text
    if event.isMalformed {
      flags = Self.malformedFlag
      return
    }
    if let id = event.eventID {
      eventID = id
      flags |= Self.eventIDFlag
    }
    if let time = event.time {
      timeValue = time.microseconds
      flags |= Self.timeFlag
    }
    productValue = event.productID ?? 0
    if let type = event.eventType {
      typeCode = UInt8(truncatingIfNeeded: Self.eventTypes.firstIndex(of: type) ?? 0)
    }
    var failure = LineRules.firstFailure(event)
    switch event.eventType {
    case .productCreated?, .priceUpdated?:
      // A parsed price is below 10^12 cents (10^10 dollars), so it fits 64 bits.
      if case .valid(let cents) = event.price {
        if let value = Int64(exactly: cents.value) {
          amount = value
        } else if failure == nil {
          failure = .unparseablePrice
        }
      }
    case .orderPlaced?:
      amount = Int64(event.quantity ?? 0)
    default:
      break
    }
    if let failure {
      contentCode = UInt8(truncatingIfNeeded: (Self.reasons.firstIndex(of: failure) ?? 0) + 1)
    }
  }

  /// Rule 1.
  var isMalformed: Bool { flags & Self.malformedFlag != 0 }
  /// Rule 2 passes.
  var hasEventID: Bool { flags & Self.eventIDFlag != 0 }
  var time: Instant? { flags & Self.timeFlag != 0 ? Instant(microseconds: timeValue) : nil }
  var eventType: EventType? { typeCode == Self.noType ? nil : Self.eventTypes[Int(typeCode)] }
  var productID: Int64? { productValue >= 1 ? productValue : nil }
  /// The first of rules 4–11 the line fails, if any.
  var contentFailure: ReasonCode? { contentCode == 0 ? nil : Self.reasons[Int(contentCode) - 1] }
  var price: Cents { Cents(amount) }
  var quantity: Int64 { amount }
  /// The date the line counts under in the quality mart.
  var eventDate: CivilDate? { isMalformed ? nil : time?.date }
  /// Rule 12's order among orders sharing an `order_id`: event time, then `event_id`.
  var sortKey: (Int64, EventKey) { (timeValue, eventID) }
}
