/// An open-addressing map from `EventKey` to the first line holding it.
///
/// `event_id`s are 128 random bits in practice, so a multiply-shift of their bits is a good
/// hash; this avoids `Hasher` on the hottest path (one lookup per delivered line), and one
/// slot holds key and value so a probe touches one cache line.
struct EventKeyTable: Sendable {
  private struct Slot {
    var key: EventKey
    /// The line, or -1 for an empty slot.
    var value: Int
  }

  private var slots: [Slot]
  private(set) var count = 0
  private var mask: Int

  init(capacity: Int = 16) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = Array(repeating: Slot(key: EventKey(high: 0, low: 0), value: -1), count: size)
    mask = size - 1
  }

  @inline(__always) private func slot(_ key: EventKey) -> Int {
    let mixed = (key.low ^ (key.high &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
    return Int(truncatingIfNeeded: mixed >> 20) & mask
  }

  subscript(key: EventKey) -> Int? {
    var index = slot(key)
    while slots[index].value >= 0 {
      if slots[index].key == key { return slots[index].value }
      index = (index + 1) & mask
    }
    return nil
  }

  /// Stores `value` for `key` unless the key is present; returns the stored value.
  mutating func insertIfAbsent(_ key: EventKey, _ value: Int) -> Int {
    if (count + 1) * 2 > slots.count { rehash(to: slots.count) }
    var index = slot(key)
    while slots[index].value >= 0 {
      if slots[index].key == key { return slots[index].value }
      index = (index + 1) & mask
    }
    slots[index] = Slot(key: key, value: value)
    count += 1
    return value
  }

  mutating func reserveCapacity(_ capacity: Int) {
    if capacity * 2 > slots.count { rehash(to: capacity) }
  }

  private mutating func rehash(to capacity: Int) {
    var bigger = EventKeyTable(capacity: capacity)
    for slot in slots where slot.value >= 0 { _ = bigger.insertIfAbsent(slot.key, slot.value) }
    self = bigger
  }
}
