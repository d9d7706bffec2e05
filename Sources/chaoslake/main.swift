import ArgumentParser
import ChaosOracle
import Foundation

/// The `chaoslake` command line.
struct Chaoslake: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chaoslake",
    abstract: "Rebuilds exact SCD2 price history from a dirty event log, and proves it.",
    subcommands: [
      Generate.self, Ingest.self, Run.self, Test.self, Export.self, PriceAt.self, Verify.self,
      Replay.self, ReportCommand.self, DatabaseCommand.self,
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
} catch {
  let code = Chaoslake.exitCode(for: error)
  if code == .success {
    Chaoslake.exit(withError: error)
  }
  FileHandle.standardError.write(Data((Chaoslake.fullMessage(for: error) + "\n").utf8))
  exit(code == .validationFailure ? 2 : code.rawValue)
}
