/// PostgreSQL's binary COPY format: raw bytes travel as they are (no escaping), which is
/// both exact for `bytea` and fast.
struct BinaryCopyEncoder {
  private(set) var bytes: [UInt8] = []

  static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

  mutating func header() {
    bytes += Self.signature
    appendInt32(0)  // flags
    appendInt32(0)  // header extension length
  }

  mutating func trailer() { appendInt16(-1) }

  mutating func row(fieldCount: Int) { appendInt16(Int16(fieldCount)) }

  mutating func null() { appendInt32(-1) }

  mutating func int8(_ value: Int64) {
    appendInt32(8)
    withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
  }

  mutating func bool(_ value: Bool) {
    appendInt32(1)
    bytes.append(value ? 1 : 0)
  }

  /// `bytea` and `text` (valid UTF-8, no NUL) both travel as their raw bytes.
  mutating func raw(_ value: some Collection<UInt8>) {
    appendInt32(Int32(value.count))
    bytes += value
  }

  mutating func optionalRaw(_ value: [UInt8]?) {
    if let value { raw(value) } else { null() }
  }

  /// `jsonb`: a version byte, then the JSON text.
  mutating func jsonb(_ text: [UInt8]?) {
    guard let text else { return null() }
    appendInt32(Int32(text.count + 1))
    bytes.append(1)
    bytes += text
  }

  mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

  private mutating func appendInt32(_ value: Int32) {
    withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
  }

  private mutating func appendInt16(_ value: Int16) {
    withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
  }
}
