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
  /// The server's SQLSTATE, when the server reported the failure.
  public var code: Code?
  public var message: String
  public var detail: String?

  public init(kind: Kind, code: Code? = nil, message: String, detail: String? = nil) {
    self.kind = kind
    self.code = code
    self.message = message
    self.detail = detail
  }

  /// A failure caused by the values a statement read (a data exception, or a limit
  /// exceeded), as opposed to a broken connection or a wrong statement.
  public var isDataError: Bool {
    guard kind != .connection, let code else { return false }
    return code.isDataException || code.isProgramLimitExceeded
  }

  /// The same error with `context` (e.g. "model 23_product_versions") before its message.
  public func withContext(_ context: String) -> PostgresError {
    PostgresError(kind: kind, code: code, message: "\(context): \(message)", detail: detail)
  }

  public var description: String {
    var text = message.trimmingTrailingNewlines()
    if let code { text = "[\(code.rawValue)] " + text }
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
