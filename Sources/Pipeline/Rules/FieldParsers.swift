import ExportFormat

/// The contract's field rules as pure functions over text. Each returns `nil` for anything
/// the rules do not accept.
public enum FieldParsers {
  /// A UUID in its 8-4-4-4-12 hexadecimal form, any case; the result is lower-case.
  public static func uuid(_ text: some StringProtocol) -> String? {
    let utf8 = Array(text.utf8)
    guard utf8.count == 36 else { return nil }
    var lowered = [UInt8](repeating: 0, count: 36)
    for (index, byte) in utf8.enumerated() {
      if index == 8 || index == 13 || index == 18 || index == 23 {
        guard byte == UInt8(ascii: "-") else { return nil }
        lowered[index] = byte
        continue
      }
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"):
        lowered[index] = byte
      case UInt8(ascii: "A")...UInt8(ascii: "F"): lowered[index] = byte + 32
      default: return nil
      }
    }
    return String(decoding: lowered, as: UTF8.self)
  }

  /// `YYYY-MM-DD(T| )HH:MM:SS[.f{1,6}][Z|±hh:mm]`, naive meaning UTC; every field in its
  /// calendar range (hour 24 and second 60 are rejected).
  public static func timestamp(_ text: some StringProtocol) -> Instant? {
    let b = Array(text.utf8)
    guard b.count >= 19 else { return nil }
    func digits(_ start: Int, _ count: Int) -> Int? {
      guard start + count <= b.count else { return nil }
      var value = 0
      for index in start..<start + count {
        guard isDigit(b[index]) else { return nil }
        value = value * 10 + Int(b[index] - UInt8(ascii: "0"))
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
        microsecond = microsecond * 10 + Int(b[index] - UInt8(ascii: "0"))
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

  /// Epoch milliseconds (a JSON integer literal) within years 1 to 9999.
  public static func epochMillis(_ literal: some StringProtocol) -> Instant? {
    guard let millis = jsonInteger(literal),
      millis >= -62_135_596_800_000, millis <= 253_402_300_799_999
    else { return nil }
    return Instant(microseconds: millis * 1000)
  }

  /// A JSON integer literal (no fraction, no exponent) that fits in `Int64`.
  public static func jsonInteger(_ literal: some StringProtocol) -> Int64? {
    let b = Array(literal.utf8)
    guard !b.isEmpty else { return nil }
    let negative = b[0] == UInt8(ascii: "-")
    let digits = negative ? b.dropFirst() : b[...]
    guard !digits.isEmpty, digits.allSatisfy(isDigit),
      digits.count == 1 || digits.first != UInt8(ascii: "0")
    else { return nil }
    var value: Int64 = 0
    for byte in digits {
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let digit = Int64(byte - UInt8(ascii: "0"))
      let (sum, o2) =
        negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
      guard !o1, !o2 else { return nil }
      value = sum
    }
    return value
  }

  /// A price written as a decimal without exponent (`109.95`, `12`, `-3.5`): exact cents when
  /// its value has at most 2 fractional digits and its magnitude is below 10^10.
  public static func decimalPrice(_ text: some StringProtocol) -> Cents? {
    let b = Array(text.utf8)
    var index = 0
    let negative = index < b.count && b[index] == UInt8(ascii: "-")
    if negative { index += 1 }
    let integerStart = index
    while index < b.count, isDigit(b[index]) { index += 1 }
    let integerDigits = b[integerStart..<index]
    guard !integerDigits.isEmpty,
      integerDigits.count == 1 || integerDigits.first != UInt8(ascii: "0")
    else { return nil }
    var fraction: ArraySlice<UInt8> = []
    if index < b.count, b[index] == UInt8(ascii: ".") {
      index += 1
      let fractionStart = index
      while index < b.count, isDigit(b[index]) { index += 1 }
      fraction = b[fractionStart..<index]
      guard !fraction.isEmpty else { return nil }
    }
    guard index == b.count else { return nil }
    // Trailing zeros do not change the value: 12.500 is 12.50.
    while fraction.count > 2, fraction.last == UInt8(ascii: "0") { fraction = fraction.dropLast() }
    guard fraction.count <= 2 else { return nil }
    let significant = integerDigits.drop { $0 == UInt8(ascii: "0") }
    guard significant.count <= 10 else { return nil }
    var cents: Int64 = 0
    for byte in significant { cents = cents * 10 + Int64(byte - UInt8(ascii: "0")) }
    guard cents < 10_000_000_000 else { return nil }
    var fractionCents: Int64 = 0
    for position in 0..<2 {
      let digit =
        position < fraction.count
        ? Int64(fraction[fraction.startIndex + position] - UInt8(ascii: "0")) : 0
      fractionCents = fractionCents * 10 + digit
    }
    let total = cents * 100 + fractionCents
    return Cents(negative ? -total : total)
  }

  /// A v2 price: a JSON integer of cents whose dollar magnitude is below 10^10.
  public static func centsPrice(_ literal: some StringProtocol) -> Cents? {
    guard let cents = jsonInteger(literal), cents.magnitude < 1_000_000_000_000 else { return nil }
    return Cents(cents)
  }
}
