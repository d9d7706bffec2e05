import PostgresClient
import Testing

/// The SQL field function the view `raw_events_v1` reads, at the edges of its input: total
/// (null, never an error, on any text), exact (integer microseconds), and the same in any
/// session time zone. Expected values are worked out from the contract's rules.
@Suite("SQL field functions at the edges")
struct SQLFieldFunctionTests {
  static let cases: [(expression: String, expected: String?)] = [
    ("parse_event_timestamp('0001-01-01T01:00:00+01:00')", "0001-01-01T00:00:00.000000Z"),
    ("parse_event_timestamp('0001-01-01T00:59:59.999999+01:00')", nil),
    ("parse_event_timestamp('9999-12-31T22:59:59.999999-01:00')", "9999-12-31T23:59:59.999999Z"),
    ("parse_event_timestamp('9999-12-31T23:00:00-01:00')", nil),
    ("parse_event_timestamp('2024-02-29 12:00:00')", "2024-02-29T12:00:00.000000Z"),
    ("parse_event_timestamp('2100-02-29T00:00:00Z')", nil),
    ("parse_event_timestamp('2026-03-29T02:30:00')", "2026-03-29T02:30:00.000000Z"),
    ("parse_event_timestamp('2026-01-01T00:00:00+23:59')", "2025-12-31T00:01:00.000000Z"),
  ]

  @Test(
    "parse_event_timestamp at its edges, in a session far from UTC",
    arguments: ["UTC", "Pacific/Chatham", "America/St_Johns", "Europe/London"])
  func edges(zone: String) throws {
    let database = try TestDatabase()
    try database.connection.execute("select set_config('TimeZone', $1, false)", [.text(zone)])
    for item in Self.cases {
      // The expressions are fixed test text, not data.
      let query =
        "select to_char((\(item.expression)) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
      let value = try database.connection.execute(query).scalar
      #expect(value == item.expected, "\(item.expression) in \(zone)")
    }
  }

  @Test("the field functions no model calls since staging moved to ingest are dropped")
  func unusedFunctionsDropped() throws {
    let database = try TestDatabase()
    for signature in [
      "json_string_value(text)", "decimal_price_cents(text)", "epoch_millis_timestamp(text)",
      "bounded_integer(text, text)",
    ] {
      let found = try database.connection.execute(
        "select to_regprocedure($1) is not null", [.text("chaoslake." + signature)]
      ).scalar
      #expect(found == "f", "\(signature) is still there")
    }
    let kept = try database.connection.execute(
      "select to_regprocedure('chaoslake.parse_event_timestamp(text)') is not null"
    ).scalar
    #expect(kept == "t", "parse_event_timestamp, which raw_events_v1 reads, stays")
  }
}
