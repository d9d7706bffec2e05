import ExportFormat
import Foundation

/// What a report shows: one engine's export files, optionally the oracle's prediction to
/// overlay, and the data-test results of the last run when there are any.
package struct ReportInput: Sendable {
  package var title: String
  package var engine: String
  package var files: ExportFiles
  package var expected: ExportFiles?
  package var dataTests: [(test: String, severity: String, failures: Int, passed: Bool)]
  /// Products to chart besides the most volatile ones.
  package var products: [Int64]

  package init(
    title: String, engine: String, files: ExportFiles, expected: ExportFiles? = nil,
    dataTests: [(test: String, severity: String, failures: Int, passed: Bool)] = [],
    products: [Int64] = []
  ) {
    self.title = title
    self.engine = engine
    self.files = files
    self.expected = expected
    self.dataTests = dataTests
    self.products = products
  }
}

/// Renders a self-contained page: inline CSS and SVG, no script, nothing from the network.
/// The markup is well-formed XML (XHTML-compatible), so it can be checked by any parser.
package enum HTMLReport {
  /// How many of the most volatile products get a price chart.
  package static let volatileProductCount = 4

  package static func render(_ input: ReportInput) -> String {
    let files = input.files
    var page = """
      <!DOCTYPE html>
      <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
      <head>
      <meta charset="utf-8"/>
      <title>\(escape(input.title))</title>
      <style>\(style)</style>
      </head>
      <body>
      <h1>\(escape(input.title))</h1>
      <p class="subtitle">Engine: \(escape(input.engine)). \(files.statuses.count) delivered lines.</p>

      """
    page += summary(input)
    page += qualityChart(files.quality)
    for product in chartedProducts(input) {
      page += priceChart(product: product, files: files, expected: input.expected)
    }
    page += salesChart(files.sales)
    page += dataTests(input.dataTests)
    page += "</body>\n</html>\n"
    return page
  }

  /// The most volatile products (by price versions, then id), then any asked for.
  package static func chartedProducts(_ input: ReportInput) -> [Int64] {
    let volatile = input.files.volatility.sorted {
      ($0.priceVersions, -$0.productID) > ($1.priceVersions, -$1.productID)
    }.prefix(volatileProductCount).map(\.productID)
    var products = Array(volatile)
    for product in input.products where !products.contains(product) { products.append(product) }
    return products
  }

  // MARK: - Summary

  private static func summary(_ input: ReportInput) -> String {
    let files = input.files
    var counts: [String: Int] = [:]
    var reasons: [ReasonCode: Int] = [:]
    for row in files.statuses {
      counts[row.status.name, default: 0] += 1
      if let reason = row.status.reason { reasons[reason, default: 0] += 1 }
    }
    var html = "<section id=\"summary\">\n<h2>Summary</h2>\n<table class=\"summary\">\n"
    for name in ["accepted", "duplicate", "invalid"] {
      html += "<tr><th>\(name)</th><td class=\"number\">\(counts[name] ?? 0)</td></tr>\n"
    }
    let products = Set(files.history.map(\.productID)).count
    html += "<tr><th>products with history</th><td class=\"number\">\(products)</td></tr>\n"
    html += "<tr><th>history versions</th><td class=\"number\">\(files.history.count)</td></tr>\n"
    html +=
      "<tr><th>verification</th><td id=\"verification\">\(escape(verification(input)))</td></tr>\n"
    html += "</table>\n<h3>Top reasons</h3>\n<table class=\"reasons\">\n"
    for (reason, count) in reasons.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).prefix(5)
    {
      html += "<tr><th>\(reason.rawValue)</th><td class=\"number\">\(count)</td></tr>\n"
    }
    return html + "</table>\n</section>\n"
  }

  static func verification(_ input: ReportInput) -> String {
    guard let expected = input.expected else { return "no oracle given" }
    if expected == input.files { return "matches the oracle (all five files)" }
    let names = zip(expected.renderedFiles(), input.files.renderedFiles())
      .filter { $0.0.contents != $0.1.contents }.map(\.0.name)
    return "differs from the oracle in " + names.joined(separator: ", ")
  }

  // MARK: - Daily error rate

  static let palette = [
    "#d62728", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#1f77b4",
    "#9467bd", "#2ca02c", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5",
  ]

  private static func qualityChart(_ rows: [QualityRow]) -> String {
    let known = rows.filter { $0.eventDate != nil }
    var html = "<section id=\"quality\">\n<h2>Daily error rate, by reason</h2>\n"
    guard !known.isEmpty else {
      return html + "<p>No line has a known event date.</p>\n</section>\n"
    }
    let chart = Chart(width: 1200, height: 320)
    let rates = known.map { row -> Double in
      let base = row.delivered - row.duplicate
      return base > 0 ? Double(row.invalid) / Double(base) : 0
    }
    let top = max(0.05, (rates.max() ?? 0) * 1.1)
    html += chart.open(label: "error rate by event date")
    html += chart.yAxis(maximum: top, format: { String(format: "%.0f%%", $0 * 100) })
    let slot = chart.plotWidth / Double(known.count)
    for (index, row) in known.enumerated() {
      let base = Double(max(1, row.delivered - row.duplicate))
      let x = chart.left + Double(index) * slot
      html += "<g class=\"bar-group\" data-date=\"\(row.eventDate!.isoText)\">"
      var y = chart.bottom
      for (offset, reason) in ReasonCode.allCases.enumerated() {
        guard let count = row.invalidByReason[reason], count > 0 else { continue }
        let height = Double(count) / base / top * chart.plotHeight
        y -= height
        html +=
          "<rect x=\"\(f(x + slot * 0.1))\" y=\"\(f(y))\" width=\"\(f(slot * 0.8))\" "
          + "height=\"\(f(height))\" fill=\"\(palette[offset])\"><title>\(row.eventDate!.isoText) "
          + "\(reason.rawValue): \(count)</title></rect>"
      }
      html += "</g>\n"
    }
    html += chart.dateLabels(known.map { $0.eventDate!.isoText }, slot: slot)
    html += "</svg>\n<div class=\"legend\">"
    for (offset, reason) in ReasonCode.allCases.enumerated() {
      html += "<span><i style=\"background:\(palette[offset])\"></i>\(reason.rawValue)</span> "
    }
    html += "</div>\n"
    if let unknown = rows.first(where: { $0.eventDate == nil }) {
      html +=
        "<p class=\"note\">Lines with an unknown event date: \(unknown.delivered) "
        + "(\(unknown.invalid) invalid).</p>\n"
    }
    return html + "</section>\n"
  }

  // MARK: - Price history

  private static func priceChart(product: Int64, files: ExportFiles, expected: ExportFiles?)
    -> String
  {
    let versions = files.history.filter { $0.productID == product }
    let wanted = expected?.history.filter { $0.productID == product } ?? []
    var html =
      "<section class=\"product\" id=\"product-\(product)\">\n<h2>Price history of product \(product)</h2>\n"
    guard !versions.isEmpty || !wanted.isEmpty else {
      return html + "<p>No history.</p>\n</section>\n"
    }
    let all = versions + wanted
    let start = all.map(\.validFrom).min()!.microseconds
    let end =
      max(
        all.compactMap(\.validTo).max()?.microseconds ?? start,
        all.map(\.validFrom).max()!.microseconds) + 1
    let span = Double(end - start) * 1.02
    let top = Double(all.map(\.attributes.price.value).max() ?? 1) / 100 * 1.1 + 0.01
    let chart = Chart(width: 1200, height: 300)
    func x(_ instant: Int64) -> Double {
      chart.left + Double(instant - start) / span * chart.plotWidth
    }
    func y(_ cents: Cents) -> Double {
      chart.bottom - Double(cents.value) / 100 / top * chart.plotHeight
    }
    html += chart.open(label: "price of product \(product) over time")
    html += chart.yAxis(maximum: top, format: { String(format: "%.2f", $0) })
    html += chart.timeLabels(start: start, end: start + Int64(span))
    for version in versions {
      let from = x(version.validFrom.microseconds)
      let to = x(version.validTo?.microseconds ?? end)
      let label =
        "v\(version.version) \(version.attributes.price.exportText) \(escape(version.attributes.category))"
        + " from \(version.validFrom.exportText)"
      if version.attributes.isDeleted {
        html +=
          "<rect class=\"step tombstone\" data-version=\"\(version.version)\" x=\"\(f(from))\" "
          + "y=\"\(f(chart.top))\" width=\"\(f(max(1, to - from)))\" height=\"\(f(chart.plotHeight))\">"
          + "<title>\(label) (discontinued)</title></rect>\n"
      } else {
        html +=
          "<line class=\"step\" data-version=\"\(version.version)\" x1=\"\(f(from))\" "
          + "y1=\"\(f(y(version.attributes.price)))\" x2=\"\(f(to))\" y2=\"\(f(y(version.attributes.price)))\">"
          + "<title>\(label)</title></line>\n"
      }
    }
    for (previous, version) in zip(versions, versions.dropFirst())
    where !previous.attributes.isDeleted && !version.attributes.isDeleted {
      let at = x(version.validFrom.microseconds)
      html +=
        "<line class=\"riser\" x1=\"\(f(at))\" y1=\"\(f(y(previous.attributes.price)))\" "
        + "x2=\"\(f(at))\" y2=\"\(f(y(version.attributes.price)))\"/>\n"
    }
    if expected != nil {
      for version in wanted where !version.attributes.isDeleted {
        html +=
          "<line class=\"expected\" x1=\"\(f(x(version.validFrom.microseconds)))\" "
          + "y1=\"\(f(y(version.attributes.price)))\" x2=\"\(f(x(version.validTo?.microseconds ?? end)))\" "
          + "y2=\"\(f(y(version.attributes.price)))\"/>\n"
      }
      for disagreement in disagreements(actual: versions, expected: wanted) {
        html +=
          "<circle class=\"disagreement\" data-valid-from=\"\(disagreement.validFrom.exportText)\" "
          + "cx=\"\(f(x(disagreement.validFrom.microseconds)))\" cy=\"\(f(y(disagreement.attributes.price)))\" r=\"6\">"
          + "<title>disagreement at \(disagreement.validFrom.exportText)</title></circle>\n"
      }
    }
    html +=
      "</svg>\n<p class=\"note\">Solid: \(versions.count) version(s); shaded: discontinued"
      + (expected == nil
        ? "" : "; dashed: the oracle's expected history; red circles: disagreements")
      + ".</p>\n</section>\n"
    return html
  }

  /// Versions present on one side only (matched by start, price, category, deletion).
  package static func disagreements(actual: [HistoryRow], expected: [HistoryRow]) -> [HistoryRow] {
    func key(_ row: HistoryRow) -> String {
      "\(row.validFrom.microseconds)|\(row.attributes.price.value)|\(row.attributes.category)|\(row.attributes.isDeleted)|\(row.validTo?.microseconds ?? -1)"
    }
    let actualKeys = Set(actual.map(key))
    let expectedKeys = Set(expected.map(key))
    return
      (actual.filter { !expectedKeys.contains(key($0)) }
      + expected.filter { !actualKeys.contains(key($0)) })
      .sorted { $0.validFrom < $1.validFrom }
  }

  // MARK: - Sales

  private static func salesChart(_ rows: [SalesRow]) -> String {
    var html = "<section id=\"sales\">\n<h2>Daily sales (all products)</h2>\n"
    var byDate: [CivilDate: Cents] = [:]
    for row in rows {
      byDate[row.eventDate, default: .zero] = byDate[row.eventDate, default: .zero] + row.revenue
    }
    let dates = byDate.keys.sorted()
    guard !dates.isEmpty else { return html + "<p>No accepted orders.</p>\n</section>\n" }
    let chart = Chart(width: 1200, height: 260)
    let top = Double(byDate.values.map(\.value).max()!) / 100 * 1.1 + 0.01
    html += chart.open(label: "revenue per day")
    html += chart.yAxis(maximum: top, format: { String(format: "%.0f", $0) })
    let slot = chart.plotWidth / Double(dates.count)
    for (index, date) in dates.enumerated() {
      let revenue = byDate[date]!
      let height = Double(revenue.value) / 100 / top * chart.plotHeight
      html +=
        "<rect class=\"sales-bar\" data-date=\"\(date.isoText)\" x=\"\(f(chart.left + Double(index) * slot + slot * 0.1))\" "
        + "y=\"\(f(chart.bottom - height))\" width=\"\(f(slot * 0.8))\" height=\"\(f(height))\">"
        + "<title>\(date.isoText): \(revenue.exportText)</title></rect>\n"
    }
    html += chart.dateLabels(dates.map(\.isoText), slot: slot)
    return html + "</svg>\n</section>\n"
  }

  // MARK: - Data tests

  private static func dataTests(
    _ results: [(test: String, severity: String, failures: Int, passed: Bool)]
  ) -> String {
    var html = "<section id=\"data-tests\">\n<h2>Data tests of the last run</h2>\n"
    guard !results.isEmpty else {
      return html + "<p>No data-test results (memory engine).</p>\n</section>\n"
    }
    html +=
      "<table class=\"tests\">\n<tr><th>test</th><th>severity</th><th>failing rows</th><th>result</th></tr>\n"
    for result in results {
      html +=
        "<tr class=\"\(result.passed ? "pass" : "fail")\"><td>\(escape(result.test))</td><td>\(result.severity)</td>"
        + "<td class=\"number\">\(result.failures)</td><td>\(result.passed ? "passed" : "FAILED")</td></tr>\n"
    }
    return html + "</table>\n</section>\n"
  }

  // MARK: - Helpers

  static func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(character)
      }
    }
    return out
  }

  private static let style = """
    body{font-family:sans-serif;max-width:1240px;margin:1em auto;color:#222}\
    h1{margin-bottom:0}.subtitle{color:#666;margin-top:.2em}\
    section{margin:1.5em 0}table{border-collapse:collapse}\
    th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left}.number{text-align:right}\
    svg{background:#fafafa;border:1px solid #ddd}\
    .axis{stroke:#444;stroke-width:1}.grid{stroke:#e3e3e3;stroke-width:1}\
    .label{font-size:11px;fill:#444}\
    .step{stroke:#1f77b4;stroke-width:2.5}.riser{stroke:#1f77b4;stroke-width:1}\
    .tombstone{fill:#999;fill-opacity:.35;stroke:none}\
    .expected{stroke:#2ca02c;stroke-width:1.5;stroke-dasharray:5 4}\
    .disagreement{fill:none;stroke:#d62728;stroke-width:2.5}\
    .sales-bar{fill:#2ca02c}.legend span{margin-right:1em;font-size:12px;white-space:nowrap}\
    .legend i{display:inline-block;width:10px;height:10px;margin-right:4px}\
    .fail td{background:#fde0e0}.note{color:#555;font-size:13px}
    """
}

/// Chart geometry and axes.
struct Chart {
  var width: Double
  var height: Double
  var left = 70.0
  var right = 20.0
  var top = 15.0
  var bottomMargin = 45.0

  init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  var bottom: Double { height - bottomMargin }
  var plotWidth: Double { width - left - right }
  var plotHeight: Double { bottom - top }

  func open(label: String) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
      + "viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(HTMLReport.escape(label))\">\n"
      + "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(bottom))\" x2=\"\(f(width - right))\" y2=\"\(f(bottom))\"/>\n"
      + "<line class=\"axis\" x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(bottom))\"/>\n"
  }

  func yAxis(maximum: Double, format: (Double) -> String) -> String {
    var svg = ""
    for step in 0...4 {
      let value = maximum * Double(step) / 4
      let y = bottom - plotHeight * Double(step) / 4
      svg +=
        "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\"/>"
      svg +=
        "<text class=\"label\" x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(format(value))</text>\n"
    }
    return svg
  }

  /// Date labels under bars, thinned to at most about 15.
  func dateLabels(_ labels: [String], slot: Double) -> String {
    let every = max(1, Int((Double(labels.count) / 15).rounded(.up)))
    var svg = ""
    for (index, label) in labels.enumerated() where index % every == 0 {
      svg +=
        "<text class=\"label\" x=\"\(f(left + (Double(index) + 0.5) * slot))\" y=\"\(f(bottom + 16))\" "
        + "text-anchor=\"middle\">\(label)</text>\n"
    }
    return svg
  }

  /// Dates along a time axis, at about 8 evenly spaced points.
  func timeLabels(start: Int64, end: Int64) -> String {
    var svg = ""
    for step in 0...7 {
      let instant = Instant(microseconds: start + (end - start) * Int64(step) / 7)
      let x = left + plotWidth * Double(step) / 7
      let anchor = step == 0 ? "start" : step == 7 ? "end" : "middle"
      svg +=
        "<text class=\"label\" x=\"\(f(x))\" y=\"\(f(bottom + 16))\" text-anchor=\"\(anchor)\">"
        + "\(instant.date.isoText)</text>\n"
    }
    return svg
  }
}

/// A coordinate with one decimal, written the same everywhere.
func f(_ value: Double) -> String { String(format: "%.1f", value) }
