import ExportFormat

/// A random (version 4) UUID as the generator writes `event_id`.
///
/// Ordering is numeric on the 128 bits, which equals the lexical order of the lower-case
/// text: the tie-break the SPEC asks for.
public struct EventID: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let high: UInt64
  public let low: UInt64

  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  static func random(_ stream: inout RandomStream) -> EventID {
    let high = (stream.next() & ~0xF000) | 0x4000
    let low = (stream.next() & ~(0xC000_0000_0000_0000 as UInt64)) | 0x8000_0000_0000_0000
    return EventID(high: high, low: low)
  }

  public static func < (lhs: EventID, rhs: EventID) -> Bool {
    (lhs.high, lhs.low) < (rhs.high, rhs.low)
  }

  /// Lower-case `8-4-4-4-12` text.
  public var description: String { uuidText(high: high, low: low) }
}
