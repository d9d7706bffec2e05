import Foundation

extension ExportFiles {
  /// Writes the files into `directory` (created when missing), streaming each one: a few
  /// thousand rows, not five files, are held as text. Files named in `skipped` are left
  /// alone (a caller that streamed them itself).
  package func write(toDirectory directory: String, except skipped: Set<String> = []) throws {
    try Self.createDirectory(directory)
    for name in Self.fileNames where !skipped.contains(name) {
      let output = try OutputFile(path: directory + "/" + name)
      render(name) { output.write($0) }
      try output.close()
    }
  }

  /// Creates `directory` (and its parents) when missing.
  package static func createDirectory(_ directory: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw OutputFileError(
        path: directory,
        description: "cannot create the directory \(directory): \(error.localizedDescription)")
    }
  }
}
