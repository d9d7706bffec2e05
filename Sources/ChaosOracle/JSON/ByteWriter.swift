/// A growable buffer that a line is written into. An append is a capacity check and a
/// store: `Array`'s append also checks that its storage is uniquely referenced, every time,
/// and a line is a few dozen small pieces.
struct ByteWriter: ~Copyable {
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private(set) var count = 0

  init(capacity: Int = 384) {
    self.capacity = max(16, capacity)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  @inline(__always) mutating func append(_ byte: UInt8) {
    if count == capacity { grow(toAtLeast: count + 1) }
    base[count] = byte
    count += 1
  }

  @inline(__always) mutating func append(_ first: UInt8, _ second: UInt8) {
    if count + 2 > capacity { grow(toAtLeast: count + 2) }
    base[count] = first
    base[count + 1] = second
    count += 2
  }

  @inline(__always) mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
    if count + bytes.count > capacity { grow(toAtLeast: count + bytes.count) }
    (base + count).initialize(from: source, count: bytes.count)
    count += bytes.count
  }

  mutating func append(contentsOf bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
  }

  /// The UTF-8 of `text`.
  mutating func append(utf8 text: String) {
    var text = text
    text.withUTF8 { append(contentsOf: $0) }
  }

  /// The bytes of a static string (keys and literals).
  @inline(__always) mutating func append(_ text: StaticString) {
    append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// Lets `body` write at most `maxCount` bytes in place at the end (into uninitialized
  /// memory); `body` returns how many it wrote.
  @inline(__always) mutating func append(
    atMost maxCount: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int
  ) {
    if count + maxCount > capacity { grow(toAtLeast: count + maxCount) }
    count += body(UnsafeMutableBufferPointer(start: base + count, count: maxCount))
  }

  /// What has been written, as an array.
  consuming func bytes() -> [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

  private mutating func grow(toAtLeast needed: Int) {
    let bigger = max(needed, capacity * 2)
    let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
    storage.initialize(from: base, count: count)
    base.deallocate()
    base = storage
    capacity = bigger
  }
}
