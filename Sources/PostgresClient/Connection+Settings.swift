import CLibPQ

extension Connection {
  /// Where this connection went, as the standard libpq variables (`PGHOST`, `PGPORT`,
  /// `PGUSER`, `PGDATABASE`, and `PGPASSWORD` when one was used), for handing the same
  /// database to another program. The password is never logged.
  public var environment: [String: String] {
    var variables: [String: String] = [:]
    func set(_ name: String, _ value: UnsafeMutablePointer<CChar>?) {
      guard let value else { return }
      let text = String(cString: value)
      if !text.isEmpty { variables[name] = text }
    }
    set("PGHOST", PQhost(handle))
    set("PGPORT", PQport(handle))
    set("PGUSER", PQuser(handle))
    set("PGDATABASE", PQdb(handle))
    set("PGPASSWORD", PQpass(handle))
    return variables
  }
}
