import CLibPQ
import Glibc
import Logging

/// One libpq connection. Not safe for concurrent use: open one per task.
public final class Connection: @unchecked Sendable {
  let handle: OpaquePointer
  private let noticeSink: NoticeSink

  /// Connects with a libpq connection string or URL (`postgresql://…`, `host=… dbname=…`);
  /// the empty string means libpq's defaults and the standard `PG*` variables.
  public convenience init(_ conninfo: String, logger: Logger = Logger(label: "chaoslake.postgres"))
    throws
  {
    try self.init(parameters: [("dbname", conninfo)], logger: logger)
  }

  /// Connects like `init(_:)`, but to `database`: the connection string (URL or key=value)
  /// is expanded and its database name replaced, and its host and port too when given (the
  /// same user and credentials on another server, as a Citus coordinator reaches a worker).
  public convenience init(
    _ conninfo: String, database: String, host: String? = nil, port: Int? = nil,
    logger: Logger = Logger(label: "chaoslake.postgres")
  ) throws {
    var parameters = [("dbname", conninfo), ("dbname", database)]
    if let host { parameters.append(("host", host)) }
    if let port { parameters.append(("port", String(port))) }
    try self.init(parameters: parameters, logger: logger)
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
      let message = Conninfo.redacting(
        parameters.map(\.1), in: String(cString: PQerrorMessage(handle)))
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

  /// Runs one statement with parameters (`$1`, `$2`, …), sent separately from the SQL.
  @discardableResult
  public func execute(_ sql: String, _ parameters: [Parameter] = []) throws -> QueryResult {
    guard let count = Int32(exactly: parameters.count) else {
      throw PostgresError(kind: .statement, message: "too many parameters")
    }
    let result = try withParameters(parameters) { values, lengths, formats in
      PQexecParams(handle, sql, count, nil, values, lengths, formats, 0)
    }
    defer { PQclear(result) }
    try check(result, kind: .statement)
    guard let result else { throw connectionError() }
    return Self.rows(of: result)
  }

  /// Runs a fixed script (several statements, no parameters): migrations and models only.
  public func executeScript(_ sql: String) throws {
    let result = PQexec(handle, sql)
    defer { PQclear(result) }
    try check(result, kind: .statement)
  }

  // MARK: - Internals

  func connectionError() -> PostgresError {
    PostgresError(kind: .connection, message: String(cString: PQerrorMessage(handle)))
  }

  func check(_ result: OpaquePointer?, kind: PostgresError.Kind) throws {
    guard let result else { throw connectionError() }
    switch PQresultStatus(result) {
    case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_EMPTY_QUERY:
      return
    default:
      func field(_ code: Int32) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
      }
      let code = field(Int32(UInt8(ascii: "C"))).map(PostgresError.Code.init(rawValue:))
      let message = field(Int32(UInt8(ascii: "M"))) ?? String(cString: PQresultErrorMessage(result))
      throw PostgresError(
        kind: PQstatus(handle) == CONNECTION_OK ? kind : .connection, code: code,
        message: message, detail: field(Int32(UInt8(ascii: "D"))))
    }
  }

  private static func rows(of result: OpaquePointer) -> QueryResult {
    let columnCount = PQnfields(result)
    let rowCount = PQntuples(result)
    let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
    var rows: [QueryResult.Row] = []
    rows.reserveCapacity(Int(rowCount))
    for row in 0..<rowCount {
      let values = (0..<columnCount).map { column in
        PQgetisnull(result, row, column) == 1
          ? nil : String(cString: PQgetvalue(result, row, column))
      }
      rows.append(QueryResult.Row(columns: columns, values: values))
    }
    return QueryResult(columns: columns, rows: rows)
  }
}
