import Foundation
import Harness

/// Writes a scenario file (creating its directory), for `verify` and `fuzz`.
enum ScenarioWriter {
  static func write(_ scenario: Scenario, to path: String) throws {
    let directory = (path as NSString).deletingLastPathComponent
    do {
      if !directory.isEmpty {
        try FileManager.default.createDirectory(
          atPath: directory, withIntermediateDirectories: true)
      }
      try ScenarioFile.render(scenario).write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
      throw CLIError.badInput("cannot write the scenario \(path): \(error.localizedDescription)")
    }
  }
}
