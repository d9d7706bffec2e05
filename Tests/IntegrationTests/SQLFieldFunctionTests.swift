import PostgresClient
import Testing

/// The SQL field functions at the edges of their inputs: total (null, never an error, on
/// any text), exact (integer microseconds and cents), and the same in any session time
/// zone. Expected values are worked out from the contract's rules.
@Suite("SQL field functions at the edges")
struct SQLFieldFunctionTests {
  static let cases: [(expression: String, expected: String?)] = [
    ("bounded_integer('9223372036854775807', '9223372036854775807')", "9223372036854775807"),
    ("bounded_integer('9223372036854775808', '9223372036854775807')", nil),
    ("bounded_integer(repeat('9', 100000), '9223372036854775807')", nil),
    ("bounded_integer('0', '2147483647')", nil),
    ("bounded_integer('-1', '2147483647')", nil),
    ("bounded_integer('2147483647', '2147483647')", "2147483647"),
    ("bounded_integer('1e3', '2147483647')", nil),
    ("decimal_price_cents('9999999999.99')", "999999999999"),
    ("decimal_price_cents('10000000000')", nil),
    ("decimal_price_cents(repeat('9', 100000))", nil),
    ("decimal_price_cents('0.' || repeat('0', 100000))", "0"),
    ("decimal_price_cents('12.5' || repeat('0', 100000))", "1250"),
    ("decimal_price_cents('12.345')", nil),
    ("decimal_price_cents('-0.00')", "0"),
    ("decimal_price_cents('.5')", nil),
    ("decimal_price_cents('5.')", nil),
    ("decimal_price_cents('012')", nil),
    ("epoch_millis_timestamp('-62135596800000')", "0001-01-01T00:00:00.000000Z"),
    ("epoch_millis_timestamp('-62135596800001')", nil),
    ("epoch_millis_timestamp('253402300799999')", "9999-12-31T23:59:59.999000Z"),
    ("epoch_millis_timestamp('253402300800000')", nil),
    ("epoch_millis_timestamp('-1')", "1969-12-31T23:59:59.999000Z"),
    ("epoch_millis_timestamp('-0')", "1970-01-01T00:00:00.000000Z"),
    ("epoch_millis_timestamp(repeat('9', 100000))", nil),
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
    "each function at its edges, in a session far from UTC",
    arguments: ["UTC", "Pacific/Chatham", "America/St_Johns", "Europe/London"])
  func edges(zone: String) throws {
    let database = try TestDatabase()
    try database.connection.execute("select set_config('TimeZone', $1, false)", [.text(zone)])
    for item in Self.cases {
      let isTime = item.expression.hasPrefix("parse") || item.expression.hasPrefix("epoch")
      // The expressions are fixed test text, not data.
      let query =
        isTime
        ? "select to_char((\(item.expression)) at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        : "select (\(item.expression))::text"
      let value = try database.connection.execute(query).scalar
      #expect(value == item.expected, "\(item.expression) in \(zone)")
    }
  }
}
