import ArgumentParser
import Foundation

/// The `chaoslake` command line: parses arguments, calls the libraries, maps their errors to
/// the exit codes of the contract.
struct Chaoslake: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chaoslake",
    abstract: "Rebuilds exact SCD2 price history from a dirty event log, and proves it.",
    subcommands: [
      Generate.self, Ingest.self, Run.self, Test.self, Export.self, PriceAt.self, Verify.self,
      Replay.self, Fuzz.self, ReportCommand.self, DatabaseCommand.self, TargetCommand.self,
    ])
}

do {
  var command = try Chaoslake.parseAsRoot()
  try command.run()
} catch {
  switch Chaoslake.exitCode(for: error) {
  case .success:
    Chaoslake.exit(withError: error)  // --help, --version
  case .validationFailure:
    // A usage error (from parsing, `validate()` or a `help` subcommand): exit 2, not 64.
    FileHandle.standardError.write(Data((Chaoslake.fullMessage(for: error) + "\n").utf8))
    exit(2)
  default:
    fflush(nil)  // what the command printed comes before its verdict, also with 2>&1
    let failure = CLIError(error)
    FileHandle.standardError.write(Data("chaoslake: \(failure)\n".utf8))
    exit(failure.exitCode)
  }
}
