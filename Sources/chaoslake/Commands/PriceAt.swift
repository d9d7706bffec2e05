import ArgumentParser
import ExportFormat
import Pipeline
import Warehouse

struct PriceAt: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "price-at", abstract: "What was the price of a product at a point in time?")
  @Option(help: "The product id.") var product: Int64
  @Option(
    help: ArgumentHelp(
      "The time: ISO-8601 (Z, ±hh:mm or naive = UTC) or epoch milliseconds.",
      valueName: "timestamp"))
  var at: Instant
  @Flag(help: "Answer as one JSON object (money and times as strings).") var json = false

  func run() throws {
    let point = try PostgresEngine(connection: connectToWarehouse()).price(of: product, at: at)
    print(
      json ? point.jsonText(productID: product, at: at) : point.sentence(productID: product, at: at)
    )
  }
}

/// `--at`: a timestamp as the pipeline reads `event_timestamp`, or epoch milliseconds.
extension Instant: ExpressibleByArgument {
  public init?(argument: String) {
    guard let instant = FieldParsers.timestamp(argument) ?? FieldParsers.epochMillis(argument)
    else { return nil }
    self = instant
  }
}
