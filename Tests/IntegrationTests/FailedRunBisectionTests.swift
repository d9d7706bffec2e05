import Foundation
import PostgresClient
import Testing
import Warehouse

/// A run that fails on one line's data is bisected to that line: the operator is told its
/// `seq`. Every line here is malformed, so each gets an exception row, and a trigger makes
/// the insert of one chosen line's exception fail, as an expression that is not total
/// would. The reported `seq` must be that line for every position of it in runs of
/// several sizes, on a first run and on an incremental one (the positions around the
/// bisection's halves, where stopping a step early names a neighbour). On Citus each try is
/// a run of its own, so there only the ends and the halves of the largest size are tried.
@Suite("A failed run names its line, wherever it sits")
struct FailedRunBisectionTests {
  /// Lines before the incremental run's new ones.
  static let earlierLines = 5

  /// Every position for the small sizes; for 200, the ends, the halves and quarters with
  /// their neighbours, and every 17th.
  static func positions(_ count: Int) -> [Int] {
    guard count > 9 else { return Array(1...count) }
    if TestCluster.isCitus {
      return [1, 2, count / 2, count / 2 + 1, count - 1, count]
    }
    var chosen: Set<Int> = [1, 2, 3, count - 2, count - 1, count]
    for middle in [count / 4, count / 2, 3 * count / 4, 64, 128] {
      chosen.formUnion([middle - 1, middle, middle + 1].filter { (1...count).contains($0) })
    }
    chosen.formUnion(stride(from: 1, through: count, by: 17))
    return chosen.sorted()
  }

  @Test("the reported seq is the culprit's", arguments: [1, 2, 3, 7, 8, 9, 200], [false, true])
  func culpritFound(newLines: Int, incremental: Bool) throws {
    let database = try TestDatabase()
    let connection = database.connection
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    func ingest(_ count: Int, name: String) throws {
      let file = directory.appendingPathComponent(name)
      let lines = (0..<count).map { "not json \(name) \($0)\n" }.joined()
      try Data(lines.utf8).write(to: file)
      _ = try Ingestor(connection: connection).ingest(file: file.path)
    }
    let first: Int64
    if incremental {
      try ingest(Self.earlierLines, name: "before.jsonl")
      _ = try PostgresEngine(connection: connection).run()
      first = Int64(Self.earlierLines) + 1
    } else {
      first = 1
    }
    try ingest(newLines, name: "new.jsonl")
    try Schema.use(connection)
    for position in Self.positions(newLines) {
      let culprit = first + Int64(position) - 1
      try database.refuseInserts(into: "line_exceptions", seq: culprit, as: .dataError)
      do {
        _ = try PostgresEngine(connection: connection).run()
        Issue.record("position \(position) of \(newLines): the run did not fail")
      } catch let failure as PostgresEngine.DataFailure {
        #expect(
          failure.seq == culprit,
          "position \(position) of \(newLines) (incremental: \(incremental)): named \(failure.seq)")
        #expect(failure.model == "30_line_exceptions")
      }
    }
  }
}
