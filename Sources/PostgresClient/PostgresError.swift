/// A failure reported by libpq or the server, with the server's SQLSTATE when there is one.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
  public enum Kind: Sendable {
    /// The server could not be reached or the connection broke.
    case connection
    /// A statement failed.
    case statement
    /// A COPY failed.
    case copy
    /// A result did not have the shape or types the caller expected.
    case unexpectedResult
  }

  public var kind: Kind
  /// The five-character SQLSTATE (`23505` unique violation, `57014` cancelled, …).
  public var sqlState: String?
  public var message: String
  public var detail: String?

  public init(kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil) {
    self.kind = kind
    self.sqlState = sqlState
    self.message = message
    self.detail = detail
  }

  /// A failure caused by the values a statement read (SQLSTATE class 22, data exception;
  /// 54, a limit exceeded), as opposed to a broken connection or a wrong statement.
  public var isDataError: Bool {
    guard kind != .connection, let sqlState else { return false }
    return sqlState.hasPrefix("22") || sqlState.hasPrefix("54")
  }

  /// The same error with `context` (e.g. "model 03_product_history") before its message.
  public func withContext(_ context: String) -> PostgresError {
    PostgresError(kind: kind, sqlState: sqlState, message: "\(context): \(message)", detail: detail)
  }

  public var description: String {
    var text = message.trimmingTrailingNewlines()
    if let sqlState { text = "[\(sqlState)] " + text }
    if let detail { text += " (\(detail.trimmingTrailingNewlines()))" }
    return text
  }
}

extension String {
  fileprivate func trimmingTrailingNewlines() -> String {
    var text = self
    while text.last == "\n" { text.removeLast() }
    return text
  }
}
