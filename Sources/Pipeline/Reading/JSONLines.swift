/// How JSONL text splits into delivered lines, in one place for every reader (the memory
/// engine, ingest, tests): a line ends at `\n` (a `\r` before it stays part of the line), an
/// empty line is a line, and a last line without `\n` is a line too.
package enum JSONLines {
  /// Calls `body` with the range of each line that ends with `\n` in `buffer[start...]`
  /// (the range excludes the `\n`) and returns where the unterminated rest begins.
  @discardableResult
  package static func forEachTerminatedLine(
    in buffer: UnsafeBufferPointer<UInt8>, from start: Int, _ body: (Range<Int>) -> Void
  ) -> Int {
    var lineStart = start
    while let end = lineEnd(in: buffer, from: lineStart) {
      body(lineStart..<end)
      lineStart = end + 1
    }
    return lineStart
  }

  /// The index of the first `\n` in `buffer[start...]`, if any: where the line ends.
  package static func lineEnd(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
    guard start < buffer.count else { return nil }
    return UnsafeBufferPointer(rebasing: buffer[start...]).firstIndex(of: 0x0A).map { start + $0 }
  }

  /// Calls `body` with the range of every delivered line of complete JSONL text.
  package static func forEachLine(
    in buffer: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void
  ) {
    let rest = forEachTerminatedLine(in: buffer, from: 0, body)
    if rest < buffer.count { body(rest..<buffer.count) }
  }

  /// The delivered lines of complete JSONL text, as byte arrays.
  package static func split(_ text: [UInt8]) -> [[UInt8]] {
    var lines: [[UInt8]] = []
    text.withUnsafeBufferPointer { buffer in
      forEachLine(in: buffer) { lines.append(Array(buffer[$0])) }
    }
    return lines
  }

  /// Lines joined as JSONL: each followed by `\n`.
  package static func join(_ lines: some Sequence<[UInt8]>) -> [UInt8] {
    var text: [UInt8] = []
    for line in lines {
      text += line
      text.append(0x0A)
    }
    return text
  }
}
