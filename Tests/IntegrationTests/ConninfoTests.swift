import Testing

@testable import PostgresClient

@Suite("Passwords in connection strings are masked")
struct ConninfoTests {
  @Test(
    "every password form libpq reads",
    arguments: [
      ("postgresql://u:pw@host/db", "postgresql://u:****@host/db"),
      ("postgres://u:p:w@[::1]:5432/db", "postgres://u:****@[::1]:5432/db"),
      (
        "postgresql://u@host/db?password=pw&sslmode=off",
        "postgresql://u@host/db?password=****&sslmode=off"
      ),
      ("host=h password=pw dbname=d", "host=h password=**** dbname=d"),
      ("host=h password = 'p \\' w' dbname=d", "host=h password = **** dbname=d"),
      ("host=h password=", "host=h password=****"),
    ])
  func masked(conninfo: String, expected: String) {
    #expect(Conninfo.redacted(conninfo) == expected)
  }

  @Test(
    "strings without a password are left as they are",
    arguments: [
      "", "postgresql://u@host/db", "postgresql:///db?host=/tmp", "host=/tmp dbname=passwords",
      "postgresql://u@host/db?passwordless=1",
    ])
  func unchanged(conninfo: String) {
    #expect(Conninfo.redacted(conninfo) == conninfo)
    #expect(Conninfo.redacting([conninfo], in: "a message") == "a message")
  }

  @Test("a message quoting the whole string, or only the password")
  func messages() {
    let url = "postgresql://u:pa%zz@[::1/db"
    let whole = #"in URI: "postgresql://u:pa%zz@[::1/db""#
    #expect(Conninfo.redacting([url], in: whole) == #"in URI: "postgresql://u:****@[::1/db""#)
    let token = #"invalid percent-encoded token: "pa%zz""#
    #expect(Conninfo.redacting([url], in: token) == #"invalid percent-encoded token: "****""#)
  }
}
