import ExportFormat
import Pipeline
import PostgresClient
import Testing

/// Every SQL function that reads data against its Swift counterpart, over exhaustive grids rather than
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
}
