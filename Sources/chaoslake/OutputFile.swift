import Foundation

/// A buffered byte sink over a file or stdout: streaming output without holding it.
final class OutputFile {
  private let handle: UnsafeMutablePointer<FILE>
  let path: String

  /// Opens `path` for writing (truncating), or stdout for `nil` / `-`.
  init(path: String?) throws {
    if let path, path != "-" {
      guard let file = fopen(path, "wb") else {
        throw CLIError.badInput("cannot write \(path): \(String(cString: strerror(errno)))")
      }
      handle = file
      self.path = path
    } else {
      guard let stdout = fdopen(dup(STDOUT_FILENO), "wb") else {
        throw CLIError.badInput("cannot write to stdout: \(String(cString: strerror(errno)))")
      }
      handle = stdout
      self.path = "stdout"
    }
    setvbuf(handle, nil, _IOFBF, 1 << 16)
  }

  func write(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { buffer in
      _ = fwrite(buffer.baseAddress, 1, buffer.count, handle)
    }
  }

  func write(_ bytes: UnsafeRawBufferPointer) {
    _ = fwrite(bytes.baseAddress, 1, bytes.count, handle)
  }

  func write(_ text: String) {
    var text = text
    text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
  }

  func close() throws {
    let failed = fflush(handle) != 0 || ferror(handle) != 0
    fclose(handle)
    if failed { throw CLIError.badInput("writing \(path) failed") }
  }
}
