import ExportFormat
import PropertyBased
import Testing

@Suite("Export format: CSV, times, money")
struct ExportFormatTests {
  @Test("fields are quoted only when they hold a comma, a quote, CR or LF")
  func quoting() {
    #expect(
      CSV.record(["books", "home, garden", "toys \"deluxe\"", "a\nb", "c\rd", ""])
        == "books,\"home, garden\",\"toys \"\"deluxe\"\"\",\"a\nb\",\"c\rd\",\n")
  }

  @Test("CSV parsing inverts record writing")
  func csvRoundTrip() async {
    let field = Gen<Character?>.element(of: Array("ab1 ,\"\n\r") as [Character]).map { $0! }
      .string(of: 0...6)
    await propertyCheck(input: field.array(of: 1...5)) { fields in
      #expect(CSV.parse(CSV.record(fields)) == [fields])
    }
  }

  @Test("instants print as YYYY-MM-DDTHH:MM:SS.ffffffZ and dates as YYYY-MM-DD")
  func instants() {
    #expect(Instant(microseconds: 0).exportText == "1970-01-01T00:00:00.000000Z")
    #expect(
      Instant(year: 2026, month: 1, day: 1)!.exportText == "2026-01-01T00:00:00.000000Z")
    #expect(
      Instant(year: 2028, month: 2, day: 29, hour: 23, minute: 59, second: 59, microsecond: 1)!
        .exportText == "2028-02-29T23:59:59.000001Z")
    #expect(Instant(microseconds: -1).exportText == "1969-12-31T23:59:59.999999Z")
    #expect(Instant(year: 2026, month: 2, day: 29) == nil)
  }

  @Test("calendar dates round-trip through day counts")
  func civilRoundTrip() async {
    await propertyCheck(input: Gen.int64(in: -719_162...2_932_896)) { days in
      let date = CivilDate(daysSinceEpoch: days)
      #expect(date.daysSinceEpoch == days)
      #expect(CivilDate(year: date.year, month: date.month, day: date.day) == date)
    }
  }

  @Test("money has exactly two decimals")
  func money() {
    #expect(Cents(10995).exportText == "109.95")
    #expect(Cents(-350).exportText == "-3.50")
    #expect(Cents(0).exportText == "0.00")
    #expect(Cents(7).exportText == "0.07")
    #expect(Cents(-7).exportText == "-0.07")
  }

  @Test("error rate is exact and rounds half away from zero")
  func errorRate() {
    var row = QualityRow(eventDate: nil)
    for _ in 0..<3 { row.count(.accepted) }
    row.count(.invalid(.badTimestamp))
    // 1 / 4 = 0.25
    #expect(row.errorRateText == "0.2500")
    var half = QualityRow(eventDate: nil)
    // 1 / 20000 * 10000 = 0.5 ten-thousandths → rounds up to 0.0001
    for _ in 0..<19_999 { half.count(.accepted) }
    half.count(.invalid(.orphanEvent))
    #expect(half.errorRateText == "0.0001")
    #expect(QualityRow(eventDate: nil).errorRateText == "")
  }
}
