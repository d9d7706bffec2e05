import Foundation
import Pipeline
import PostgresClient

/// Reads a descriptor in 1 MiB chunks and hands out its delivered lines, with flat memory.
struct ChunkReader {
  let descriptor: Int32
  /// Names the input in messages.
  let name: String
  private var buffer: [UInt8] = []
  private var offset = 0
  private var atEnd = false

  init(descriptor: Int32, name: String) {
    self.descriptor = descriptor
    self.name = name
  }

  private mutating func fill() throws {
    if offset > 0, offset >= buffer.count / 2 {
      buffer.removeFirst(offset)
      offset = 0
    }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw InputFileError(path: name, failedTo: "cannot finish reading", errno: errno)
      }
      if count == 0 { atEnd = true } else { buffer += chunk[..<count] }
      return
    }
  }

  /// The first `count` bytes not yet consumed (fewer at the end of the input).
  mutating func peek(_ count: Int) throws -> [UInt8] {
    while buffer.count - offset < count, !atEnd { try fill() }
    return Array(buffer[offset..<min(buffer.count, offset + count)])
  }

  mutating func read(exactly count: Int) throws -> [UInt8] {
    let bytes = try peek(count)
    offset += bytes.count
    return bytes
  }

  /// Hands the next delivered line (split as `JSONLines` says) to `body`, with whether a
  /// newline ended it, and returns what `body` returns; `nil` at the end of the input. The
  /// bytes are only valid inside `body`.
  mutating func nextLine<Result>(
    _ body: (UnsafeBufferPointer<UInt8>, _ endsWithNewline: Bool) throws -> Result
  ) throws -> Result? {
    var searchFrom = offset
    while true {
      let end = buffer.withUnsafeBufferPointer { JSONLines.lineEnd(in: $0, from: searchFrom) }
      if let end {
        let start = offset
        offset = end + 1
        return try buffer.withUnsafeBufferPointer {
          try body(UnsafeBufferPointer(rebasing: $0[start..<end]), true)
        }
      }
      if atEnd {
        guard offset < buffer.count else { return nil }
        let start = offset
        offset = buffer.count
        return try buffer.withUnsafeBufferPointer {
          try body(UnsafeBufferPointer(rebasing: $0[start...]), false)
        }
      }
      let scanned = buffer.count - offset
      try fill()
      searchFrom = offset + scanned
    }
  }
}
