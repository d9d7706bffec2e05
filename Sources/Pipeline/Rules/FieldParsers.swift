import ExportFormat

/// The contract's field rules as pure functions. Each returns `nil` for anything the rules
/// do not accept. The byte forms are the hot path; the text forms wrap them.
package enum FieldParsers {
  typealias Bytes = UnsafeBufferPointer<UInt8>

  /// A UUID in its 8-4-4-4-12 hexadecimal form, any case; the result is lower-case.
  package static func uuid(_ text: String) -> String? {
    withBytes(text) { uuidKey($0) }?.description
  }

  /// `YYYY-MM-DD(T| )HH:MM:SS[.f{1,6}][Z|±hh:mm]`, naive meaning UTC; every field in its
  /// calendar range (hour 24 and second 60 are rejected), years 1 to 9999.
  package static func timestamp(_ text: String) -> Instant? { withBytes(text) { timestamp($0) } }

  /// Epoch milliseconds (a JSON integer literal) within years 1 to 9999.
  package static func epochMillis(_ literal: String) -> Instant? {
    withBytes(literal) { epochMillis($0) }
  }

  /// A JSON integer literal (no fraction, no exponent) that fits in `Int64`.
  package static func jsonInteger(_ literal: String) -> Int64? {
    withBytes(literal) { jsonInteger($0) }
  }

  /// A price written as a decimal without exponent (`109.95`, `12`, `-3.5`): exact cents when
  /// its value has at most 2 fractional digits and its magnitude is below 10^10.
  package static func decimalPrice(_ text: String) -> Cents? {
    withBytes(text) { decimalPrice($0) }
  }

  /// A v2 price: a JSON integer of cents whose dollar magnitude is below 10^10.
  package static func centsPrice(_ literal: String) -> Cents? {
    withBytes(literal) { centsPrice($0) }
  }

  private static func withBytes<T>(_ text: String, _ body: (Bytes) -> T?) -> T? {
    var copy = text
    return copy.withUTF8 { body($0) }
  }

  // MARK: - Byte forms

  static func uuidKey(_ b: Bytes) -> EventKey? {
    guard b.count == 36, b[8] == UInt8(ascii: "-"), b[13] == UInt8(ascii: "-"),
      b[18] == UInt8(ascii: "-"), b[23] == UInt8(ascii: "-")
    else { return nil }
    // The 32 digits' values, or'ed together to find a byte that is no digit (0x10) once.
    var high: UInt64 = 0
    var low: UInt64 = 0
    var invalid: UInt8 = 0
    for index in 0..<36 where index != 8 && index != 13 && index != 18 && index != 23 {
      let value = hexValue(b[index])
      invalid |= value
      if index < 19 {
        high = high << 4 | UInt64(value & 0xF)
      } else {
        low = low << 4 | UInt64(value & 0xF)
      }
    }
    return invalid & 0x10 == 0 ? EventKey(high: high, low: low) : nil
  }

  /// A hex digit's value (0-15, either case), or 0x10 for any other byte.
  @inline(__always) private static func hexValue(_ byte: UInt8) -> UInt8 {
    let digit = byte &- UInt8(ascii: "0")
    if digit < 10 { return digit }
    let letter = (byte | 0x20) &- UInt8(ascii: "a")
    return letter < 6 ? letter &+ 10 : 0x10
  }

  static func timestamp(_ b: Bytes) -> Instant? {
    guard b.count >= 19 else { return nil }
    func digits(_ start: Int, _ count: Int) -> Int? {
      guard start + count <= b.count else { return nil }
      var value = 0
      for index in start..<start + count {
        guard isDigit(b[index]) else { return nil }
        value = value * 10 + Int(b[index] &- UInt8(ascii: "0"))
      }
      return value
    }
    guard let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2),
      b[7] == UInt8(ascii: "-"), let day = digits(8, 2),
      b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
      let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
      b[16] == UInt8(ascii: ":"), let second = digits(17, 2)
    else { return nil }
    var index = 19
    var microsecond = 0
    if index < b.count, b[index] == UInt8(ascii: ".") {
      index += 1
      var count = 0
      while index < b.count, isDigit(b[index]) {
        count += 1
        guard count <= 6 else { return nil }
        microsecond = microsecond * 10 + Int(b[index] &- UInt8(ascii: "0"))
        index += 1
      }
      guard count > 0 else { return nil }
      for _ in count..<6 { microsecond *= 10 }
    }
    var offsetMinutes = 0
    if index < b.count {
      switch b[index] {
      case UInt8(ascii: "Z"):
        index += 1
      case UInt8(ascii: "+"), UInt8(ascii: "-"):
        guard let hours = digits(index + 1, 2), index + 3 < b.count,
          b[index + 3] == UInt8(ascii: ":"), let minutes = digits(index + 4, 2), hours <= 23,
          minutes <= 59
        else { return nil }
        offsetMinutes = (hours * 60 + minutes) * (b[index] == UInt8(ascii: "-") ? -1 : 1)
        index += 6
      default:
        return nil
      }
    }
    guard index == b.count,
      let local = Instant(
        year: year, month: month, day: day, hour: hour, minute: minute, second: second,
        microsecond: microsecond)
    else { return nil }
    let utc = Instant(microseconds: local.microseconds - Int64(offsetMinutes) * 60_000_000)
    return utc.date.year >= 1 && utc.date.year <= 9999 ? utc : nil
  }

  static func epochMillis(_ b: Bytes) -> Instant? {
    guard let millis = jsonInteger(b),
      millis >= -62_135_596_800_000, millis <= 253_402_300_799_999
    else { return nil }
    return Instant(microseconds: millis * 1000)
  }

  static func jsonInteger(_ b: Bytes) -> Int64? {
    guard !b.isEmpty else { return nil }
    let negative = b[0] == UInt8(ascii: "-")
    let first = negative ? 1 : 0
    guard first < b.count, b.count - first == 1 || b[first] != UInt8(ascii: "0") else { return nil }
    var value: Int64 = 0
    for index in first..<b.count {
      let byte = b[index]
      guard isDigit(byte) else { return nil }
      let digit = Int64(byte &- UInt8(ascii: "0"))
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) =
        negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
      guard !o1, !o2 else { return nil }
      value = sum
    }
    return value
  }

  static func decimalPrice(_ b: Bytes) -> Cents? {
    var index = 0
    let negative = index < b.count && b[index] == UInt8(ascii: "-")
    if negative { index += 1 }
    let integerStart = index
    while index < b.count, isDigit(b[index]) { index += 1 }
    let integerCount = index - integerStart
    guard integerCount > 0, integerCount == 1 || b[integerStart] != UInt8(ascii: "0") else {
      return nil
    }
    var fractionStart = index
    var fractionCount = 0
    if index < b.count, b[index] == UInt8(ascii: ".") {
      index += 1
      fractionStart = index
      while index < b.count, isDigit(b[index]) { index += 1 }
      fractionCount = index - fractionStart
      guard fractionCount > 0 else { return nil }
    }
    guard index == b.count else { return nil }
    // Trailing zeros do not change the value: 12.500 is 12.50.
    while fractionCount > 2, b[fractionStart + fractionCount - 1] == UInt8(ascii: "0") {
      fractionCount -= 1
    }
    guard fractionCount <= 2 else { return nil }
    var whole: Int64 = 0
    var significant = 0
    for position in integerStart..<(integerStart + integerCount) {
      let digit = Int64(b[position] &- UInt8(ascii: "0"))
      if significant > 0 || digit != 0 { significant += 1 }
      guard significant <= 10 else { return nil }
      whole = whole * 10 + digit
    }
    guard whole < 10_000_000_000 else { return nil }
    var fraction: Int64 = 0
    for position in 0..<2 {
      let digit =
        position < fractionCount ? Int64(b[fractionStart + position] &- UInt8(ascii: "0")) : 0
      fraction = fraction * 10 + digit
    }
    let total = whole * 100 + fraction
    return Cents(negative ? -total : total)
  }

  static func centsPrice(_ b: Bytes) -> Cents? {
    guard let cents = jsonInteger(b), cents.magnitude < 1_000_000_000_000 else { return nil }
    return Cents(cents)
  }
}
