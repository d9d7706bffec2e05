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

  /// Queues `bytes`, sending when a chunk is full. A large write goes out a chunk at a
  /// time, never copied whole into the buffer (nor into libpq's).
  public func write(_ bytes: some Collection<UInt8>) throws {
    var rest = bytes[...]
    while !rest.isEmpty {
      let piece = rest.prefix(Self.chunkSize - buffer.count)
      buffer.append(contentsOf: piece)
      rest = rest[piece.endIndex...]
      if buffer.count >= Self.chunkSize { try flush() }
    }
  }

  func flush() throws {
    guard !buffer.isEmpty else { return }
    // `write` keeps the buffer to a chunk, well within libpq's Int32 length.
    let sent = buffer.withUnsafeBufferPointer { bytes in
      bytes.withMemoryRebound(to: CChar.self) {
        PQputCopyData(handle, $0.baseAddress!, Int32(bytes.count))
      }
    }
    guard sent == 1 else {
      throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(handle)))
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
