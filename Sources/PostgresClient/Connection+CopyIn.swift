import CLibPQ

extension Connection {
  /// `COPY … FROM STDIN`: `body` writes the data through the writer; returns rows copied.
  @discardableResult
  public func copyIn(_ sql: String, _ body: (CopyWriter) throws -> Void) throws -> Int {
    let start = PQexec(handle, sql)
    defer { PQclear(start) }
    guard PQresultStatus(start) == PGRES_COPY_IN else {
      try check(start, kind: .copy)
      throw PostgresError(kind: .copy, message: "statement did not start COPY FROM STDIN")
    }
    let writer = CopyWriter(handle: handle)
    var failure: Error?
    do {
      try body(writer)
      try writer.flush()
    } catch {
      failure = error
    }
    let ended =
      failure == nil ? PQputCopyEnd(handle, nil) : PQputCopyEnd(handle, "aborted by client")
    guard ended == 1 else { throw connectionError() }
    return try finishCopy(after: failure)
  }

  /// Reads the results that end a COPY and returns the rows copied. `failure`, an error
  /// raised on the client's side during the COPY, wins over the server's own.
  func finishCopy(after failure: Error?) throws -> Int {
    var copied = 0
    while let result = PQgetResult(handle) {
      defer { PQclear(result) }
      if failure == nil { try check(result, kind: .copy) }
      copied += Int(String(cString: PQcmdTuples(result))) ?? 0
    }
    if let failure { throw failure }
    return copied
  }
}
