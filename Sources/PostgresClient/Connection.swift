import CLibPQ
import Glibc
import Logging

/// A value passed to a parameterized statement. Data only ever travels this way or by COPY:
/// no SQL is assembled from it.
public enum Parameter: Sendable, Hashable {
  case text(String)
  case bytes([UInt8])
  case null

  public static func int(_ value: some BinaryInteger) -> Parameter { .text(String(value)) }
}

/// The rows of a statement's result, as text (NULL as `nil`).
public struct QueryResult: Sendable {
  public var columns: [String]
  public var rows: [[String?]]
  /// Rows affected (`INSERT`, `UPDATE`, `DELETE`, `COPY`), 0 otherwise.
  public var affectedRows: Int

  /// The single value of a one-row, one-column result.
  public var scalar: String? { rows.first?.first ?? nil }
}

/// One libpq connection. Not safe for concurrent use: open one per task.
public final class Connection: @unchecked Sendable {
  private let handle: OpaquePointer
  private let noticeSink: NoticeSink

  /// Connects with a libpq connection string or URL (`postgresql://…`, `host=… dbname=…`);
  /// the empty string means libpq's defaults and the standard `PG*` variables.
  public convenience init(_ conninfo: String, logger: Logger = Logger(label: "chaoslake.postgres"))
    throws
  {
    try self.init(parameters: [("dbname", conninfo)], logger: logger)
  }

  /// Connects like `init(_:)`, but to `database` on the same server: the connection string
  /// (URL or key=value) is expanded and its database name replaced.
  public convenience init(
    _ conninfo: String, database: String, logger: Logger = Logger(label: "chaoslake.postgres")
  ) throws {
    try self.init(parameters: [("dbname", conninfo), ("dbname", database)], logger: logger)
  }

  /// Connects with keyword/value pairs; the first `dbname` may itself be a connection string
  /// or URL (libpq's `expand_dbname`), and later pairs override what it says.
  private init(parameters: [(String, String)], logger: Logger) throws {
    let keys = parameters.map { strdup($0.0) } + [nil]
    let values = parameters.map { strdup($0.1) } + [nil]
    defer { (keys + values).forEach { free($0) } }
    let handle = keys.map { UnsafePointer($0) }.withUnsafeBufferPointer { keyBuffer in
      values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valueBuffer in
        PQconnectdbParams(keyBuffer.baseAddress, valueBuffer.baseAddress, 1)
      }
    }
    guard let handle else {
      throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
    }
    guard PQstatus(handle) == CONNECTION_OK else {
      let message = String(cString: PQerrorMessage(handle))
      PQfinish(handle)
      throw PostgresError(kind: .connection, message: message)
    }
    self.handle = handle
    noticeSink = NoticeSink(logger: logger)
    PQsetNoticeReceiver(
      handle,
      { context, result in
        guard let context, let result else { return }
        Unmanaged<NoticeSink>.fromOpaque(context).takeUnretainedValue().receive(result)
      }, Unmanaged.passUnretained(noticeSink).toOpaque())
  }

  deinit { PQfinish(handle) }

  /// The server's version number (`150018` for 15.18).
  public var serverVersion: Int { Int(PQserverVersion(handle)) }

  /// Runs one statement with parameters (`$1`, `$2`, …), sent separately from the SQL.
  @discardableResult
  public func execute(_ sql: String, _ parameters: [Parameter] = []) throws -> QueryResult {
    let result = try withParameters(parameters) { values, lengths, formats in
      PQexecParams(handle, sql, Int32(parameters.count), nil, values, lengths, formats, 0)
    }
    defer { PQclear(result) }
    try check(result, kind: .statement)
    return Self.rows(of: result!)
  }

  /// Runs a fixed script (several statements, no parameters): migrations and models only.
  public func executeScript(_ sql: String) throws {
    let result = PQexec(handle, sql)
    defer { PQclear(result) }
    try check(result, kind: .statement)
  }

  /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
  public func transaction<T>(_ body: () throws -> T) throws -> T {
    try execute("begin")
    do {
      let value = try body()
      try execute("commit")
      return value
    } catch {
      _ = try? execute("rollback")
      throw error
    }
  }

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

  /// `COPY … TO STDOUT`: `body` receives the data chunk by chunk (one row per chunk for
  /// text formats).
  public func copyOut(_ sql: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
    let start = PQexec(handle, sql)
    defer { PQclear(start) }
    guard PQresultStatus(start) == PGRES_COPY_OUT else {
      try check(start, kind: .copy)
      throw PostgresError(kind: .copy, message: "statement did not start COPY TO STDOUT")
    }
    var buffer: UnsafeMutablePointer<CChar>?
    var failure: Error?
    while true {
      let length = PQgetCopyData(handle, &buffer, 0)
      if length == -1 { break }
      if length == -2 { throw connectionError() }
      if let chunk = buffer {
        if failure == nil {
          do {
            try chunk.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
              try body(UnsafeBufferPointer(start: $0, count: Int(length)))
            }
          } catch {
            failure = error
          }
        }
        PQfreemem(chunk)
      }
    }
    while let result = PQgetResult(handle) {
      defer { PQclear(result) }
      try check(result, kind: .copy)
    }
    if let failure { throw failure }
  }

  // MARK: - Internals

  private func connectionError() -> PostgresError {
    PostgresError(kind: .connection, message: String(cString: PQerrorMessage(handle)))
  }

  private func check(_ result: OpaquePointer?, kind: PostgresError.Kind) throws {
    guard let result else { throw connectionError() }
    switch PQresultStatus(result) {
    case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_EMPTY_QUERY:
      return
    default:
      func field(_ code: Int32) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
      }
      let sqlState = field(Int32(UInt8(ascii: "C")))
      let message = field(Int32(UInt8(ascii: "M"))) ?? String(cString: PQresultErrorMessage(result))
      throw PostgresError(
        kind: PQstatus(handle) == CONNECTION_OK ? kind : .connection, sqlState: sqlState,
        message: message, detail: field(Int32(UInt8(ascii: "D"))))
    }
  }

  private static func rows(of result: OpaquePointer) -> QueryResult {
    let columnCount = PQnfields(result)
    let rowCount = PQntuples(result)
    let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
    var rows: [[String?]] = []
    rows.reserveCapacity(Int(rowCount))
    for row in 0..<rowCount {
      rows.append(
        (0..<columnCount).map { column in
          PQgetisnull(result, row, column) == 1
            ? nil : String(cString: PQgetvalue(result, row, column))
        })
    }
    return QueryResult(
      columns: columns, rows: rows, affectedRows: Int(String(cString: PQcmdTuples(result))) ?? 0)
  }

  private func withParameters(
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
        lengths.append(Int32(text.utf8.count))
        formats.append(0)
      case .bytes(let bytes):
        storage.append(bytes.isEmpty ? [0] : bytes)
        lengths.append(Int32(bytes.count))
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

/// Buffers COPY data and sends it in chunks of about 32 KB (measured fastest here).
public final class CopyWriter {
  private let handle: OpaquePointer
  private var buffer: [UInt8] = []
  public static let chunkSize = 32 * 1024

  init(handle: OpaquePointer) {
    self.handle = handle
    buffer.reserveCapacity(Self.chunkSize * 2)
  }

  public func write(_ bytes: some Collection<UInt8>) throws {
    buffer.append(contentsOf: bytes)
    if buffer.count >= Self.chunkSize { try flush() }
  }

  public func write(_ byte: UInt8) throws {
    buffer.append(byte)
    if buffer.count >= Self.chunkSize { try flush() }
  }

  func flush() throws {
    guard !buffer.isEmpty else { return }
    let sent = buffer.withUnsafeBufferPointer { bytes in
      bytes.withMemoryRebound(to: CChar.self) {
        PQputCopyData(handle, $0.baseAddress, Int32($0.count))
      }
    }
    guard sent == 1 else {
      throw PostgresError(kind: .connection, message: String(cString: PQerrorMessage(handle)))
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

/// Routes server notices (`NOTICE`, `WARNING`, …) to the logger.
private final class NoticeSink {
  let logger: Logger

  init(logger: Logger) { self.logger = logger }

  func receive(_ result: OpaquePointer) {
    let severity =
      PQresultErrorField(result, Int32(UInt8(ascii: "V"))).map { String(cString: $0) } ?? "NOTICE"
    let message =
      PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? ""
    let level: Logger.Level =
      switch severity {
      case "WARNING": .warning
      case "DEBUG": .debug
      case "LOG", "INFO": .info
      default: .notice
      }
    logger.log(level: level, "\(severity): \(message)")
  }
}
