import Testing

@testable import Harness

@Suite("A stream split into batches")
struct BatchSplitTests {
  @Test(
    "even batches are nearly equal, end at the last line and never empty",
    arguments: [
      (0, 1), (0, 5), (1, 1), (1, Int.max), (7, 3), (300, 7), (300, 300), (300, 1_000),
      (300, Int.max), (1_000_003, 9), (Int.max, 2), (Int.max, 1_000),
    ])
  func evenBatches(lines: Int, count: Int) {
    let ends = Scenario.Batches.even(count).ends(lineCount: lines)
    #expect(ends.last == lines)
    #expect(ends.count == (lines == 0 ? 1 : min(count, lines)))
    #expect(Scenario.Batches.even(count).count(lineCount: lines) == ends.count)
    let sizes = zip(ends, [0] + ends).map { $0 - $1 }
    #expect(lines == 0 || sizes.allSatisfy { $0 >= 1 })
    #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
  }

  @Test("cuts outside the stream are dropped, the last line always ends a batch")
  func boundaries() {
    let ends = Scenario.Batches.boundaries([Int.min, -1, 0, 3, 9, 10, Int.max]).ends(lineCount: 10)
    #expect(ends == [3, 9, 10])
  }
}
