import ArgumentParser
import ExportFormat
import Foundation
import Pipeline

/// Prints data-test results; throws (exit 1) when a test of severity error failed.
enum DataTestReport {
  static func print(_ results: [PostgresEngine.DataTestResult]) throws {
    let failed = results.filter { !$0.passed }
    Swift.print("data tests: \(results.count - failed.count) of \(results.count) passed")
    for result in failed {
      Swift.print(
        "  \(result.severity.uppercased()) \(result.test): \(result.failures) failing row(s)")
    }
    if failed.contains(where: { $0.severity == "error" }) {
      throw CLIError.mismatch("a data test of severity error failed")
    }
  }
}

struct Test: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Runs the data tests alone (unique, not_null, accepted_values, relationships, SCD2 invariants, accounting)."
  )

  func run() throws {
    try DataTestReport.print(PostgresEngine(connection: Database.connect()).test())
  }
}

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Writes the five export files from PostgreSQL.")
  @Option(help: "Directory for the files.") var out: String

  func run() throws {
    let files = try PostgresEngine(connection: Database.connect()).export()
    try ExportWriter.write(files, to: out)
    print(
      "export: \(files.statuses.count) status rows, \(files.history.count) history versions in \(out)"
    )
  }
}

struct PriceAt: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "price-at", abstract: "What was the price of a product at a point in time?")
  @Option(help: "The product id.") var product: Int64
  @Option(help: "The time: ISO-8601 (Z, ±hh:mm or naive = UTC) or epoch milliseconds.")
  var at: String
  @Flag(help: "Answer as JSON.") var json = false

  func run() throws {
    guard let instant = FieldParsers.timestamp(at) ?? FieldParsers.epochMillis(at) else {
      throw CLIError.badInput("--at '\(at)' is not a timestamp (e.g. 2026-01-05T15:00:00Z)")
    }
    let point = try PostgresEngine(connection: Database.connect()).price(of: product, at: instant)
    if json {
      var fields = [
        "\"product_id\": \(product)", "\"at\": \"\(instant.exportText)\"",
        "\"state\": \"\(point.state)\"",
      ]
      fields.append("\"price\": " + (point.price.map { $0.exportText } ?? "null"))
      fields.append("\"category\": " + (point.category.map(jsonString) ?? "null"))
      fields.append("\"valid_from\": " + (point.validFrom.map { "\"\($0.exportText)\"" } ?? "null"))
      fields.append("\"valid_to\": " + (point.validTo.map { "\"\($0.exportText)\"" } ?? "null"))
      fields.append("\"event_id\": " + (point.eventID.map { "\"\($0)\"" } ?? "null"))
      print("{" + fields.joined(separator: ", ") + "}")
      return
    }
    switch point.state {
    case "active":
      print(
        "product \(product) at \(instant.exportText): \(point.price!.exportText) (\(point.category!)), "
          + "valid from \(point.validFrom!.exportText) to \(point.validTo?.exportText ?? "now")")
    case "discontinued":
      print(
        "product \(product) at \(instant.exportText): discontinued (since \(point.validFrom!.exportText))"
      )
    default:
      print("product \(product) at \(instant.exportText): did not exist")
    }
  }
}

private func jsonString(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out + "\""
}
