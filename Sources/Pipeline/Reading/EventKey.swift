/// A parsed `event_id`: 128 bits whose numeric order is the lexical order of the lower-case
/// text, the tie-break the history rules use.
public struct EventKey: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let high: UInt64
  public let low: UInt64

  init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  public static func < (lhs: EventKey, rhs: EventKey) -> Bool {
    (lhs.high, lhs.low) < (rhs.high, rhs.low)
  }

  public var description: String {
    String(unsafeUninitializedCapacity: 36) { out in
      let digits: StaticString = "0123456789abcdef"
      var position = 0
      for index in 0..<32 {
        if index == 8 || index == 12 || index == 16 || index == 20 {
          out[position] = UInt8(ascii: "-")
          position += 1
        }
        let word = index < 16 ? high : low
        let shift = UInt64(60 - (index % 16) * 4)
        out[position] = digits.utf8Start[Int((word >> shift) & 0xF)]
        position += 1
      }
      return 36
    }
  }
}
