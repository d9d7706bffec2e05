import ExportFormat

/// A parsed `event_id`: 128 bits whose numeric order is the lexical order of the lower-case
/// text, the tie-break the history rules use.
package struct EventKey: Sendable, Hashable, Comparable, CustomStringConvertible {
  package let high: UInt64
  package let low: UInt64

  init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  package static func < (lhs: EventKey, rhs: EventKey) -> Bool {
    (lhs.high, lhs.low) < (rhs.high, rhs.low)
  }

  package var description: String { uuidText(high: high, low: low) }
}
