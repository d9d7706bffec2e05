import ExportFormat
import Pipeline
import PostgresClient
import Testing

/// Every SQL field function against its Swift counterpart, over exhaustive grids rather than
/// samples: a calendar slip, an off-by-one offset or a price shape accepted on one side only
/// shows up as a named input. Runs in whatever session settings the test cluster has (far
/// from UTC under `make test`).
@Suite("SQL field functions = Swift field parsers, on exhaustive grids")
struct SQLDifferentialTests {
  static let years = ["0000", "0001", "0004", "1900", "2000", "2024", "2100", "9999"]

  /// Every month (and 0, 13) × days 0, 1, 27-32 × the years above, at noon UTC.
  static var calendarGrid: [String] {
    years.flatMap { year in
      (0...13).flatMap { month in
        ([0, 1] + Array(27...32)).map { day in
          "\(year)-\(two(month))-\(two(day))T12:00:00Z"
        }
      }
    }
  }

  /// Hours 0/23/24 × minutes and seconds 0/59/60 × 0 to 7 fraction digits, both separators.
  static var clockGrid: [String] {
    let fractions = [""] + (1...7).map { "." + String("1234567".prefix($0)) } + ["."]
    return [0, 23, 24].flatMap { hour in
      [0, 59, 60].flatMap { minute in
        [0, 59, 60].flatMap { second in
          fractions.flatMap { fraction in
            ["T", " "].map { separator in
              "2024-02-29\(separator)\(two(hour)):\(two(minute)):\(two(second))\(fraction)"
            }
          }
        }
      }
    }
  }

  /// Every offset sign, hours 00-24 and minutes at their edges, at both ends of time and
  /// in between; plus Z, naive and malformed zones.
  static var offsetGrid: [String] {
    let instants = ["0001-01-01T00:00:00", "9999-12-31T23:59:59.999999", "2026-06-15T12:00:00"]
    let zones =
      ["+", "-"].flatMap { sign in
        (0...24).flatMap { hour in
          ["00", "01", "30", "45", "59", "60"].map { "\(sign)\(two(hour)):\($0)" }
        }
      } + ["Z", "", "z", "+0100", "+01", "+1:00", " Z", "UTC"]
    return instants.flatMap { instant in zones.map { instant + $0 } }
  }

  /// Epoch milliseconds at both ends of the range and around zero, with malformed forms.
  static var epochGrid: [String] {
    let low: Int64 = -62_135_596_800_000
    let high: Int64 = 253_402_300_799_999
    let around = [low, high, 0, 1_767_225_600_000].flatMap { base in
      [-1_000, -2, -1, 0, 1, 2, 1_000].map { String(base + $0) }
    }
    return around + ["-0", "00", "01", "1e3", "1.0", "+1", "", "9223372036854775807", "-"]
  }

  /// v1 price shapes: integer parts × fraction parts, as the grammar names them and just
  /// outside it.
  static var priceGrid: [String] {
    let integers = [
      "0", "1", "12", "9999999999", "10000000000", "01", "-0", "-12", "-9999999999", "+1", "",
      "-", "1e3", " 1",
    ]
    let fractions = [
      "", ".", ".0", ".5", ".50", ".500", ".505", ".5000000", ".05", ".005", ".99", ".995",
      ".9900", "e2",
    ]
    return integers.flatMap { integer in fractions.map { integer + $0 } }
  }

  /// Product ids and quantities at their limits.
  static let integerGrid = [
    "0", "1", "-1", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
    "09", "1.0", "1e2", "", "-0", "18446744073709551616", String(repeating: "9", count: 40),
  ]

  static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

  /// `function(value)` for each value, in one statement; the values travel as a parameter.
  static func sql(_ connection: Connection, _ expression: String, over values: [String]) throws
    -> [String?]
  {
    try connection.execute(
      """
      select \(expression) from unnest($1::text[]) with ordinality as input(value, position)
      order by position
      """, [.text(arrayLiteral(values))]
    ).rows.map { try $0.optionalString(0) }
  }

  /// A PostgreSQL text[] literal, every element quoted and escaped.
  static func arrayLiteral(_ values: [String]) -> String {
    "{"
      + values.map {
        "\""
          + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
            of: "\"", with: "\\\"") + "\""
      }.joined(separator: ",") + "}"
  }

  static let utcText = "to_char(%@ at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

  @Test(
    "timestamps: parse_event_timestamp = FieldParsers.timestamp",
    arguments: ["calendar", "clock", "offsets"])
  func timestamps(grid: String) throws {
    let database = try TestDatabase()
    let values =
      switch grid {
      case "calendar": Self.calendarGrid
      case "clock": Self.clockGrid
      default: Self.offsetGrid
      }
    let fromSQL = try Self.sql(
      database.connection,
      Self.utcText.replacingOccurrences(of: "%@", with: "parse_event_timestamp(value)"),
      over: values)
    var checked = 0
    for (value, sql) in zip(values, fromSQL) {
      #expect(FieldParsers.timestamp(value)?.exportText == sql, "\(value)")
      checked += 1
    }
    #expect(checked == values.count)
    #expect(fromSQL.contains { $0 != nil } && fromSQL.contains { $0 == nil }, "both outcomes")
  }

  @Test("epoch milliseconds: epoch_millis_timestamp = FieldParsers.epochMillis")
  func epochMillis() throws {
    let database = try TestDatabase()
    let values = Self.epochGrid
    let fromSQL = try Self.sql(
      database.connection,
      Self.utcText.replacingOccurrences(of: "%@", with: "epoch_millis_timestamp(value)"),
      over: values)
    for (value, sql) in zip(values, fromSQL) {
      #expect(FieldParsers.epochMillis(value)?.exportText == sql, "\(value)")
    }
  }

  @Test("v1 prices: decimal_price_cents = FieldParsers.decimalPrice")
  func prices() throws {
    let database = try TestDatabase()
    let values = Self.priceGrid
    let fromSQL = try Self.sql(
      database.connection, "decimal_price_cents(value)::text", over: values)
    for (value, sql) in zip(values, fromSQL) {
      let swift = FieldParsers.decimalPrice(value).map { String($0.value) }
      #expect(swift == sql, "\(value)")
    }
  }

  @Test("product ids and quantities: bounded_integer = FieldParsers.jsonInteger in range")
  func integers() throws {
    let database = try TestDatabase()
    let values = Self.integerGrid
    for (maximum, limit) in [("9223372036854775807", Int64.max), ("2147483647", Int64(Int32.max))] {
      let fromSQL = try Self.sql(
        database.connection, "bounded_integer(value, '\(maximum)')::text", over: values)
      for (value, sql) in zip(values, fromSQL) {
        let swift = FieldParsers.jsonInteger(value).flatMap { (1...limit).contains($0) ? $0 : nil }
        #expect(swift.map(String.init) == sql, "\(value) up to \(maximum)")
      }
    }
  }
}
