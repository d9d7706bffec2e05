import CLibPQ

extension Connection {
  /// `COPY … TO STDOUT`: streams the data to `onData`, one CopyData message at a time (one
  /// row in the text and CSV formats; the binary format adds its header to the first and
  /// sends its trailer alone). Memory stays flat however many rows there are.
  ///
  /// When `onData` throws, the rest of the stream is read and dropped, so the connection
  /// stays usable, and the error is rethrown. Returns the rows copied.
  @discardableResult
  public func copyOut(_ sql: String, _ onData: (UnsafeRawBufferPointer) throws -> Void) throws
    -> Int
  {
    let start = PQexec(handle, sql)
    defer { PQclear(start) }
    guard PQresultStatus(start) == PGRES_COPY_OUT else {
      try check(start, kind: .copy)
      throw PostgresError(kind: .copy, message: "statement did not start COPY TO STDOUT")
    }
    var failure: Error?
    while true {
      var buffer: UnsafeMutablePointer<CChar>?
      let length = PQgetCopyData(handle, &buffer, 0)
      if length == -1 { break }
      guard length >= 0, let buffer else { throw connectionError() }
      defer { PQfreemem(buffer) }
      guard failure == nil else { continue }
      do {
        try onData(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
      } catch {
        failure = error
      }
    }
    return try finishCopy(after: failure)
  }
}
