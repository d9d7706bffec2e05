/// An open-addressing set of lines, one per `event_id`: the first line delivered with it.
///
/// A slot holds only the line (8 bytes); the key is read from the line's record through the
/// `key` closure, so the table costs a sixth of a key-and-value slot per line. `event_id`s
/// are 128 random bits in practice, so a multiply-shift of their bits is a good hash; this
/// avoids `Hasher` on the hottest path (one lookup per delivered line).
struct EventKeyTable: Sendable {
  /// The line, or -1 for an empty slot.
  private var slots: [Int]
  private(set) var count = 0
  private var mask: Int

  init(capacity: Int = 16) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = Array(repeating: -1, count: size)
    mask = size - 1
  }

  @inline(__always) private func slot(_ key: EventKey) -> Int {
    let mixed = (key.low ^ (key.high &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
    return Int(truncatingIfNeeded: mixed >> 20) & mask
  }

  /// Stores `line` for `key` unless the key is present; returns the stored line.
  @inline(__always)
  mutating func insertIfAbsent(_ key: EventKey, line: Int, key keyOf: (Int) -> EventKey) -> Int {
    if (count + 1) * 2 > slots.count { rehash(to: slots.count, key: keyOf) }
    var index = slot(key)
    while slots[index] >= 0 {
      if keyOf(slots[index]) == key { return slots[index] }
      index = (index + 1) & mask
    }
    slots[index] = line
    count += 1
    return line
  }

  mutating func reserveCapacity(_ capacity: Int, key keyOf: (Int) -> EventKey) {
    if capacity * 2 > slots.count { rehash(to: capacity, key: keyOf) }
  }

  private mutating func rehash(to capacity: Int, key keyOf: (Int) -> EventKey) {
    var bigger = EventKeyTable(capacity: capacity)
    for line in slots where line >= 0 {
      _ = bigger.insertIfAbsent(keyOf(line), line: line, key: keyOf)
    }
    self = bigger
  }
}
