import ExportFormat
import Foundation

/// Writes export files into a directory (created when missing), streaming each file.
enum ExportWriter {
  static func write(_ files: ExportFiles, to directory: String, except skipped: Set<String> = [])
    throws
  {
    try createDirectory(directory)
    // Written piece by piece: a few thousand rows, not five files, are held as text.
    for name in ExportFiles.fileNames where !skipped.contains(name) {
      let output = try OutputFile(path: directory + "/" + name)
      files.render(name) { output.write($0) }
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
