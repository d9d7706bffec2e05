/// A UTC instant with microsecond precision: microseconds since 1970-01-01T00:00:00Z.
///
/// Formatting is done by hand (no Foundation formatters) so that output bytes never depend
/// on the machine's locale, time zone or Foundation version.
public struct Instant: Sendable, Hashable, Comparable {
  public var microseconds: Int64

  public init(microseconds: Int64) { self.microseconds = microseconds }

  public static let microsecondsPerSecond: Int64 = 1_000_000
  public static let microsecondsPerDay: Int64 = 86_400 * 1_000_000

  /// Builds an instant from UTC calendar fields; `nil` when a field is out of range.
  public init?(
    year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
    microsecond: Int = 0
  ) {
    guard let date = CivilDate(year: year, month: month, day: day),
      (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
      (0...999_999).contains(microsecond)
    else { return nil }
    let seconds = Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
    microseconds =
      date.daysSinceEpoch * Self.microsecondsPerDay + seconds * Self.microsecondsPerSecond
      + Int64(microsecond)
  }

  public static func < (lhs: Instant, rhs: Instant) -> Bool {
    lhs.microseconds < rhs.microseconds
  }

  /// The UTC calendar date this instant falls on.
  public var date: CivilDate {
    CivilDate(daysSinceEpoch: floorDiv(microseconds, Self.microsecondsPerDay))
  }

  /// Microseconds since the start of the UTC day.
  public var microsecondOfDay: Int64 { floorMod(microseconds, Self.microsecondsPerDay) }

  /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, the export format.
  public var exportText: String {
    String(unsafeUninitializedCapacity: 27) { out in
      let count = writeWallClock(self, separator: UInt8(ascii: "T"), fractionDigits: 6, into: out)
      out[count] = UInt8(ascii: "Z")
      return count + 1
    }
  }
}

/// Writes `YYYY-MM-DD<separator>HH:MM:SS[.f…]`, the UTC wall time of `instant` with the first
/// `fractionDigits` (0 to 6) of its microseconds, at the start of `out` (26 bytes or more);
/// returns how many bytes it wrote. The export format and the generator's timestamps alike.
package func writeWallClock(
  _ instant: Instant, separator: UInt8, fractionDigits: Int,
  into out: UnsafeMutableBufferPointer<UInt8>
) -> Int {
  let date = instant.date
  let ofDay = instant.microsecondOfDay
  let seconds = Int(ofDay / Instant.microsecondsPerSecond)
  writeDigits(date.year, 4, out, 0)
  out[4] = UInt8(ascii: "-")
  writeDigits(date.month, 2, out, 5)
  out[7] = UInt8(ascii: "-")
  writeDigits(date.day, 2, out, 8)
  out[10] = separator
  writeDigits(seconds / 3600, 2, out, 11)
  out[13] = UInt8(ascii: ":")
  writeDigits(seconds / 60 % 60, 2, out, 14)
  out[16] = UInt8(ascii: ":")
  writeDigits(seconds % 60, 2, out, 17)
  let digits = min(max(fractionDigits, 0), 6)
  guard digits > 0 else { return 19 }
  out[19] = UInt8(ascii: ".")
  var micros = Int(ofDay % Instant.microsecondsPerSecond)
  for _ in digits..<6 { micros /= 10 }
  writeDigits(micros, digits, out, 20)
  return 20 + digits
}

/// Writes `value` as exactly `width` decimal digits at `offset` (its last `width` digits).
@inline(__always) package func writeDigits(
  _ value: Int, _ width: Int, _ out: UnsafeMutableBufferPointer<UInt8>, _ offset: Int
) {
  var rest = value
  for position in stride(from: offset + width - 1, through: offset, by: -1) {
    out[position] = UInt8(ascii: "0") + UInt8(rest % 10)
    rest /= 10
  }
}

/// A proleptic Gregorian calendar date.
public struct CivilDate: Sendable, Hashable, Comparable {
  public let year: Int
  public let month: Int
  public let day: Int

  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...CivilDate.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Converts a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
  public init(daysSinceEpoch days: Int64) {
    let z = days + 719_468
    let era = floorDiv(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
    month = Int(m)
    day = Int(d)
  }

  /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
  public var daysSinceEpoch: Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = floorDiv(y, 400)
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// `YYYY-MM-DD`.
  public var isoText: String {
    String(unsafeUninitializedCapacity: 10) { out in
      writeDigits(year, 4, out, 0)
      out[4] = UInt8(ascii: "-")
      writeDigits(month, 2, out, 5)
      out[7] = UInt8(ascii: "-")
      writeDigits(day, 2, out, 8)
      return 10
    }
  }

  public static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  public static func isLeap(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
  let q = a / b
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

@inline(__always) func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

/// Zero-pads a non-negative number to `width` digits.
@inline(__always) func pad(_ value: Int64, _ width: Int) -> String {
  let digits = String(value)
  return digits.count >= width
    ? digits : String(repeating: "0", count: width - digits.count) + digits
}
