/// Delivered lines kept byte for byte in one contiguous buffer (no allocation per line).
public struct LineStore: Sendable {
  private var bytes: [UInt8] = []
  private var starts: [Int] = []
  private var ends: [Int] = []

  public init() {}

  public var count: Int { ends.count }

  public mutating func append(_ line: some Collection<UInt8>) {
    starts.append(bytes.count)
    bytes.append(contentsOf: line)
    ends.append(bytes.count)
  }

  /// Appends the lines of JSONL text: split at `\n`; an empty line is a line, and a last
  /// line without `\n` counts too. An empty store adopts `text` as its buffer (no copy).
  public mutating func append(jsonl text: [UInt8]) {
    let base: Int
    if bytes.isEmpty {
      bytes = text
      base = 0
    } else {
      base = bytes.count
      bytes.append(contentsOf: text)
    }
    let estimate = text.count / 200 + 1
    starts.reserveCapacity(starts.count + estimate)
    ends.reserveCapacity(ends.count + estimate)
    text.withUnsafeBufferPointer { buffer in
      JSONLines.forEachLine(in: buffer) { line in
        starts.append(base + line.lowerBound)
        ends.append(base + line.upperBound)
      }
    }
  }

  /// The bytes of line `index` (0-based).
  public subscript(index: Int) -> [UInt8] { Array(bytes[starts[index]..<ends[index]]) }

  /// Runs `body` over every line in `indices` without copying them.
  func forEachLine(in indices: Range<Int>, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
    bytes.withUnsafeBufferPointer { all in
      for index in indices {
        body(index, UnsafeBufferPointer(rebasing: all[starts[index]..<ends[index]]))
      }
    }
  }
}
