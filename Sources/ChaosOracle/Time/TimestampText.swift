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
    case .utc: return .string(instant.exportText)
    case .pythonNaive:
      let fraction = instant.microsecondOfDay % Instant.microsecondsPerSecond
      return .string(wallText(instant, separator: "T", fractionDigits: fraction == 0 ? 0 : 6))
    case .naiveSpace:
      return .string(wallText(instant, separator: " ", fractionDigits: minimalDigits(instant)))
    case .offset(let minutes):
      let local = Instant(microseconds: instant.microseconds + Int64(minutes) * 60_000_000)
      let sign = minutes < 0 ? "-" : "+"
      let magnitude = abs(minutes)
      return .string(
        wallText(local, separator: "T", fractionDigits: minimalDigits(instant)) + sign
          + twoDigits(magnitude / 60) + ":" + twoDigits(magnitude % 60))
    case .epochMillis:
      precondition(instant.microseconds % 1000 == 0, "epoch millis would lose precision")
      return .integer(instant.microseconds / 1000)
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

/// `YYYY-MM-DD<sep>HH:MM:SS[.f…]` of the UTC wall time of `instant`.
func wallText(_ instant: Instant, separator: String, fractionDigits: Int) -> String {
  let ofDay = instant.microsecondOfDay
  let seconds = Int(ofDay / Instant.microsecondsPerSecond)
  var text =
    instant.date.isoText + separator + twoDigits(seconds / 3600) + ":"
    + twoDigits(seconds / 60 % 60) + ":" + twoDigits(seconds % 60)
  if fractionDigits > 0 {
    let micros = String(ofDay % Instant.microsecondsPerSecond)
    let six = String(repeating: "0", count: 6 - micros.count) + micros
    text += "." + six.prefix(fractionDigits)
  }
  return text
}

func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
