/// Bytes a `LineStore` reads lines from in place, owned elsewhere: the CLI maps the input
/// file instead of copying it into the process.
///
/// The bytes must stay readable, unchanged, for as long as the store lives. `release(_:)`
/// only says that the engine is done with a range for now: the owner may drop the memory
/// behind it, as long as a later read of the range sees the same bytes again.
package protocol ExternalBytes: AnyObject, Sendable {
  var buffer: UnsafeBufferPointer<UInt8> { get }
  func release(_ range: Range<Int>)
}

/// Delivered lines kept byte for byte in one contiguous buffer (no allocation per line):
/// bytes of its own, or external bytes adopted whole (read in place).
package struct LineStore: Sendable {
  private var bytes: [UInt8] = []
  private var external: (any ExternalBytes)?
  private var starts: [Int] = []
  private var ends: [Int] = []

  /// How much of external bytes a pass reads before it releases what it has read.
  static let releaseStride = 8 << 20

  package init() {}

  package var count: Int { ends.count }

  package mutating func append(_ line: some Collection<UInt8>) {
    ownBytes()
    starts.append(bytes.count)
    bytes.append(contentsOf: line)
    ends.append(bytes.count)
  }

  /// Appends the lines of JSONL text: split at `\n`; an empty line is a line, and a last
  /// line without `\n` counts too. An empty store adopts `text` as its buffer (no copy).
  package mutating func append(jsonl text: [UInt8]) {
    ownBytes()
    let base: Int
    if bytes.isEmpty {
      bytes = text
      base = 0
    } else {
      base = bytes.count
      bytes.append(contentsOf: text)
    }
    text.withUnsafeBufferPointer { indexLines(of: $0, at: base, releasing: nil) }
  }

  /// Appends the lines of JSONL text held elsewhere. An empty store reads them in place,
  /// releasing each stretch once its lines are indexed; otherwise they are copied.
  package mutating func append(jsonl text: some ExternalBytes) {
    guard count == 0, external == nil else {
      return append(jsonl: Array(text.buffer))
    }
    bytes = []
    external = text
    indexLines(of: text.buffer, at: 0, releasing: text)
  }

  /// The bytes of line `index` (0-based). A line read again from external bytes (rule 3
  /// rereads the lines of repeated `event_id`s) is released once copied.
  package subscript(index: Int) -> [UInt8] {
    let range = starts[index]..<ends[index]
    guard let external else { return Array(bytes[range]) }
    defer { external.release(range) }
    return Array(external.buffer[range])
  }

  /// Runs `body` over every line in `indices` without copying them. Over external bytes,
  /// what has been read is released every `releaseStride` bytes.
  func forEachLine(in indices: Range<Int>, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
    withAllBytes { all in
      var unreleased = indices.isEmpty ? 0 : starts[indices.lowerBound]
      for index in indices {
        body(index, UnsafeBufferPointer(rebasing: all[starts[index]..<ends[index]]))
        if let external, ends[index] - unreleased >= Self.releaseStride {
          external.release(unreleased..<ends[index])
          unreleased = ends[index]
        }
      }
      if let external, let last = indices.last { external.release(unreleased..<ends[last]) }
    }
  }

  private func withAllBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
    if let external { return body(external.buffer) }
    return bytes.withUnsafeBufferPointer(body)
  }

  /// Copies adopted external bytes into the store's own buffer (before appending to it).
  private mutating func ownBytes() {
    guard let external else { return }
    bytes = Array(external.buffer)
    self.external = nil
  }

  private mutating func indexLines(
    of text: UnsafeBufferPointer<UInt8>, at base: Int, releasing owner: (any ExternalBytes)?
  ) {
    let estimate = text.count / 200 + 1
    starts.reserveCapacity(starts.count + estimate)
    ends.reserveCapacity(ends.count + estimate)
    var unreleased = 0
    JSONLines.forEachLine(in: text) { line in
      starts.append(base + line.lowerBound)
      ends.append(base + line.upperBound)
      if let owner, line.upperBound - unreleased >= Self.releaseStride {
        owner.release(unreleased..<line.upperBound)
        unreleased = line.upperBound
      }
    }
    owner?.release(unreleased..<text.count)
  }
}
