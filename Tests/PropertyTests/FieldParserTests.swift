import ExportFormat
import PropertyBased
import Testing

@testable import Pipeline

@Suite("Field parsers: prices")
struct PriceParserTests {
  @Test("every price written with 0 to 2 decimals parses back exactly, as number or string")
  func roundTrip() async {
    await propertyCheck(input: Gen.int64(in: -999_999_999_999...999_999_999_999)) { cents in
      let whole = String(cents.magnitude / 100)
      let fraction = cents.magnitude % 100
      let sign = cents < 0 ? "-" : ""
      var forms = [sign + whole + "." + (fraction < 10 ? "0" : "") + String(fraction)]
      if fraction % 10 == 0 { forms.append(sign + whole + "." + String(fraction / 10)) }
      if fraction == 0 { forms.append(sign + whole) }
      for form in forms {
        #expect(FieldParsers.decimalPrice(form) == Cents(cents), "\(form)")
      }
      #expect(FieldParsers.centsPrice(String(cents)) == Cents(cents))
    }
  }

  @Test(
    "forms the contract rejects are rejected",
    arguments: [
      "12,50", "$5", "12.345", "1e3", "1E3", "1.5e1", "", "-", ".5", "5.", "012", "+5", " 5", "5 ",
      "12.5x", "abc", "10000000000", "10000000000.00", "-10000000000", "0x10", "1_000",
    ])
  func rejected(form: String) {
    #expect(FieldParsers.decimalPrice(form) == nil)
  }

  @Test("an absolute value just under 10^10 is accepted")
  func bounds() {
    #expect(FieldParsers.decimalPrice("9999999999.99") == Cents(999_999_999_999))
    #expect(FieldParsers.decimalPrice("-9999999999.99") == Cents(-999_999_999_999))
    #expect(FieldParsers.centsPrice("999999999999") == Cents(999_999_999_999))
    #expect(FieldParsers.centsPrice("1000000000000") == nil)
    #expect(FieldParsers.centsPrice("1050.0") == nil)
    #expect(FieldParsers.decimalPrice("12.500") == Cents(1250), "trailing zeros keep the value")
  }
}

@Suite("Field parsers: timestamps")
struct TimestampParserTests {
  static let instants = Gen.int64(in: -62_135_596_800_000_000...253_402_300_799_999_999)
    .map { Instant(microseconds: $0) }

  @Test("every instant survives the accepted forms: Z, naive, space, offsets, fewer digits")
  func roundTrip() async {
    await propertyCheck(input: Self.instants, Gen.int(in: -23 * 60...23 * 60)) { instant, offset in
      let canonical = instant.exportText
      #expect(FieldParsers.timestamp(canonical) == instant)
      #expect(FieldParsers.timestamp(String(canonical.dropLast())) == instant, "naive is UTC")
      let spaced = canonical.replacingOccurrences(of: "T", with: " ")
      #expect(FieldParsers.timestamp(spaced) == instant)
      let local = Instant(microseconds: instant.microseconds + Int64(offset) * 60_000_000)
      guard local.date.year >= 1, local.date.year <= 9999 else { return }
      let sign = offset < 0 ? "-" : "+"
      let hours = abs(offset) / 60
      let minutes = abs(offset) % 60
      let withOffset =
        String(local.exportText.dropLast()) + sign + (hours < 10 ? "0" : "")
        + String(hours) + ":" + (minutes < 10 ? "0" : "") + String(minutes)
      #expect(FieldParsers.timestamp(withOffset) == instant, "\(withOffset)")
    }
  }

  @Test("epoch milliseconds are JSON integers")
  func epochMillis() {
    #expect(FieldParsers.epochMillis("1767261600000")?.exportText == "2026-01-01T10:00:00.000000Z")
    #expect(FieldParsers.epochMillis("0")?.exportText == "1970-01-01T00:00:00.000000Z")
    #expect(FieldParsers.epochMillis("1767261600000.0") == nil)
    #expect(FieldParsers.epochMillis("1.7672616e12") == nil)
  }

  @Test(
    "forms the contract rejects are rejected",
    arguments: [
      "2026-01-01T24:00:00Z", "2026-01-01T10:00:60Z", "2026-02-29T10:00:00Z",
      "2026-13-01T10:00:00Z",
      "2026-01-00T10:00:00Z", "2026-01-01T10:00Z", "2026-01-01", "2026-01-01T10:00:00.Z",
      "2026-01-01T10:00:00.1234567Z", "2026-01-01  10:00:00", "2026-01-01t10:00:00Z",
      "2026-01-01T10:00:00z", "2026-01-01T10:00:00+0100", "2026-01-01T10:00:00+01",
      "2026-01-01T10:00:00+24:00", "2026-01-01T10:00:00+01:60", "26-01-01T10:00:00Z",
      "2026-1-01T10:00:00Z", "05/01/2026 10:00:00", "yesterday", "", " 2026-01-01T10:00:00Z",
      "2026-01-01T10:00:00Z ", "2026-01-01T10:00:00ZZ", "0000-01-01T00:00:00Z",
    ])
  func rejected(form: String) {
    #expect(FieldParsers.timestamp(form) == nil)
  }

  @Test("leap days parse in leap years")
  func leapDays() {
    #expect(FieldParsers.timestamp("2028-02-29T00:00:00Z") != nil)
    #expect(FieldParsers.timestamp("2000-02-29T00:00:00Z") != nil)
    #expect(FieldParsers.timestamp("2100-02-29T00:00:00Z") == nil)
  }
}

@Suite("Field parsers: event ids")
struct UUIDParserTests {
  @Test("any 128 bits written as a UUID in any case parse to lower case")
  func roundTrip() async {
    await propertyCheck(input: Gen.uint64(), Gen.uint64(), Gen.bool) { high, low, upper in
      let hex =
        String(high, radix: 16).leftPadded(to: 16) + String(low, radix: 16).leftPadded(to: 16)
      var text = ""
      for (index, character) in hex.enumerated() {
        if [8, 12, 16, 20].contains(index) { text.append("-") }
        text.append(character)
      }
      #expect(FieldParsers.uuid(upper ? text.uppercased() : text) == text)
    }
  }

  @Test(
    "forms the contract rejects are rejected",
    arguments: [
      "", "not-a-uuid", "00000000-0000-4000-8000-00000000000",
      "00000000-0000-4000-8000-0000000000001",
      "00000000-0000-4000-8000-00000000000g", "000000000000400080000000000000001",
      "{00000000-0000-4000-8000-000000000001}", "00000000_0000_4000_8000_000000000001",
      " 00000000-0000-4000-8000-000000000001",
    ])
  func rejected(form: String) {
    #expect(FieldParsers.uuid(form) == nil)
  }

  @Test("every byte at every digit position: accepted exactly when it is a hex digit")
  func everyByteAtEveryDigit() {
    let base = Array("0123abcd-ef45-4678-9abc-def012345678".utf8)
    let hexDigits = Set("0123456789abcdefABCDEF".utf8)
    for position in base.indices where base[position] != UInt8(ascii: "-") {
      for byte in UInt8.min...UInt8.max {
        var form = base
        form[position] = byte
        let key = form.withUnsafeBufferPointer { FieldParsers.uuidKey($0) }
        #expect((key != nil) == hexDigits.contains(byte), "byte \(byte) at \(position)")
        if let key, hexDigits.contains(byte) {
          var lower = form
          lower[position] = Array(String(UnicodeScalar(byte)).lowercased().utf8)[0]
          #expect(key.description == String(decoding: lower, as: UTF8.self))
        }
      }
    }
    for position in [8, 13, 18, 23] {
      var form = base
      form[position] = UInt8(ascii: "0")
      #expect(form.withUnsafeBufferPointer { FieldParsers.uuidKey($0) } == nil)
    }
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
