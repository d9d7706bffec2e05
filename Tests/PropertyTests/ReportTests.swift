import ChaosOracle
import ExportFormat
import Foundation
import FoundationXML
import Harness
import Report
import Testing

@Suite("HTML report: its structure follows the data")
struct ReportTests {
  static let deliveries = generate(seed: 21, events: 4_000, profile: preset("heavy"))
  static let files = Oracle.predict(deliveries.map(\.truth))

  private func document(_ input: ReportInput) throws -> XMLDocument {
    try XMLDocument(xmlString: HTMLReport.render(input), options: [])
  }

  private func count(_ document: XMLDocument, _ xpath: String) throws -> Int {
    try document.nodes(forXPath: xpath).count
  }

  @Test("the page is well-formed, self-contained and has every section")
  func wellFormed() throws {
    let html = HTMLReport.render(ReportInput(title: "t", engine: "memory", files: Self.files))
    let page = try XMLDocument(xmlString: html, options: [])
    #expect(!html.contains("<script"))
    let references = html.components(separatedBy: "http").count - 1
    let namespaces = html.components(separatedBy: "http://www.w3.org/").count - 1
    #expect(references == namespaces, "only XML namespace URIs, nothing fetched")
    for id in ["summary", "quality", "sales", "data-tests"] {
      #expect(try count(page, "//*[@id='\(id)']") == 1, "section \(id)")
    }
  }

  @Test("one bar group per known event date, one legend entry per reason")
  func qualityBars() throws {
    let page = try document(ReportInput(title: "t", engine: "memory", files: Self.files))
    let dates = Self.files.quality.compactMap { $0.eventDate?.isoText }
    let groups = try page.nodes(forXPath: "//*[@class='bar-group']/@data-date").compactMap(
      \.stringValue)
    #expect(groups == dates)
    #expect(
      try count(page, "//*[@class='legend']/*[local-name()='span']") == ReasonCode.allCases.count)
  }

  @Test("one step per history version of each charted product, tombstones shaded")
  func priceSteps() throws {
    let input = ReportInput(title: "t", engine: "memory", files: Self.files, products: [1])
    let page = try document(input)
    let charted = HTMLReport.chartedProducts(input)
    // The four products with the most price versions (ties by id), then product 1 if it is
    // not among them.
    let mostVolatile = Self.files.volatility
      .sorted { ($0.priceVersions, $1.productID) > ($1.priceVersions, $0.productID) }
      .prefix(HTMLReport.volatileProductCount).map(\.productID)
    #expect(charted == mostVolatile + (mostVolatile.contains(1) ? [] : [1]))
    for product in charted {
      let versions = Self.files.history.filter { $0.productID == product }
      let steps = try count(page, "//*[@id='product-\(product)']//*[contains(@class,'step')]")
      let tombstones = try count(
        page, "//*[@id='product-\(product)']//*[contains(@class,'tombstone')]")
      #expect(steps == versions.count, "product \(product)")
      #expect(tombstones == versions.filter(\.attributes.isDeleted).count, "product \(product)")
    }
  }

  @Test("with the oracle overlaid, disagreements are marked exactly where the diff says")
  func disagreements() throws {
    let matching = try document(
      ReportInput(title: "t", engine: "memory", files: Self.files, expected: Self.files))
    #expect(try count(matching, "//*[@class='disagreement']") == 0)
    #expect(
      try matching.nodes(forXPath: "//*[@id='verification']").first?.stringValue
        == "matches the oracle (all five files)")

    // A broken engine that lost the second version of the most volatile product.
    var broken = Self.files
    let product = HTMLReport.chartedProducts(ReportInput(title: "t", engine: "m", files: broken))[0]
    let lost = broken.history.first { $0.productID == product && $0.version == 2 }!
    broken.history.removeAll { $0 == lost }
    let page = try document(
      ReportInput(title: "t", engine: "memory", files: broken, expected: Self.files))
    // Only the lost version is missing (the others keep their bounds), so exactly it is
    // marked, at its start.
    let marked = try page.nodes(
      forXPath: "//*[@id='product-\(product)']//*[@class='disagreement']/@data-valid-from"
    ).compactMap(\.stringValue)
    #expect(marked == [lost.validFrom.exportText])
    #expect(
      try page.nodes(forXPath: "//*[@id='verification']").first?.stringValue?.hasPrefix("differs")
        == true)
  }

  @Test("one sales bar per day with accepted orders")
  func salesBars() throws {
    let page = try document(ReportInput(title: "t", engine: "memory", files: Self.files))
    #expect(
      try count(page, "//*[@class='sales-bar']") == Set(Self.files.sales.map(\.eventDate)).count)
  }
}
