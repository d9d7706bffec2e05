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
