import ExportFormat

/// One transactional batch of an ingest, read and staged before its commit: a byte range of
/// the input, its lines back to back, their content hash and their staged rows. Only the
/// positions raw gives the lines are left for the commit to fill in.
struct IngestBatch: Sendable {
  /// The input's byte range `start..<end`, newlines included.
  let start: Int
  private(set) var end: Int
  /// The lines back to back, without their newlines.
  private(set) var bytes: [UInt8] = []
  /// Where each line ends in `bytes`.
  private(set) var lineEnds: [Int] = []
  /// FNV-1a over the range's bytes (`ingest_batches.content_hash`).
  private(set) var hash: UInt64 = 0xCBF2_9CE4_8422_2325
  /// Whether the last line ended with a newline.
  private(set) var endsWithNewline = true
  /// The lines' `stg_events` rows (binary COPY), each with `seq` 0 until `stagedRows(from:)`.
  private var staged = BinaryCopyEncoder()
  private var seqOffsets: [Int] = []

  /// An empty batch at byte `start`, with room for `lines` lines of `bytes` bytes in all
  /// (reserved, not touched: a batch that grows past them moves its buffers instead of
  /// doubling them one step at a time).
  init(start: Int, lines: Int = 0, bytes: Int = 0) {
    self.start = start
    end = start
    self.bytes.reserveCapacity(bytes)
    // `bytes` bytes hold about that many lines at most (empty lines grow the lists as needed):
    // `--batch-lines` may be any count, and reserving it whole could not be allocated
    lineEnds.reserveCapacity(min(lines, bytes))
    seqOffsets.reserveCapacity(min(lines, bytes))
    staged.reserveCapacity(bytes)
    staged.header()
  }

  var lineCount: Int { lineEnds.count }

  /// Appends a line: its bytes, its hash, and its staged row (the parse happens here).
  mutating func add(_ line: UnsafeBufferPointer<UInt8>, endsWithNewline: Bool) {
    bytes.append(contentsOf: line)
    lineEnds.append(bytes.count)
    hash = fnv1a64(line, seed: hash)
    if endsWithNewline { hash = fnv1a64(CollectionOfOne(0x0A), seed: hash) }
    self.endsWithNewline = endsWithNewline
    end += line.count + (endsWithNewline ? 1 : 0)
    seqOffsets.append(staged.bytes.count + StagedEvent.seqValueOffset)
    StagedEvent.encode(line, seq: 0, into: &staged)
  }

  /// Calls `body` with each line's offset in the batch and its bytes.
  func forEachLine(_ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
    try bytes.withUnsafeBufferPointer { all in
      var lineStart = 0
      for (offset, lineEnd) in lineEnds.enumerated() {
        try body(offset, UnsafeBufferPointer(rebasing: all[lineStart..<lineEnd]))
        lineStart = lineEnd
      }
    }
  }

  /// The whole binary COPY stream of the staged rows (header and trailer included), the
  /// lines numbered `firstSeq`, `firstSeq + 1`, … The batch gives the rows up: it holds no
  /// staged rows afterwards.
  mutating func takeStagedRows(numberedFrom firstSeq: Int64) -> [UInt8] {
    for (offset, seqOffset) in seqOffsets.enumerated() {
      staged.setInt8(at: seqOffset, to: firstSeq + Int64(offset))
    }
    staged.trailer()
    defer {
      staged = BinaryCopyEncoder()
      seqOffsets = []
    }
    return staged.bytes
  }
}
