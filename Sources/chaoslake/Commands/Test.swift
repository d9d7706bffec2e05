import ArgumentParser
import Warehouse

struct Test: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Runs the data tests alone (unique, not_null, accepted_values, relationships, SCD2 invariants, accounting)."
  )

  func run() throws {
    try printDataTests(PostgresEngine(connection: connectToWarehouse()).test())
  }
}
