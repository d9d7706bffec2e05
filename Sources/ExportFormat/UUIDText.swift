/// The lower-case `8-4-4-4-12` text of a UUID given as two 64-bit halves: how `event_id` is
/// written in `history.csv`, and how the generator writes it (one formatter for both sides).
package func uuidText(high: UInt64, low: UInt64) -> String {
  String(unsafeUninitializedCapacity: 36) { writeUUIDText(high: high, low: low, into: $0) }
}

/// Writes that text at the start of `out` (36 bytes or more); returns 36.
package func writeUUIDText(
  high: UInt64, low: UInt64, into out: UnsafeMutableBufferPointer<UInt8>
) -> Int {
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
  return position
}
