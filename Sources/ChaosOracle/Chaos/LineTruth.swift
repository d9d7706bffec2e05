import ExportFormat

/// What a delivered line means, known from how the generator built it (never from parsing
/// its bytes). This is everything the oracle needs to classify the line.
public struct LineTruth: Sendable, Hashable {
  /// What the price field of the line amounts to.
  public enum Price: Sendable, Hashable {
    /// The event type carries no price that the rules read.
    case notApplicable
    case valid(Cents)
    case unparseable
  }

  /// Rule 1: not a JSON object PostgreSQL `jsonb` could store (or not UTF-8, or NUL bytes).
  public var isMalformed = false
  /// `nil` when the event id is missing or not a UUID.
  public var eventID: EventID?
  /// Equal for two lines exactly when their envelopes are equal as `jsonb` values.
  public var contentID: UInt64 = 0
  /// `nil` for an event type outside the vocabulary.
  public var eventType: EventType?
  /// `nil` when the timestamp is missing or does not parse.
  public var time: Instant?
  /// `nil` when missing or not an integer >= 1.
  public var productID: Int64?
  /// `nil` when missing, empty or not a string.
  public var orderID: String?
  public var price: Price = .notApplicable
  /// `nil` when null, missing, empty or not a string.
  public var category: String?
  /// `nil` when not an integer >= 1.
  public var quantity: Int32?

  public init() {}

  /// A line that is not a storable JSON object.
  public static let malformed: LineTruth = {
    var truth = LineTruth()
    truth.isMalformed = true
    return truth
  }()

  /// The UTC date the line counts under in the quality mart; `nil` when unknown.
  public var eventDate: CivilDate? { isMalformed ? nil : time?.date }
}

/// One fault applied to a delivered line.
public struct FaultRecord: Sendable, Hashable {
  public var kind: FaultKind
  /// What the fault touched, for people reading `faults.csv`.
  public var detail: String

  public init(kind: FaultKind, detail: String) {
    self.kind = kind
    self.detail = detail
  }
}

/// One delivered line: its exact bytes (without the `\n`), its meaning and its faults.
public struct Delivery: Sendable, Hashable {
  public var bytes: [UInt8]
  public var truth: LineTruth
  public var faults: [FaultRecord]

  public init(bytes: [UInt8], truth: LineTruth, faults: [FaultRecord]) {
    self.bytes = bytes
    self.truth = truth
    self.faults = faults
  }
}
