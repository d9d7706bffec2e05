import ArgumentParser

/// Errors the command line reports, each with the exit code of the stable contract:
/// 1 verification mismatch or failing data test, 2 bad usage or input, 3 database down.
enum CLIError: Error, CustomStringConvertible {
  case badInput(String)
  case mismatch(String)
  case databaseUnavailable(String)

  var description: String {
    switch self {
    case .badInput(let message), .mismatch(let message), .databaseUnavailable(let message):
      message
    }
  }

  var exitCode: Int32 {
    switch self {
    case .mismatch: 1
    case .badInput: 2
    case .databaseUnavailable: 3
    }
  }
}
