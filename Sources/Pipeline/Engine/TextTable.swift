/// Strings numbered in order of first appearance, compared by code point (UTF-8 byte for
/// byte, as `CodePointKey` compares): the engine keeps each category and `order_id` once.
///
/// An open-addressing table of numbers over the texts, hashed by a multiply-mix of their
/// UTF-8 words. `Hasher` (SipHash, seeded per process) and `Dictionary`'s resizes cost a
/// tenth of the pipeline at 1M lines, where almost every `order_id` is new. The numbering
/// depends only on the order of first appearance, never on the hash.
struct TextTable: Sendable {
  private(set) var texts: [String] = []
  /// The hash of each text, by number: probes compare it before the bytes, and a resize
  /// places the numbers again without hashing any text.
  private var hashes: [UInt64] = []
  /// A number, or -1 for an empty slot; at most half full.
  private var slots = [Int32](repeating: -1, count: 16)

  /// The number of `text`, assigned on first sight.
  mutating func number(_ text: String) -> Int32 {
    var text = text
    let hash = text.withUTF8(Self.hash)
    if (texts.count + 1) * 2 > slots.count { grow() }
    let mask = slots.count - 1
    var index = Int(truncatingIfNeeded: hash) & mask
    while case let number = slots[index], number >= 0 {
      if hashes[Int(number)] == hash, texts[Int(number)].utf8.elementsEqual(text.utf8) {
        return number
      }
      index = (index + 1) & mask
    }
    let number = Int32(truncatingIfNeeded: texts.count)
    slots[index] = number
    texts.append(text)
    hashes.append(hash)
    return number
  }

  subscript(number: Int32) -> String { texts[Int(number)] }

  private mutating func grow() {
    var bigger = [Int32](repeating: -1, count: slots.count * 2)
    let mask = bigger.count - 1
    for (number, hash) in hashes.enumerated() {
      var index = Int(truncatingIfNeeded: hash) & mask
      while bigger[index] >= 0 { index = (index + 1) & mask }
      bigger[index] = Int32(truncatingIfNeeded: number)
    }
    slots = bigger
  }

  /// Eight bytes at a time, each word mixed in by a multiply and a shift; the length is
  /// mixed in too, so texts that differ only by trailing zero bytes differ.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    let raw = UnsafeRawBufferPointer(bytes)
    var offset = 0
    while offset + 8 <= raw.count {
      hash =
        (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        &* 0xBF58_476D_1CE4_E5B9
      hash ^= hash >> 31
      offset += 8
    }
    var tail: UInt64 = 0
    while offset < raw.count {
      tail = tail << 8 | UInt64(raw[offset])
      offset += 1
    }
    hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
    return hash ^ hash >> 29
  }
}
