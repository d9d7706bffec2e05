import ChaosOracle
import ExportFormat
import Foundation
import Pipeline
import PostgresClient
import Testing
import Warehouse

/// Every SQL function that reads data against its Swift counterpart, over exhaustive grids
/// rather than samples: a calendar slip or an off-by-one offset shows up as a named input;
/// `price_at` against the oracle's history at every version's edges. Runs in whatever
/// session settings the test cluster has (far from UTC under `make test`).
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

  @Test("price_at = the oracle's history, at every version's edges and past both ends")
  func priceAt() throws {
    let database = try TestDatabase()
    let deliveries = Array(
      StreamGenerator(
        options: GeneratorOptions(seed: 61, events: 4_000, profile: .preset(named: "heavy")!)))
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("price-at.jsonl")
    try Data(JSONLines.join(deliveries.map(\.bytes))).write(to: file)
    _ = try Ingestor(connection: database.connection).ingest(file: file.path)
    _ = try PostgresEngine(connection: database.connection).run()
    let history = Oracle.predict(deliveries.map(\.truth)).history
    let byProduct = Dictionary(grouping: history, by: \.productID)
    #expect(byProduct.count >= 20, "enough products to mean something")

    // Every version's first and last microsecond and the one before it, the ends of the
    // calendar, and products that never existed.
    let first = Instant(microseconds: -62_135_596_800_000_000)
    let last = Instant(microseconds: 253_402_300_799_999_999)
    var probes: [(product: Int64, at: Instant)] = []
    for version in history {
      let from = version.validFrom.microseconds
      probes += [
        (version.productID, Instant(microseconds: from - 1)),
        (version.productID, version.validFrom),
      ]
      if let to = version.validTo?.microseconds {
        probes.append((version.productID, Instant(microseconds: to - 1)))
      }
    }
    for product in byProduct.keys.sorted() { probes += [(product, first), (product, last)] }
    for product: Int64 in [0, -1, .max] { probes += [(product, first), (product, last)] }

    // Exact on the server: whole days, then microseconds of the day (a `bigint * interval`
    // rounds through double precision far from 1970).
    let perDay: Int64 = 86_400_000_000
    func days(_ instant: Instant) -> Int64 {
      instant.microseconds / perDay - (instant.microseconds % perDay < 0 ? 1 : 0)
    }
    func microsOfDay(_ instant: Instant) -> Int64 { instant.microseconds - days(instant) * perDay }
    let answers = try database.connection.execute(
      """
      select a.state, round(a.price, 2)::text, a.category,
        (extract(epoch from a.valid_from) * 1000000)::bigint,
        (extract(epoch from a.valid_to) * 1000000)::bigint, a.event_id::text
      from unnest($1::bigint[], $2::int[], $3::bigint[])
        with ordinality as probe(product, days, micros, position)
      cross join lateral price_at(
        probe.product,
        (timestamp '1970-01-01' + make_interval(days => probe.days)
          + probe.micros * interval '1 microsecond') at time zone 'UTC') as a
      order by probe.position
      """,
      [
        .text("{" + probes.map { String($0.product) }.joined(separator: ",") + "}"),
        .text("{" + probes.map { String(days($0.at)) }.joined(separator: ",") + "}"),
        .text("{" + probes.map { String(microsOfDay($0.at)) }.joined(separator: ",") + "}"),
      ]
    ).rows
    #expect(answers.count == probes.count)
    var states: Set<String> = []
    for (probe, row) in zip(probes, answers) {
      let holding = byProduct[probe.product]?.first { version in
        version.validFrom <= probe.at && (version.validTo.map { probe.at < $0 } ?? true)
      }
      let active = holding.map { !$0.attributes.isDeleted } ?? false
      let expectedState = holding == nil ? "did_not_exist" : active ? "active" : "discontinued"
      let label = "product \(probe.product) at \(probe.at.exportText)"
      states.insert(try row.string(0))
      #expect(try row.string(0) == expectedState, "\(label)")
      #expect(
        try row.optionalString(1) == (active ? holding?.attributes.price.exportText : nil),
        "\(label)")
      #expect(
        try row.optionalString(2) == (active ? holding?.attributes.category : nil), "\(label)")
      #expect(try row.optionalInt64(3) == holding?.validFrom.microseconds, "\(label)")
      #expect(try row.optionalInt64(4) == holding?.validTo?.microseconds, "\(label)")
      #expect(try row.optionalString(5) == holding?.eventID, "\(label)")
    }
    #expect(states == ["active", "discontinued", "did_not_exist"], "every state is reached")

    // The Swift API (and so `chaoslake price-at`) sends its instant exactly too: the probes
    // at the ends of the calendar and every 25th other.
    let engine = PostgresEngine(connection: database.connection)
    for (index, probe) in probes.enumerated()
    where index % 25 == 0 || probe.at == first || probe.at == last
      || probe.at.microseconds == first.microseconds - 1
    {
      let holding = byProduct[probe.product]?.first { version in
        version.validFrom <= probe.at && (version.validTo.map { probe.at < $0 } ?? true)
      }
      let point = try engine.price(of: probe.product, at: probe.at)
      #expect(point.validFrom == holding?.validFrom, "product \(probe.product) at \(probe.at)")
      #expect(point.eventID == holding?.eventID, "product \(probe.product) at \(probe.at)")
    }
  }
}
