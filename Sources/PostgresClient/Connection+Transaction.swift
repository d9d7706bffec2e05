extension Connection {
  /// How a transaction sees other transactions' commits.
  public enum Isolation: String, Sendable {
    /// Each statement sees what was committed before it started (PostgreSQL's default).
    case readCommitted = "read committed"
    /// Every statement sees one snapshot, taken at the transaction's first statement.
    case repeatableRead = "repeatable read"
  }

  /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
  public func transaction<T>(isolation: Isolation = .readCommitted, _ body: () throws -> T)
    throws -> T
  {
    try execute("begin isolation level \(isolation.rawValue)")
    do {
      let value = try body()
      try execute("commit")
      return value
    } catch {
      _ = try? execute("rollback")
      throw error
    }
  }
}
