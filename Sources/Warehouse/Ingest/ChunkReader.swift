import Foundation
import Pipeline
import PostgresClient

/// Reads a descriptor in 1 MiB chunks and hands out its delivered lines, with flat memory.
struct ChunkReader {
  let descriptor: Int32
  /// Names the input in messages.
  let name: String
  /// The longest line handed out; a longer one throws `Ingestor.LineTooLong` once this many
  /// bytes of it are read, so an endless line never fills memory.
  let maximumLineBytes: Int
  private var buffer: [UInt8] = []
  private var offset = 0
  /// Bytes of the input dropped from the front of `buffer`: `buffer[i]` is byte
  /// `dropped + i` of the input.
  private var dropped = 0
  private var atEnd = false

  init(descriptor: Int32, name: String, maximumLineBytes: Int = .max) {
    self.descriptor = descriptor
    self.name = name
    self.maximumLineBytes = maximumLineBytes
  }

  private mutating func fill() throws {
    if offset > 0, offset >= buffer.count / 2 {
      buffer.removeFirst(offset)
      dropped += offset
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

  /// Throws when the line being read, `length` bytes so far, is already too long.
  private func checkLength(_ length: Int) throws {
    guard length > maximumLineBytes else { return }
    throw Ingestor.LineTooLong(
      name: name, byteOffset: dropped + offset, limit: maximumLineBytes)
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
        try checkLength(end - offset)
        let start = offset
        offset = end + 1
        return try buffer.withUnsafeBufferPointer {
          try body(UnsafeBufferPointer(rebasing: $0[start..<end]), true)
        }
      }
      if atEnd {
        guard offset < buffer.count else { return nil }
        try checkLength(buffer.count - offset)
        let start = offset
        offset = buffer.count
        return try buffer.withUnsafeBufferPointer {
          try body(UnsafeBufferPointer(rebasing: $0[start...]), false)
        }
      }
      try checkLength(buffer.count - offset)
      let scanned = buffer.count - offset
      try fill()
      searchFrom = offset + scanned
    }
  }
}
