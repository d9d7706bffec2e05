import ExportFormat
import PropertyBased
import Testing

@testable import ChaosOracle

/// The generator writes integers, prices, UUIDs and timestamps straight to bytes. Each
/// writer must give exactly the text the value's own text form (or a reference built from
/// its fields) gives, at the edges of its type.
@Suite("Values written straight to bytes")
struct JSONTextWriterTests {
  @Test("an integer is its decimal text, at every Int64")
  func integers() async {
    for value in [Int64.min, Int64.min + 1, -10, -9, -1, 0, 1, 9, 10, 99, 100, Int64.max] {
      #expect(JSONText.int(value).bytes() == Array(String(value).utf8), "\(value)")
    }
    await propertyCheck(count: PropertyProfile.cases(200), input: Gen.int64(in: .min ... .max)) {
      value in
      #expect(JSONText.int(value).bytes() == Array(String(value).utf8), "\(value)")
    }
    #expect(JSONText.integer(UInt64.max).bytes() == Array("18446744073709551615".utf8))
  }

  @Test("a price is Python's repr of the 2-decimal float, at every amount Cents holds")
  func prices() async {
    let edges: [Int128] = [.min, .min + 1, -1000, -105, -100, -5, -1, 0, 1, 5, 10, 99, 100, .max]
    for value in edges {
      #expect(
        JSONText.pythonFloat(Cents(value)).bytes() == Array(Cents(value).pythonFloatLiteral.utf8),
        "\(value)")
    }
    #expect(JSONText.pythonFloat(Cents(1234)).bytes() == Array("12.34".utf8))
    #expect(JSONText.pythonFloat(Cents(1250)).bytes() == Array("12.5".utf8))
    #expect(JSONText.pythonFloat(Cents(-1200)).bytes() == Array("-12.0".utf8))
    await propertyCheck(
      count: PropertyProfile.cases(200), input: Gen.int64(in: .min ... .max), Gen.int(in: 0...3)
    ) { cents, scale in
      let value = Cents(Int128(cents) * [1, 10, 1_000_000_007, 1 << 62][scale])
      #expect(
        JSONText.pythonFloat(value).bytes() == Array(value.pythonFloatLiteral.utf8), "\(value)")
    }
  }

  @Test("a UUID is its lower-case 8-4-4-4-12 text")
  func uuids() async {
    // the reference: both halves in hex, zero-padded, cut 8-4-4-4-12
    func reference(_ high: UInt64, _ low: UInt64) -> String {
      let hex = [high, low].map {
        let digits = String($0, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
      }.joined()
      var text = ""
      for (index, character) in hex.enumerated() {
        if [8, 12, 16, 20].contains(index) { text.append("-") }
        text.append(character)
      }
      return "\"" + text + "\""
    }
    #expect(
      JSONText.uuid(EventID(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98)).bytes()
        == Array("\"01234567-89ab-cdef-0000-0000fedcba98\"".utf8))
    for (high, low) in [(UInt64(0), UInt64(0)), (.max, .max), (0x0123_4567_89AB_CDEF, 0xFEDC_BA98)]
    {
      #expect(
        JSONText.uuid(EventID(high: high, low: low)).bytes() == Array(reference(high, low).utf8))
    }
    await propertyCheck(
      count: PropertyProfile.cases(200), input: Gen.int64(in: .min ... .max),
      Gen.int64(in: .min ... .max)
    ) { high, low in
      let (high, low) = (UInt64(bitPattern: high), UInt64(bitPattern: low))
      #expect(
        JSONText.uuid(EventID(high: high, low: low)).bytes() == Array(reference(high, low).utf8))
    }
  }

  @Test("each timestamp style writes what a reference built from the calendar fields writes")
  func timestamps() async {
    // years 1 to 9999, a day inside either end so that any offset stays in range
    let first = Instant(year: 1, month: 1, day: 2)!.microseconds
    let last = Instant(year: 9999, month: 12, day: 30)!.microseconds
    let styles: [TimestampStyle] = [.utc, .pythonNaive, .naiveSpace, .offset(minutes: 0)]
    await propertyCheck(
      count: PropertyProfile.cases(300), input: Gen.int64(in: first...last),
      Gen.int(in: 0...3), Gen.int(in: -840...840), Gen.int(in: 0...6)
    ) { microseconds, styleIndex, minutes, zeros in
      // instants with 0 to 6 trailing zero digits of microseconds, so every fraction width shows
      let rounding = Int64([1, 10, 100, 1000, 10_000, 100_000, 1_000_000][zeros])
      let instant = Instant(microseconds: microseconds / rounding * rounding)
      var style = styles[styleIndex]
      if case .offset = style { style = .offset(minutes: minutes) }
      #expect(
        JSONText.timestamp(instant, style).bytes()
          == Array("\"\(reference(instant, style))\"".utf8),
        "\(instant.exportText) \(style)")
    }
  }

  @Test("a string escapes the quote, the backslash, controls and every non-ASCII UTF-16 unit")
  func strings() async {
    let samples = [
      "", "plain", "q\"b\\", "\n\r\t\u{8}\u{1F}\u{7F}", "é", "\u{301}", "中文", "😀x", "\u{10FFFF}",
    ]
    for text in samples {
      #expect(
        JSONText.string(text).bytes() == Array(escaped(text).utf8), "\(text.debugDescription)")
    }
    for special in ["\"", "\\", "\n", "\u{1F}", "\u{7F}", "é", "😀", "\u{0}"] {
      for offset in 0..<20 {
        let text =
          String(repeating: "p", count: offset) + special + String(repeating: "q", count: 9)
        #expect(
          JSONText.string(text).bytes() == Array(escaped(text).utf8), "\(text.debugDescription)")
      }
    }
    // plain runs longer than a word, so the eight-at-a-time skip meets every special byte
    // at every offset of a word
    let scalars: [Character] = [
      "a", "b", "c", "d", "e", "f", "g", "h",
      "a", " ", "\"", "\\", "\n", "\u{0}", "\u{7F}", "é", "\u{FFFF}", "😀", "\u{E000}",
    ]
    let text = Gen<Character?>.element(of: scalars).map { $0! }.string(of: 0...40)
    await propertyCheck(count: PropertyProfile.cases(200), input: text) { text in
      #expect(
        JSONText.string(text).bytes() == Array(escaped(text).utf8), "\(text.debugDescription)")
    }
  }

  /// Python's `json.dumps` with `ensure_ascii`, but `\u` for every control but LF, CR and tab.
  private func escaped(_ text: String) -> String {
    var out = "\""
    for unit in text.utf16 {
      switch unit {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case 0x09: out += "\\t"
      case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
      default:
        let hex = String(unit, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      }
    }
    return out + "\""
  }

  /// Built from the calendar fields with string formatting (not the export writer).
  private func reference(_ instant: Instant, _ style: TimestampStyle) -> String {
    func padded(_ value: Int64, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    func wall(_ instant: Instant, _ separator: String, _ digits: Int) -> String {
      let date = instant.date
      let ofDay = instant.microsecondOfDay
      let seconds = ofDay / 1_000_000
      let clock =
        padded(seconds / 3600, 2) + ":" + padded(seconds / 60 % 60, 2) + ":"
        + padded(seconds % 60, 2)
      let fraction = padded(ofDay % 1_000_000, 6).prefix(digits)
      return padded(Int64(date.year), 4) + "-" + padded(Int64(date.month), 2) + "-"
        + padded(Int64(date.day), 2) + separator + clock + (digits == 0 ? "" : "." + fraction)
    }
    let fraction = padded(instant.microsecondOfDay % 1_000_000, 6)
    let trimmed = fraction.reversed().drop { $0 == "0" }.count
    switch style {
    case .utc: return wall(instant, "T", 6) + "Z"
    case .pythonNaive: return wall(instant, "T", trimmed == 0 ? 0 : 6)
    case .naiveSpace: return wall(instant, " ", trimmed)
    case .offset(let minutes):
      let local = Instant(microseconds: instant.microseconds + Int64(minutes) * 60_000_000)
      let magnitude = Int64(abs(minutes))
      return wall(local, "T", trimmed) + (minutes < 0 ? "-" : "+") + padded(magnitude / 60, 2)
        + ":" + padded(magnitude % 60, 2)
    case .epochMillis: return String(instant.microseconds / 1000)
    }
  }

}
