import ExportFormat
import Harness
import Testing

/// The comparison levels for other pipelines, on hand-made histories.
@Suite("Comparison levels for other pipelines")
struct HistoryLevelTests {
  static func at(_ hour: Int) -> Instant { Instant(year: 2026, month: 1, day: 1, hour: hour)! }
  static func state(_ cents: Int64, _ category: String = "c", deleted: Bool = false)
    -> ProductAttributes
  {
    ProductAttributes(price: Cents(cents), category: category, isDeleted: deleted)
  }

  /// The truth: product 1 created at 100, updated to 200, then 300; product 2 at 50.
  static let truth: [HistoryRow] = [
    HistoryRow(
      productID: 1, version: 1, attributes: state(100), validFrom: at(1), validTo: at(2),
      eventID: "a"),
    HistoryRow(
      productID: 1, version: 2, attributes: state(200), validFrom: at(2), validTo: at(3),
      eventID: "b"),
    HistoryRow(
      productID: 1, version: 3, attributes: state(300), validFrom: at(3), validTo: nil,
      eventID: "c"),
    HistoryRow(
      productID: 2, version: 1, attributes: state(50), validFrom: at(1), validTo: nil,
      eventID: "d"),
  ]

  static func reported(_ product: Int64, _ attributes: ProductAttributes, _ from: Int, _ to: Int?)
    -> ReportedVersion
  {
    ReportedVersion(
      productID: product, attributes: attributes, validFrom: at(from), validTo: to.map(at))
  }

  @Test("the truth itself passes every level")
  func truthPasses() {
    let same = Self.truth.map {
      ReportedVersion(
        productID: $0.productID, attributes: $0.attributes, validFrom: $0.validFrom,
        validTo: $0.validTo)
    }
    for level in ComparisonLevel.allCases {
      let result = HistoryLevels.compare(expected: Self.truth, actual: same, level: level)
      #expect(result.passed, "\(level)")
    }
  }

  @Test("a NULL price or category is a wrong state: never kept, shown as NULL")
  func nullsCompareAsWrongStates() {
    let withNulls = Self.truth.map { row in
      var attributes = ReportedAttributes(row.attributes)
      if row.productID == 1, row.version == 2 { attributes.price = nil }
      if row.productID == 2 { attributes.category = nil }
      return ReportedVersion(
        productID: row.productID, attributes: attributes, validFrom: row.validFrom,
        validTo: row.validTo)
    }
    for level in ComparisonLevel.allCases {
      let result = HistoryLevels.compare(expected: Self.truth, actual: withNulls, level: level)
      #expect(!result.passed, "\(level)")
      #expect(result.invented.contains { $0.attributes.description.contains("NULL") }, "\(level)")
    }
    let exact = HistoryLevels.compare(expected: Self.truth, actual: withNulls, level: .exact)
    #expect(exact.lost.count == 2 && exact.invented.count == 2 && exact.kept == 2)
  }

  @Test("a snapshot that kept only the last of two updates, stamped at its own time")
  func snapshotLoss() {
    // As a dbt snapshot after one batch: each product's latest state, valid from run time.
    let snapshot = [
      Self.reported(1, Self.state(300), 20, nil), Self.reported(2, Self.state(50), 20, nil),
    ]
    let exact = HistoryLevels.compare(expected: Self.truth, actual: snapshot, level: .exact)
    #expect(exact.kept == 0 && exact.lost.count == 4 && exact.invented.count == 2)
    let versions = HistoryLevels.compare(expected: Self.truth, actual: snapshot, level: .versions)
    #expect(versions.kept == 2)
    #expect(versions.lost.map(\.eventID) == ["a", "b"])
    #expect(versions.invented.isEmpty)
    #expect(versions.summary == "versions: kept 2 of 4 versions; 2 lost, 0 invented")
    let final = HistoryLevels.compare(expected: Self.truth, actual: snapshot, level: .final)
    #expect(final.passed)
  }

  @Test("versions: shifted times pass, an invented state and a repeated state are told apart")
  func versionsLevel() {
    let shifted = [
      Self.reported(1, Self.state(100), 5, 6), Self.reported(1, Self.state(100, "c"), 6, 7),
      Self.reported(1, Self.state(200), 7, 8), Self.reported(1, Self.state(999), 8, 9),
      Self.reported(1, Self.state(300), 9, nil), Self.reported(2, Self.state(50), 5, nil),
    ]
    let result = HistoryLevels.compare(expected: Self.truth, actual: shifted, level: .versions)
    #expect(result.kept == 4)
    #expect(result.lost.isEmpty)
    #expect(result.invented.map(\.attributes.price) == [Cents(999)], "the repeat collapses")
  }

  @Test("final: a wrong or missing current state fails, an extra product is invented")
  func finalLevel() {
    let actual = [
      Self.reported(1, Self.state(200), 2, nil), Self.reported(3, Self.state(1), 1, nil),
    ]
    let result = HistoryLevels.compare(expected: Self.truth, actual: actual, level: .final)
    #expect(result.kept == 0)
    #expect(Set(result.lost.map(\.productID)) == [1, 2])
    #expect(Set(result.invented.map(\.productID)) == [1, 3])
  }
}
