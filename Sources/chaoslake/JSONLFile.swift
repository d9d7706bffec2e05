import Foundation

/// Reads a JSONL file (or stdin for `-`) into its delivered lines: split at `\n` only, an
/// empty line is a line, and a last line without `\n` counts too.
enum JSONLFile {
  static func lines(path: String) throws -> [[UInt8]] {
    let data: Data
    if path == "-" {
      data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
      guard let contents = FileManager.default.contents(atPath: path) else {
        throw CLIError.badInput("cannot read \(path)")
      }
      data = contents
    }
    return split(Array(data))
  }

  static func split(_ bytes: [UInt8]) -> [[UInt8]] {
    var lines: [[UInt8]] = []
    var start = 0
    for index in bytes.indices where bytes[index] == 0x0A {
      lines.append(Array(bytes[start..<index]))
      start = index + 1
    }
    if start < bytes.count { lines.append(Array(bytes[start...])) }
    return lines
  }
}
