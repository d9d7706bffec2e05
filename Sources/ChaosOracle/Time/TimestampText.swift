import ExportFormat

/// The ways a producer writes `event_timestamp`. Every style here writes the instant
/// exactly (epoch milliseconds only for instants without a sub-millisecond part).
enum TimestampStyle: Sendable, Hashable {
  /// `2026-01-05T10:00:00.123456Z`, the canonical form.
  case utc
  /// Python's `datetime.isoformat()` of a naive UTC time: `2026-01-05T10:00:00.123456`,
  /// no fraction when the microsecond is zero.
  case pythonNaive
  /// Naive with a space separator and only as many fraction digits as needed.
  case naiveSpace
  /// Local wall time with a `±hh:mm` offset and as many fraction digits as needed.
  case offset(minutes: Int)
  /// A JSON integer of epoch milliseconds.
  case epochMillis

  func render(_ instant: Instant) -> JSONText {
    switch self {
    case .epochMillis:
      precondition(instant.microseconds % 1000 == 0, "epoch millis would lose precision")
      return .integer(instant.microseconds / 1000)
    default: return .timestamp(instant, self)
    }
  }

  /// Writes the text of a string style (without quotes).
  func write(_ instant: Instant, into out: inout ByteWriter) {
    switch self {
    case .utc:
      writeWallText(instant, separator: UInt8(ascii: "T"), fractionDigits: 6, into: &out)
      out.append(UInt8(ascii: "Z"))
    case .pythonNaive:
      let fraction = instant.microsecondOfDay % Instant.microsecondsPerSecond
      writeWallText(
        instant, separator: UInt8(ascii: "T"), fractionDigits: fraction == 0 ? 0 : 6, into: &out)
    case .naiveSpace:
      writeWallText(
        instant, separator: UInt8(ascii: " "), fractionDigits: minimalDigits(instant), into: &out)
    case .offset(let minutes):
      let local = Instant(microseconds: instant.microseconds + Int64(minutes) * 60_000_000)
      writeWallText(
        local, separator: UInt8(ascii: "T"), fractionDigits: minimalDigits(instant), into: &out)
      let magnitude = abs(minutes)
      out.append(UInt8(ascii: minutes < 0 ? "-" : "+"))
      appendDigits(magnitude / 60, width: 2, into: &out)
      out.append(UInt8(ascii: ":"))
      appendDigits(magnitude % 60, width: 2, into: &out)
    case .epochMillis:
      JSONText.writeInteger(instant.microseconds / 1000, into: &out)
    }
  }
}

/// The fewest fraction digits (0 to 6) that write `instant` exactly.
func minimalDigits(_ instant: Instant) -> Int {
  var fraction = instant.microsecondOfDay % Instant.microsecondsPerSecond
  guard fraction != 0 else { return 0 }
  var digits = 6
  while fraction % 10 == 0 {
    fraction /= 10
    digits -= 1
  }
  return digits
}

/// Writes `YYYY-MM-DD<sep>HH:MM:SS[.f…]`, the UTC wall time of `instant`, with the first
/// `fractionDigits` of its six microsecond digits.
func writeWallText(
  _ instant: Instant, separator: UInt8, fractionDigits: Int, into out: inout ByteWriter
) {
  let date = instant.date
  let ofDay = instant.microsecondOfDay
  let seconds = Int(ofDay / Instant.microsecondsPerSecond)
  let digits = min(max(fractionDigits, 0), 6)
  // composed in a stack buffer and appended once: 26 bytes at most
  withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 26) { text in
    putDigits(date.year, 4, text, 0)
    text[4] = UInt8(ascii: "-")
    putDigits(date.month, 2, text, 5)
    text[7] = UInt8(ascii: "-")
    putDigits(date.day, 2, text, 8)
    text[10] = separator
    putDigits(seconds / 3600, 2, text, 11)
    text[13] = UInt8(ascii: ":")
    putDigits(seconds / 60 % 60, 2, text, 14)
    text[16] = UInt8(ascii: ":")
    putDigits(seconds % 60, 2, text, 17)
    var count = 19
    if digits > 0 {
      text[19] = UInt8(ascii: ".")
      let micros = Int(ofDay % Instant.microsecondsPerSecond)
      putDigits(micros / pow10[6 - digits], digits, text, 20)
      count = 20 + digits
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<count]))
  }
}

private let pow10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000]

/// Writes the last `width` decimal digits of `value` (from 0), zero-padded, at `offset`, as
/// `Instant.exportText` does.
@inline(__always) private func putDigits(
  _ value: Int, _ width: Int, _ text: UnsafeMutableBufferPointer<UInt8>, _ offset: Int
) {
  var rest = value
  for position in stride(from: offset + width - 1, through: offset, by: -1) {
    text[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
    rest /= 10
  }
}

/// Writes the last `width` (at most 8) decimal digits of `value`, zero-padded.
func appendDigits(_ value: Int, width: Int, into out: inout ByteWriter) {
  withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { text in
    putDigits(value, min(width, 8), text, 0)
    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<min(width, 8)]))
  }
}
