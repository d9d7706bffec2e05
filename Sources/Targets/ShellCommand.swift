import Foundation

/// Runs one of a target's shell commands (`/bin/sh -c`), output captured to a log file so
/// a chatty pipeline can never block on a full pipe.
struct ShellCommand {
  var command: String
  var workingDirectory: String
  var environment: [String: String]

  struct Failure: Error, CustomStringConvertible {
    var command: String
    var status: Int32
    var output: String

    var description: String {
      "`\(command)` exited with \(status); its last output:\n\(output)"
    }
  }

  /// The command's log file could not be created.
  struct LogUnwritable: Error, CustomStringConvertible {
    var path: String
    var description: String { "cannot create the command log \(path)" }
  }

  /// Runs the command to its end; throws with the tail of its output when it fails.
  func run(log: URL) throws {
    guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
      throw LogUnwritable(path: log.path)
    }
    let handle = try FileHandle(forWritingTo: log)
    defer { try? handle.close() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    process.waitUntilExit()
    guard process.terminationReason == .exit, process.terminationStatus == 0 else {
      // Colours (dbt writes them even when quiet) are dropped: the tail goes into messages
      // and scenario files.
      let text = ((try? String(contentsOf: log, encoding: .utf8)) ?? "")
        .replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
      let tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(25)
        .joined(separator: "\n")
      throw Failure(command: command, status: process.terminationStatus, output: tail)
    }
  }
}
