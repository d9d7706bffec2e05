extension Connection {
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
}
