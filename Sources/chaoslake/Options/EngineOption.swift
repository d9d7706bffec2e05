import ArgumentParser
import Harness
import PostgresClient
import Warehouse

/// The pipeline engine a command runs on (`--engine`).
enum Engine: String, ExpressibleByArgument, CaseIterable {
  /// The in-memory engine over a JSONL file.
  case memory
  /// The SQL models inside PostgreSQL.
  case postgres

  /// How messages name it.
  var label: String {
    switch self {
    case .memory: "memory engine"
    case .postgres: "PostgreSQL engine"
    }
  }

  /// The engine as the harness drives it: the PostgreSQL one in a scratch database on the
  /// configured server (starting the local cluster when that is the one).
  func underTest() throws -> EngineUnderTest {
    switch self {
    case .memory: return memoryEngine
    case .postgres:
      let conninfo = try serverConninfo()
      do { _ = try Connection(conninfo) } catch let error as PostgresError {
        throw CLIError.databaseUnavailable("cannot connect to PostgreSQL: \(error)")
      }
      return { lines, runAfter in
        try ScratchDatabase.run(conninfo: conninfo, lines: lines, runAfter: runAfter)
      }
    }
  }
}
