import ChaosOracle
import ExportFormat
import Pipeline
import Testing

/// Bytes held outside the store (as a mapped file is), recording what the store releases.
private final class RecordedBytes: ExternalBytes, @unchecked Sendable {
  let buffer: UnsafeBufferPointer<UInt8>
  private(set) var released: [Range<Int>] = []

  init(_ bytes: [UInt8]) {
    let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, bytes.count))
    _ = storage.initialize(from: bytes)
    buffer = UnsafeBufferPointer(rebasing: storage[..<bytes.count])
  }

  func release(_ range: Range<Int>) { released.append(range) }

  /// Whether the released ranges together cover every byte.
  var everythingReleased: Bool {
    var covered = 0
    for range in released.sorted(by: { $0.lowerBound < $1.lowerBound }) {
      guard range.lowerBound <= covered else { return false }
      covered = max(covered, range.upperBound)
    }
    return covered >= buffer.count
  }

  deinit { UnsafeMutableBufferPointer(mutating: buffer).deallocate() }
}

@Suite("Lines read in place from bytes held elsewhere")
struct LineStoreTests {
  @Test(
    "the engine gives the same five files from external bytes as from its own, and lets go of all of them"
  )
  func sameResults() {
    // heavy: replays and conflicting duplicates, so rule 3 reads lines again
    let stream = streamBytes(generate(seed: 11, events: 4_000, profile: preset("heavy")))
    var owned = MemoryEngine()
    owned.append(jsonl: stream)
    owned.run()
    let external = RecordedBytes(stream)
    var inPlace = MemoryEngine()
    inPlace.append(jsonl: external)
    inPlace.run()
    #expect(inPlace.export() == owned.export())
    #expect(external.everythingReleased)
    #expect(inPlace.raw.count == owned.raw.count)
    #expect((0..<owned.raw.count).allSatisfy { inPlace.raw[$0] == owned.raw[$0] })
  }

  @Test("lines appended after adopted external bytes are copied behind them, in order")
  func appendAfterAdopting() {
    let deliveries = generate(seed: 12, events: 3_000, profile: preset("default"))
    let first = streamBytes(Array(deliveries.prefix(2_000)))
    let rest = streamBytes(Array(deliveries.dropFirst(2_000)))
    var owned = MemoryEngine()
    owned.append(jsonl: first)
    owned.run()
    owned.append(jsonl: rest)
    owned.run()
    var inPlace = MemoryEngine()
    inPlace.append(jsonl: RecordedBytes(first))
    inPlace.run()
    inPlace.append(jsonl: RecordedBytes(rest))  // not empty any more: copied
    inPlace.run()
    #expect(inPlace.export() == owned.export())
  }

  @Test("an empty buffer and a last line without a newline count as JSONL text does")
  func edges() {
    var empty = LineStore()
    empty.append(jsonl: RecordedBytes([]))
    #expect(empty.count == 0)
    var store = LineStore()
    store.append(jsonl: RecordedBytes(Array("a\n\nb".utf8)))
    #expect(store.count == 3)
    #expect(store[1] == [] && store[2] == Array("b".utf8))
  }
}
