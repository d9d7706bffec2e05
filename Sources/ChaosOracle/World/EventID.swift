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
  public var description: String {
    let hex = hex16(high) + hex16(low)
    var text = ""
    for (index, character) in hex.enumerated() {
      if index == 8 || index == 12 || index == 16 || index == 20 { text.append("-") }
      text.append(character)
    }
    return text
  }
}

private func hex16(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: 16 - digits.count) + digits
}
