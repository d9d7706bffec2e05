import Foundation

/// An output file or directory that could not be created or written; the message names it
/// and the system's reason.
public struct OutputFileError: Error, CustomStringConvertible {
  public var path: String
  public var description: String

  public init(path: String, description: String) {
    self.path = path
    self.description = description
  }
}

/// A buffered byte sink over a file or stdout: streaming output without holding it.
public final class OutputFile {
  private let handle: UnsafeMutablePointer<FILE>
  /// The file's path, or `stdout`.
  public let path: String

  /// Opens `path` for writing (truncating), or stdout for `nil` / `-`.
  public init(path: String?) throws {
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

  public func write(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { buffer in
      _ = fwrite(buffer.baseAddress, 1, buffer.count, handle)
    }
  }

  public func write(_ bytes: UnsafeRawBufferPointer) {
    _ = fwrite(bytes.baseAddress, 1, bytes.count, handle)
  }

  public func write(_ text: String) {
    var text = text
    text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
  }

  /// Flushes and closes; throws when any write failed (a full disk, a closed pipe).
  public func close() throws {
    let failed = fflush(handle) != 0 || ferror(handle) != 0
    fclose(handle)
    if failed { throw OutputFileError(path: path, description: "writing \(path) failed") }
  }
}
