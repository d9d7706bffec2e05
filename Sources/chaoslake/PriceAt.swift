import ArgumentParser
import ExportFormat
import Foundation
import Pipeline
import Warehouse

struct PriceAt: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "price-at", abstract: "What was the price of a product at a point in time?")
  @Option(help: "The product id.") var product: Int64
  @Option(help: "The time: ISO-8601 (Z, ±hh:mm or naive = UTC) or epoch milliseconds.")
  var at: String
  @Flag(help: "Answer as JSON.") var json = false

  /// The `--json` answer. Money and times are strings in the export format, so no reader
  /// turns a price into binary floating point.
  struct Answer: Encodable {
    var productID: Int64
    var at: String
    var state: String
    var price: String?
    var category: String?
    var validFrom: String?
    var validTo: String?
    var eventID: String?

    enum CodingKeys: String, CodingKey {
      case productID = "product_id", at, state, price, category
      case validFrom = "valid_from", validTo = "valid_to", eventID = "event_id"
    }

    // Absent values are written as null, not left out, so every answer has every key.
    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(productID, forKey: .productID)
      try container.encode(at, forKey: .at)
      try container.encode(state, forKey: .state)
      try container.encode(price, forKey: .price)
      try container.encode(category, forKey: .category)
      try container.encode(validFrom, forKey: .validFrom)
      try container.encode(validTo, forKey: .validTo)
      try container.encode(eventID, forKey: .eventID)
    }
  }

  func run() throws {
    guard let instant = FieldParsers.timestamp(at) ?? FieldParsers.epochMillis(at) else {
      throw CLIError.badInput("--at '\(at)' is not a timestamp (e.g. 2026-01-05T15:00:00Z)")
    }
    let point = try PostgresEngine(connection: ConnectionSettings.connect())
      .price(of: product, at: instant)
    if json {
      let answer = Answer(
        productID: product, at: instant.exportText, state: point.state.rawValue,
        price: point.price?.exportText, category: point.category,
        validFrom: point.validFrom?.exportText, validTo: point.validTo?.exportText,
        eventID: point.eventID)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      print(String(decoding: try encoder.encode(answer), as: UTF8.self))
      return
    }
    let prefix = "product \(product) at \(instant.exportText)"
    switch point.state {
    case .active:
      print(
        "\(prefix): \(point.price?.exportText ?? "?") (\(point.category ?? "?")), valid from "
          + "\(point.validFrom?.exportText ?? "?") to \(point.validTo?.exportText ?? "now")")
    case .discontinued:
      print("\(prefix): discontinued (since \(point.validFrom?.exportText ?? "?"))")
    case .didNotExist:
      print("\(prefix): did not exist")
    }
  }
}
