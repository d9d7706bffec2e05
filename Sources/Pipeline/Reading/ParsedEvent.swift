import ExportFormat

/// What the pipeline reads from one delivered line: every field the classification rules
/// look at, already judged by the parsing rules.
package struct ParsedEvent: Sendable, Hashable {
  package enum Price: Sendable, Hashable {
    /// The event type has no price the rules read.
    case notApplicable
    case valid(Cents)
    case unparseable
  }

  /// Rule 1: not a JSON object `jsonb` can store, or its payload is not an object.
  package var isMalformed = false
  /// `nil` when missing or not a UUID.
  package var eventID: EventKey?
  /// `nil` when not one of the five names.
  package var eventType: EventType?
  /// `nil` when missing or unparseable.
  package var time: Instant?
  package var productID: Int64?
  package var orderID: String?
  package var price: Price = .notApplicable
  package var category: String?
  package var quantity: Int32?

  package init() {}

  static let malformed: ParsedEvent = {
    var event = ParsedEvent()
    event.isMalformed = true
    return event
  }()

  /// The date the line counts under in the quality mart.
  package var eventDate: CivilDate? { isMalformed ? nil : time?.date }
}
