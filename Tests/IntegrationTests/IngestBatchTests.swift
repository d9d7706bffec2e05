import ExportFormat
import Foundation
import Pipeline
import Testing

@testable import Warehouse

@Suite("An ingest batch, read and staged before its commit")
struct IngestBatchTests {
  /// The lines of a heavy stream and every hostile case, with an empty line and one that
  /// ends without a newline.
  static func lines() -> [(bytes: [UInt8], endsWithNewline: Bool)] {
    let generated = jsonl(seed: 11, events: 3_000, profile: "heavy")
      .split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { Array($0) }
    let hostile = IngestTests.cases.map(\.line)
    return (generated + [[]] + hostile).enumerated().map { index, line in
      (line, index != generated.count + hostile.count)
    }
  }

  static func batch(of lines: [(bytes: [UInt8], endsWithNewline: Bool)], start: Int)
    -> IngestBatch
  {
    var batch = IngestBatch(start: start)
    for line in lines {
      line.bytes.withUnsafeBufferPointer { batch.add($0, endsWithNewline: line.endsWithNewline) }
    }
    return batch
  }

  @Test(
    "its staged rows, numbered at commit, are the rows staging each line with its seq writes",
    arguments: [Int64(1), 1_000_001, Int64(Int32.max) + 5])
  func stagedRowsAreNumberedAtCommit(firstSeq: Int64) {
    let lines = Self.lines()
    var expected = BinaryCopyEncoder()
    expected.header()
    for (offset, line) in lines.enumerated() {
      line.bytes.withUnsafeBufferPointer {
        StagedEvent.encode($0, seq: firstSeq + Int64(offset), into: &expected)
      }
    }
    expected.trailer()
    var batch = Self.batch(of: lines, start: 0)
    #expect(batch.takeStagedRows(numberedFrom: firstSeq) == expected.bytes)
  }

  @Test("it holds each line's bytes, its byte range and the hash of that range")
  func linesRangeAndHash() {
    let lines = Self.lines()
    let start = 4_096
    let batch = Self.batch(of: lines, start: start)
    var delivered: [[UInt8]] = []
    batch.forEachLine { offset, line in
      #expect(offset == delivered.count)
      delivered.append(Array(line))
    }
    #expect(delivered == lines.map(\.bytes))
    #expect(batch.lineCount == lines.count)
    var range: [UInt8] = []
    for line in lines { range += line.bytes + (line.endsWithNewline ? [0x0A] : []) }
    #expect(batch.start == start && batch.end == start + range.count)
    #expect(batch.hash == fnv1a64(range))
    #expect(batch.endsWithNewline == false)
  }
}
