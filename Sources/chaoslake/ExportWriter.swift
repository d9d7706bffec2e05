import ExportFormat
import Foundation

/// Writes export files into a directory (created when missing), streaming each file.
enum ExportWriter {
  static func write(_ files: ExportFiles, to directory: String, except skipped: Set<String> = [])
    throws
  {
    try createDirectory(directory)
    for file in files.renderedFiles() where !skipped.contains(file.name) {
      let output = try OutputFile(path: directory + "/" + file.name)
      output.write(file.contents)
      try output.close()
    }
  }

  /// Creates `directory` (and its parents) when missing; exit 2 when it cannot be.
  static func createDirectory(_ directory: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw CLIError.badInput(
        "cannot create the directory \(directory): \(error.localizedDescription)")
    }
  }
}
