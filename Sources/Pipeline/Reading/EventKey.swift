/// A parsed `event_id`: 128 bits whose numeric order is the lexical order of the lower-case
/// text, the tie-break the history rules use.
public struct EventKey: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let high: UInt64
  public let low: UInt64

  /// Parses lower-case canonical UUID text (as `FieldParsers.uuid` returns it).
  init?(canonical text: String) {
    var high: UInt64 = 0
    var low: UInt64 = 0
    var count = 0
    for byte in text.utf8 where byte != UInt8(ascii: "-") {
      let digit: UInt64 =
        byte <= UInt8(ascii: "9")
        ? UInt64(byte - UInt8(ascii: "0")) : UInt64(byte - UInt8(ascii: "a") + 10)
      if count < 16 { high = high << 4 | digit } else { low = low << 4 | digit }
      count += 1
    }
    guard count == 32 else { return nil }
    self.high = high
    self.low = low
  }

  public static func < (lhs: EventKey, rhs: EventKey) -> Bool {
    (lhs.high, lhs.low) < (rhs.high, rhs.low)
  }

  public var description: String {
    var text = ""
    text.reserveCapacity(36)
    let digits = Array("0123456789abcdef")
    for index in 0..<32 {
      if index == 8 || index == 12 || index == 16 || index == 20 { text.append("-") }
      let word = index < 16 ? high : low
      let shift = UInt64(60 - (index % 16) * 4)
      text.append(digits[Int((word >> shift) & 0xF)])
    }
    return text
  }
}
