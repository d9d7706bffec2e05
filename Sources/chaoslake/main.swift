import ArgumentParser
import ChaosOracle
import Foundation
import PostgresClient
import Warehouse

/// The `chaoslake` command line.
struct Chaoslake: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chaoslake",
    abstract: "Rebuilds exact SCD2 price history from a dirty event log, and proves it.",
    subcommands: [
      Generate.self, Ingest.self, Run.self, Test.self, Export.self, PriceAt.self, Verify.self,
      Replay.self, Fuzz.self, ReportCommand.self, DatabaseCommand.self,
    ])
}

// Exit codes are part of the contract: usage errors exit 2 (ArgumentParser's default is 64).
do {
  var command = try Chaoslake.parseAsRoot()
  try command.run()
} catch let error as CLIError {
  FileHandle.standardError.write(Data("chaoslake: \(error)\n".utf8))
  exit(error.exitCode)
} catch let error as ProfileError {
  FileHandle.standardError.write(Data("chaoslake: \(error)\n".utf8))
  exit(2)
} catch let error as PostgresEngine.DataFailure {
  // A line the models could not read: bad input, named by its seq.
  FileHandle.standardError.write(Data("chaoslake: \(error)\n".utf8))
  exit(2)
} catch let error as PostgresError {
  // The server went away (or never answered): 3, as for a failed connect; a statement
  // that failed on data: 2; anything else is a failure of ours: 1.
  let code: Int32 = error.kind == .connection ? 3 : error.isDataError ? 2 : 1
  let prefix = error.kind == .connection ? "PostgreSQL connection failed: " : ""
  FileHandle.standardError.write(Data("chaoslake: \(prefix)\(error)\n".utf8))
  exit(code)
} catch {
  let code = Chaoslake.exitCode(for: error)
  if code == .success {
    Chaoslake.exit(withError: error)
  }
  FileHandle.standardError.write(Data((Chaoslake.fullMessage(for: error) + "\n").utf8))
  exit(code == .validationFailure ? 2 : code.rawValue)
}
