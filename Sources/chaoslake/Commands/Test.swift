import ArgumentParser
import Harness
import Warehouse

struct Test: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Runs the data tests alone (unique, not_null, accepted_values, relationships, SCD2 invariants, accounting)."
  )

  @OptionGroup var junit: JUnitOption

  func run() throws {
    let results = try PostgresEngine(connection: connectToWarehouse()).test()
    try junit.write(suite: "chaoslake test", JUnitReport.TestCase.dataTests(results))
    try printDataTests(results)
  }
}
