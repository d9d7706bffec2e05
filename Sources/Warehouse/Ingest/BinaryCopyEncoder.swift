import PostgresClient

/// PostgreSQL's binary COPY format: raw bytes travel as they are (no escaping), which is
/// both exact for `bytea` and fast.
struct BinaryCopyEncoder {
  private(set) var bytes: [UInt8] = []

  static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

  mutating func reserveCapacity(_ count: Int) { bytes.reserveCapacity(count) }

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

  mutating func int4(_ value: Int32) {
    appendInt32(4)
    appendInt32(value)
  }

  /// `uuid`: its 16 bytes, most significant first.
  mutating func uuid(high: UInt64, low: UInt64) {
    appendInt32(16)
    withUnsafeBytes(of: high.bigEndian) { bytes += $0 }
    withUnsafeBytes(of: low.bigEndian) { bytes += $0 }
  }

  /// Overwrites the value of an `int8` field already written, whose 8 bytes start at
  /// `offset` (after the field's length).
  mutating func setInt8(at offset: Int, to value: Int64) {
    withUnsafeBytes(of: value.bigEndian) { value in
      bytes.withUnsafeMutableBytes { $0[offset..<offset + 8].copyBytes(from: value) }
    }
  }

  /// `timestamptz`: microseconds since 2000-01-01 00:00 UTC (given since 1970).
  mutating func timestamptz(unixMicroseconds: Int64) {
    int8(unixMicroseconds - Self.postgresEpochMicroseconds)
  }

  /// `date`: days since 2000-01-01 (given since 1970).
  mutating func date(daysSinceUnixEpoch days: Int64) {
    int4(Int32(truncatingIfNeeded: days - Self.postgresEpochDays))
  }

  /// 2000-01-01, PostgreSQL's epoch, counted from 1970-01-01.
  static let postgresEpochDays: Int64 = 10_957
  static let postgresEpochMicroseconds: Int64 = 946_684_800_000_000

  mutating func bool(_ value: Bool) {
    appendInt32(1)
    bytes.append(value ? 1 : 0)
  }

  /// `bytea` and `text` (valid UTF-8, no NUL) both travel as their raw bytes.
  mutating func raw(_ value: some Collection<UInt8>) {
    appendInt32(Int32(value.count))
    bytes += value
  }

  mutating func optionalText(_ value: String?) {
    if let value { raw(value.utf8) } else { null() }
  }

  /// Sends what is buffered once it reaches `threshold` bytes (everything with 0).
  mutating func send(to writer: CopyWriter, above threshold: Int = CopyWriter.chunkSize)
    throws
  {
    guard bytes.count >= threshold else { return }
    try writer.write(bytes)
    bytes.removeAll(keepingCapacity: true)
  }

  private mutating func appendInt32(_ value: Int32) {
    withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
  }

  private mutating func appendInt16(_ value: Int16) {
    withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
  }
}
