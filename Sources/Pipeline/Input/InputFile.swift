import Foundation

/// An input file that could not be opened or read; the message names the file and the
/// system's reason.
public struct InputFileError: Error, CustomStringConvertible {
  /// The file, or `-` for stdin.
  public var path: String
  public var description: String

  /// `action` leads the message (`cannot read`), the system's text for `code` ends it.
  public init(path: String, failedTo action: String, errno code: Int32) {
    self.path = path
    description = "\(action) \(path): \(String(cString: strerror(code)))"
  }
}

/// Reads a whole file (or stdin for `-`) as bytes, without an intermediate `Data` copy.
package enum InputFile {
  package static func bytes(path: String) throws -> [UInt8] {
    let descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw InputFileError(path: path, failedTo: "cannot read", errno: errno)
    }
    defer { if descriptor != STDIN_FILENO { close(descriptor) } }
    var bytes: [UInt8] = []
    var status = stat()
    if fstat(descriptor, &status) == 0, status.st_size > 0 {
      bytes.reserveCapacity(Int(status.st_size))
    }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw InputFileError(path: path, failedTo: "cannot finish reading", errno: errno)
      }
      if count == 0 { return bytes }
      bytes.append(contentsOf: chunk[..<count])
    }
  }
}

extension MemoryEngine {
  /// Appends the lines of the file at `path`: a regular file is read in place (mapped), so
  /// the process holds the stretch it is reading, not the whole input; stdin (`-`) or a
  /// pipe is read whole. The file must not be truncated while the engine reads it.
  public mutating func append(input path: String) throws {
    if let mapped = try MappedFile(path: path) {
      append(jsonl: mapped)
    } else {
      append(jsonl: try InputFile.bytes(path: path))
    }
  }
}
