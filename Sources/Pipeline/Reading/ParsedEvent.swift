import ExportFormat

/// What the pipeline reads from one delivered line: every field the classification rules
/// look at, already judged by the parsing rules.
public struct ParsedEvent: Sendable, Hashable {
  public enum Price: Sendable, Hashable {
    /// The event type has no price the rules read.
    case notApplicable
    case valid(Cents)
    case unparseable
  }

  /// Rule 1: not a JSON object `jsonb` can store, or its payload is not an object.
  public var isMalformed = false
  /// `nil` when missing or not a UUID.
  public var eventID: EventKey?
  /// `nil` when not one of the five names.
  public var eventType: EventType?
  /// `nil` when missing or unparseable.
  public var time: Instant?
  public var productID: Int64?
  public var orderID: String?
  public var price: Price = .notApplicable
  public var category: String?
  public var quantity: Int32?

  public init() {}

  static let malformed: ParsedEvent = {
    var event = ParsedEvent()
    event.isMalformed = true
    return event
  }()

  /// The date the line counts under in the quality mart.
  public var eventDate: CivilDate? { isMalformed ? nil : time?.date }
}
