import Foundation

/// An output file or directory that could not be created or written; the message names it
/// and the system's reason.
package struct OutputFileError: Error, CustomStringConvertible {
  package var path: String
  package var description: String

  package init(path: String, description: String) {
    self.path = path
    self.description = description
  }
}

/// A buffered byte sink over a file or stdout: streaming output without holding it.
package final class OutputFile {
  private let handle: UnsafeMutablePointer<FILE>
  /// The file's path, or `stdout`.
  package let path: String

  /// Opens `path` for writing (truncating), or stdout for `nil` / `-`.
  package init(path: String?) throws {
    if let path, path != "-" {
      guard let file = fopen(path, "wb") else {
        throw OutputFileError(
          path: path, description: "cannot write \(path): \(String(cString: strerror(errno)))")
      }
      handle = file
      self.path = path
    } else {
      guard let stdout = fdopen(dup(STDOUT_FILENO), "wb") else {
        throw OutputFileError(
          path: "stdout",
          description: "cannot write to stdout: \(String(cString: strerror(errno)))")
      }
      handle = stdout
      self.path = "stdout"
    }
    setvbuf(handle, nil, _IOFBF, 1 << 16)
  }

  package func write(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { buffer in
      _ = fwrite(buffer.baseAddress, 1, buffer.count, handle)
    }
  }

  package func write(_ bytes: UnsafeRawBufferPointer) {
    _ = fwrite(bytes.baseAddress, 1, bytes.count, handle)
  }

  package func write(_ text: String) {
    var text = text
    text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
  }

  /// Flushes and closes; throws when any write failed (a full disk, a closed pipe).
  package func close() throws {
    let failed = fflush(handle) != 0 || ferror(handle) != 0
    fclose(handle)
    if failed { throw OutputFileError(path: path, description: "writing \(path) failed") }
  }
}
