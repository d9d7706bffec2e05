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
      appendTwoDigits(magnitude / 60, into: &out)
      out.append(UInt8(ascii: ":"))
      appendTwoDigits(magnitude % 60, into: &out)
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
/// `fractionDigits` of its six microsecond digits (the export format's writer).
func writeWallText(
  _ instant: Instant, separator: UInt8, fractionDigits: Int, into out: inout ByteWriter
) {
  out.append(atMost: 26) {
    writeWallClock(instant, separator: separator, fractionDigits: fractionDigits, into: $0)
  }
}

/// Writes the last two decimal digits of `value`, zero-padded.
func appendTwoDigits(_ value: Int, into out: inout ByteWriter) {
  out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10 % 10))
  out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10))
}
