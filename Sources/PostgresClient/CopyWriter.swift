import CLibPQ

/// Buffers COPY data and sends it in chunks of about 32 KB (measured fastest here).
public final class CopyWriter {
  private let handle: OpaquePointer
  private var buffer: [UInt8] = []
  public static let chunkSize = 32 * 1024

  init(handle: OpaquePointer) {
    self.handle = handle
    buffer.reserveCapacity(Self.chunkSize * 2)
  }

  /// Queues `bytes`, sending when a chunk is full.
  public func write(_ bytes: some Collection<UInt8>) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= Self.chunkSize { try flush() }
  }

  func flush() throws {
    guard !buffer.isEmpty else { return }
    // Chunks stay near chunkSize unless one write was huge; libpq takes an Int32 length.
    var sentUpTo = 0
    while sentUpTo < buffer.count {
      let count = min(buffer.count - sentUpTo, Int(Int32.max))
      let sent = buffer.withUnsafeBufferPointer { bytes in
        bytes.withMemoryRebound(to: CChar.self) {
          PQputCopyData(handle, $0.baseAddress! + sentUpTo, Int32(count))
        }
      }
      guard sent == 1 else {
        throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(handle)))
      }
      sentUpTo += count
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
