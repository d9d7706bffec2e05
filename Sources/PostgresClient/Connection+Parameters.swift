import CLibPQ

extension Connection {
  /// Lays out `parameters` as libpq wants them (values, lengths, formats) for `body`; every
  /// value's bytes stay alive, NUL-terminated for text, until `body` returns.
  func withParameters(
    _ parameters: [Parameter],
    _ body: (
      UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?
    ) -> OpaquePointer?
  ) throws -> OpaquePointer? {
    // Keep every parameter's bytes alive (NUL-terminated for text) for the call.
    var storage: [[UInt8]] = []
    var lengths: [Int32] = []
    var formats: [Int32] = []
    for parameter in parameters {
      switch parameter {
      case .text(let text):
        storage.append(Array(text.utf8) + [0])
        lengths.append(try Self.length(text.utf8.count))
        formats.append(0)
      case .bytes(let bytes):
        storage.append(bytes.isEmpty ? [0] : bytes)
        lengths.append(try Self.length(bytes.count))
        formats.append(1)
      case .null:
        storage.append([])
        lengths.append(0)
        formats.append(0)
      }
    }
    return try withPointers(storage, parameters) { pointers in
      lengths.withUnsafeBufferPointer { lengthBuffer in
        formats.withUnsafeBufferPointer { formatBuffer in
          pointers.withUnsafeBufferPointer { pointerBuffer in
            body(pointerBuffer.baseAddress, lengthBuffer.baseAddress, formatBuffer.baseAddress)
          }
        }
      }
    }
  }

  /// A parameter's length as libpq takes it; PostgreSQL refuses values over 1 GB anyway.
  private static func length(_ count: Int) throws -> Int32 {
    guard let length = Int32(exactly: count) else {
      throw PostgresError(kind: .statement, message: "a parameter of \(count) bytes is too large")
    }
    return length
  }

  private func withPointers<T>(
    _ storage: [[UInt8]], _ parameters: [Parameter],
    _ body: ([UnsafePointer<CChar>?]) throws -> T
  ) rethrows -> T {
    var pointers: [UnsafePointer<CChar>?] = []
    func recurse(_ index: Int) throws -> T {
      if index == storage.count { return try body(pointers) }
      if case .null = parameters[index] {
        pointers.append(nil)
        return try recurse(index + 1)
      }
      return try storage[index].withUnsafeBufferPointer { buffer in
        try buffer.withMemoryRebound(to: CChar.self) { chars in
          pointers.append(chars.baseAddress)
          return try recurse(index + 1)
        }
      }
    }
    return try recurse(0)
  }
}
