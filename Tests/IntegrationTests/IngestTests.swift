import ChaosOracle
import ExportFormat
import Foundation
import Pipeline
import PostgresClient
import Testing
import Warehouse

@Suite("Ingest into PostgreSQL raw", .serialized)
struct IngestTests {
  /// One delivered line that ingest must keep byte for byte, with what `stg_events.is_json`
  /// (staged by ingest) must say of it and the status `chaoslake run` must give it (worked out by hand from
  /// the reading rules, not taken from the code).
  struct Case: CustomTestStringConvertible {
    var name: String
    var line: [UInt8]
    /// An object `jsonb` stores, with an object payload.
    var isJSON: Bool
    /// `accepted`, `duplicate` or the reason of an invalid line.
    var status: String

    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "invalid UTF-8 in a string",
      line: Array(#"{"event_id": "x", "source": ""#.utf8) + [0xFF, 0xFE]
        + Array(#"", "payload": {}}"#.utf8), isJSON: false, status: "malformed_json"),
    Case(
      name: "a raw NUL byte in a string",
      line: Array(#"{"source": "a"#.utf8) + [0x00] + Array(#"b", "payload": {}}"#.utf8),
      isJSON: false, status: "malformed_json"),
    Case(name: "a lone NUL byte", line: [0x00], isJSON: false, status: "malformed_json"),
    Case(
      name: "a 1 MiB string, no event_id",
      line: Array(#"{"payload": {}, "blob": ""#.utf8)
        + Array(repeating: UInt8(ascii: "x"), count: 1 << 20) + Array(#""}"#.utf8),
      isJSON: true, status: "invalid_event_id"),
    Case(name: "an empty line", line: [], isJSON: false, status: "malformed_json"),
    Case(name: "a second empty line", line: [], isJSON: false, status: "malformed_json"),
    Case(
      name: "CR before the newline (JSON whitespace)",
      line: Array(#"{"payload": {}, "crlf": true}"#.utf8) + [0x0D], isJSON: true,
      status: "invalid_event_id"),
    Case(
      name: "a UTF-8 byte order mark", line: [0xEF, 0xBB, 0xBF] + Array(#"{"payload": {}}"#.utf8),
      isJSON: false, status: "malformed_json"),
    Case(
      name: "nesting 10,001 deep",
      line: Array(#"{"payload": {}, "deep": "#.utf8)
        + Array(repeating: UInt8(ascii: "["), count: 10_000)
        + Array(repeating: UInt8(ascii: "]"), count: 10_000) + [UInt8(ascii: "}")],
      isJSON: false, status: "malformed_json"),
    Case(
      name: "a number numeric cannot hold", line: Array(#"{"payload": {}, "huge": 1e131072}"#.utf8),
      isJSON: false, status: "malformed_json"),
    Case(
      name: "numbers at numeric's limits",
      line: Array(#"{"payload": {}, "big": 9e131071, "tiny": 1e-16383}"#.utf8), isJSON: true,
      status: "invalid_event_id"),
    Case(
      name: "SQL injection attempts in every string",
      line: Array(
        #"{"event_id": "'); drop table raw_events; --", "source": "\"); drop table raw_events; --", "payload": "{\"id\": \"'); drop table raw_events; --\"}"}"#
          .utf8), isJSON: true, status: "invalid_event_id"),
    Case(
      name: "a \\u0000 escape", line: Array(#"{"source": "\u0000", "payload": {}}"#.utf8),
      isJSON: false, status: "malformed_json"),
    Case(
      name: "an unpaired surrogate escape",
      line: Array(#"{"source": "\ud800", "payload": {}}"#.utf8),
      isJSON: false, status: "malformed_json"),
    Case(
      name: "not JSON at all", line: Array("not json at all \\ \t tabs".utf8), isJSON: false,
      status: "malformed_json"),
    Case(
      name: "multi-byte UTF-8 and an escaped payload",
      line: Array(#"{"source": "é€😀", "payload": "{\"title\": \"caf\\u00e9\"}"}"#.utf8),
      isJSON: true, status: "invalid_event_id"),
    Case(
      name: "a last line without newline and without payload",
      line: Array(#"{"last": "no newline"}"#.utf8), isJSON: false, status: "malformed_json"),
  ]

  @Test("every kind of hostile line is stored byte for byte, flagged and classified")
  func hostileLines() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("hostile.jsonl")
    // The last case is written without its newline.
    var bytes = JSONLines.join(Self.cases.map(\.line))
    bytes.removeLast()
    try Data(bytes).write(to: file)
    let ingest = try chaoslake(["ingest", file.path], environment: database.environment)
    #expect(ingest.status == 0, "\(ingest.stderr)")
    let run = try chaoslake(["run"], environment: database.environment)
    #expect(run.status == 0, "\(run.stderr)")
    let rows = try database.connection.execute(
      """
      select encode(r.raw_line, 'hex'), g.is_json, coalesce(s.reason, s.status)
      from raw_events r
      left join stg_events g using (seq)
      left join line_status s using (seq)
      order by r.seq
      """
    ).rows
    #expect(rows.count == Self.cases.count)
    for (row, item) in zip(rows, Self.cases) {
      #expect(hexDecode(try row.string(0)) == item.line, "\(item.name): stored bytes")
      #expect(try row.bool(1) == item.isJSON, "\(item.name): is_json")
      #expect(try row.optionalString(2) == item.status, "\(item.name): status")
    }
    // The injection attempt is data: the table is still there, the text stored as given.
    let injection = try #require(Self.cases.firstIndex { $0.name.hasPrefix("SQL injection") })
    let source = try database.connection.execute(
      "select convert_from(raw_line, 'UTF8')::jsonb ->> 'source' from raw_events where seq = $1",
      [.int(injection + 1)]
    ).scalar
    #expect(source == "\"); drop table raw_events; --")
  }

  @Test("a generated heavy stream round-trips byte for byte; re-ingesting it changes nothing")
  func idempotentReingest() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("events.jsonl")
    let bytes = jsonl(seed: 3, events: 30_000, profile: "heavy")
    try Data(bytes).write(to: file)
    let first = try chaoslake(
      ["ingest", file.path, "--batch-lines", "7000"], environment: database.environment)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.count > 0)
    let stored = try database.rawLines()
    #expect(stored == jsonlLines(bytes))
    // Again, and under another name (same content): nothing is appended.
    let copy = directory.appendingPathComponent("copy.jsonl")
    try Data(bytes).write(to: copy)
    for path in [file.path, copy.path] {
      let again = try chaoslake(
        ["ingest", path, "--batch-lines", "7000"], environment: database.environment)
      #expect(again.status == 0, "\(again.stderr)")
      #expect(String(decoding: again.stdout, as: UTF8.self).contains("0 line(s) appended"))
    }
    #expect(try database.rawLines() == stored)
    #expect(try database.seqs() == Array(1...stored.count))
  }

  @Test("a file that grew is appended to; one that changed is refused with exit 2")
  func grownAndChangedInputs() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("log.jsonl")
    let lines = (1...120_000).map { #"{"n": \#($0), "payload": {}}"# + "\n" }
    try Data(lines.prefix(100_000).joined().utf8).write(to: file)
    #expect(try chaoslake(["ingest", file.path], environment: database.environment).status == 0)
    try Data(lines.joined().utf8).write(to: file)
    #expect(try chaoslake(["ingest", file.path], environment: database.environment).status == 0)
    #expect(try database.rawLines() == lines.map { Array($0.utf8.dropLast()) })
    var changed = lines
    changed[99_000] = #"{"n": "changed", "payload": {}}"# + "\n"
    try Data(changed.joined().utf8).write(to: file)
    let refused = try chaoslake(["ingest", file.path], environment: database.environment)
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("differs from the input ingested before"))
    #expect(try database.rawLines().count == 120_000)
  }

  @Test("a file whose unterminated last line was ingested cannot grow: refused, nothing appended")
  func grownAfterUnterminatedLine() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("log.jsonl")
    let lines = (1...30_000).map { #"{"n": \#($0), "payload": {}}"# }
    try Data(lines.prefix(20_000).joined(separator: "\n").utf8).write(to: file)
    #expect(try chaoslake(["ingest", file.path], environment: database.environment).status == 0)
    // The last ingested line had no newline; with one and more lines, it reads differently.
    try Data(lines.joined(separator: "\n").utf8).write(to: file)
    let refused = try chaoslake(
      ["ingest", file.path, "--batch-lines", "1000"], environment: database.environment)
    #expect(refused.status == 2, "\(refused.stderr)")
    #expect(refused.stderr.contains("grew after a last line without"), "\(refused.stderr)")
    #expect(try database.rawLines().count == 20_000)
  }

  @Test("--batch-lines at the top of Int: every line in batches bounded by their bytes")
  func largestBatchLines() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("log.jsonl")
    let bytes = jsonl(seed: 13, events: 3_000, profile: "default")
    try Data(bytes).write(to: file)
    let result = try chaoslake(
      ["ingest", file.path, "--batch-lines", String(Int.max)], environment: database.environment)
    #expect(result.status == 0, "\(result.stderr)")
    let output = String(decoding: result.stdout, as: UTF8.self)
    #expect(output.contains("3000 line(s) appended in 1 batch(es)"), "\(output)")
    #expect(try database.rawLines() == jsonlLines(bytes))
  }

  @Test("a line longer than the limit stops the ingest before its batch, by its byte offset")
  func lineTooLong() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("log.jsonl")
    let short = ["{}", "[1]", "x"]
    let long = String(repeating: "a", count: 101)
    try Data((short + [long, "{}"]).joined(separator: "\n").utf8).write(to: file)
    var ingestor = Ingestor(connection: database.connection)
    ingestor.batchLines = 2
    ingestor.maximumLineBytes = 100
    #expect {
      try ingestor.ingest(file: file.path)
    } throws: { error in
      // "{}\n[1]\nx\n": the long line starts at byte 9
      (error as? Ingestor.LineTooLong)?.byteOffset == 9
    }
    // the first batch (two lines) stays; the one holding the long line is not appended
    #expect(try database.rawLines() == ["{}", "[1]"].map { Array($0.utf8) })
    ingestor.maximumLineBytes = 101
    let resumed = try ingestor.ingest(file: file.path)
    #expect(resumed.linesAppended == 3 && resumed.linesAlreadyPresent == 2)
    #expect(try database.rawLines() == (short + [long, "{}"]).map { Array($0.utf8) })
  }

  @Test("a batch the database refuses stops the ingest: the batches before it stay, whole")
  func refusedBatchStopsIngest() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("log.jsonl")
    let bytes = jsonl(seed: 12, events: 20_000, profile: "default")
    try Data(bytes).write(to: file)
    // Stands in for a server error in the middle of the input: staging refuses line 7,001,
    // in the fourth batch of 2,000.
    try database.refuseInserts(into: "stg_events", seq: 7001, as: .constraintViolation)
    let result = try chaoslake(
      ["ingest", file.path, "--batch-lines", "2000"], environment: database.environment)
    #expect(result.status != 0, "\(result.stderr)")
    #expect(result.stderr.contains("refused"), "\(result.stderr)")
    #expect(try database.rawLines() == Array(jsonlLines(bytes).prefix(6_000)))
    #expect(
      try database.connection.execute("select count(*) from stg_events").scalarInt64() == 6_000)
  }

  @Test("killed with SIGKILL at several points, a resumed ingest leaves raw as one clean run")
  func resumeAfterKill() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("big.jsonl")
    let bytes = jsonl(seed: 11, events: 150_000, profile: "default")
    try Data(bytes).write(to: file)
    for delay in [50_000, 200_000, 400_000, 700_000] as [UInt32] {
      let process = try startChaoslake(
        ["ingest", file.path, "--batch-lines", "3000"], environment: database.environment)
      usleep(delay)
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      // Whatever was committed is a prefix of the file, with no line twice.
      let partial = try database.rawLines()
      #expect(partial == Array(jsonlLines(bytes).prefix(partial.count)), "after \(delay) µs")
    }
    let finish = try chaoslake(
      ["ingest", file.path, "--batch-lines", "3000"], environment: database.environment)
    #expect(finish.status == 0, "\(finish.stderr)")
    #expect(try database.rawLines() == jsonlLines(bytes))
    #expect(try database.seqs() == Array(1...jsonlLines(bytes).count))
  }

  @Test(
    "a first load builds the keys and staging's lookup indexes at its end; a run builds missing ones"
  )
  func stagingLookupsAfterLoad() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let indexes = """
      select count(*) from pg_indexes
      where schemaname = 'chaoslake'
        and indexname in (
          'raw_events_pkey', 'stg_events_pkey',
          'stg_events_event_id', 'stg_events_product_time', 'stg_events_order_id')
      """
    #expect(try database.connection.execute(indexes).scalarInt64() == 5)
    // On empty tables, as a first load starts: on one node the keys go too (on Citus they
    // stay: ingest numbers batches from raw's key there).
    #expect(try database.connection.execute("select set_staging_lookups_aside()").scalar == "t")
    #expect(try database.connection.execute(indexes).scalarInt64() == (TestCluster.isCitus ? 2 : 0))
    let file = directory.appendingPathComponent("first.jsonl")
    let bytes = jsonl(seed: 21, events: 5_000, profile: "default")
    try Data(bytes).write(to: file)
    let first = try chaoslake(
      ["ingest", file.path, "--batch-lines", "1000"], environment: database.environment)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(try database.connection.execute(indexes).scalarInt64() == 5)
    #expect(try database.rawLines() == jsonlLines(bytes))
    #expect(try database.seqs() == Array(1...jsonlLines(bytes).count))
    // Staging holds lines now: a later ingest keeps the indexes as they are.
    #expect(try database.connection.execute("select set_staging_lookups_aside()").scalar == "f")
    #expect(try database.connection.execute(indexes).scalarInt64() == 5)
    // As an ingest killed between setting them aside and building them leaves them.
    // One index a call: Citus drops one distributed object at a time, and sends a DDL
    // statement's whole query string to the workers.
    try database.connection.execute("alter table raw_events drop constraint raw_events_pkey")
    try database.connection.execute("alter table stg_events drop constraint stg_events_pkey")
    for index in ["stg_events_event_id", "stg_events_product_time", "stg_events_order_id"] {
      try database.connection.execute("drop index \(index)")
    }
    let run = try chaoslake(["run"], environment: database.environment)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try database.connection.execute(indexes).scalarInt64() == 5)
  }

  @Test("two ingests of different files at once interleave by batch, losing and doubling nothing")
  func concurrentIngests() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var files: [(URL, [[UInt8]])] = []
    for seed in [21, 22] as [UInt64] {
      let file = directory.appendingPathComponent("f\(seed).jsonl")
      let bytes = jsonl(seed: seed, events: 40_000, profile: "default")
      try Data(bytes).write(to: file)
      files.append((file, jsonlLines(bytes)))
    }
    let processes = try files.map { file, _ in
      let process = try startChaoslake(
        ["ingest", file.path, "--batch-lines", "2000"], environment: database.environment)
      return process
    }
    for process in processes {
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
    }
    #expect(try database.seqs() == Array(1...80_000))
    for (file, lines) in files {
      let stored = try database.connection.execute(
        """
        select encode(r.raw_line, 'hex') from raw_events r join ingest_batches b using (batch_id)
        where b.file_name = $1 order by r.seq
        """, [.text(file.path)]
      ).rows.map { hexDecode(try $0.string(0)) }
      #expect(stored == lines)
    }
  }

  @Test("raw is append-only, migrations are recorded once, and the v1 view reads fitting lines")
  func schema() throws {
    let database = try TestDatabase()
    #expect(try Schema.migrate(database.connection).isEmpty, "already applied")
    let versions = try database.connection.execute("select version from schema_migrations").rows
    #expect(versions.count == (try Schema.migrations().count))
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("v1.jsonl")
    try Data(
      (#"{"event_id": "00000000-0000-4000-8000-000000000001", "event_type": "product_created", "event_timestamp": "2026-01-01 10:00:00.5", "source": "s", "payload": "{\"id\": 1}"}"#
        + "\n" + #"{"event_id": "nope", "payload": {}}"# + "\n").utf8
    ).write(to: file)
    #expect(try chaoslake(["ingest", file.path], environment: database.environment).status == 0)
    let view = try database.connection.execute(
      """
      select event_id, to_char(event_timestamp, 'YYYY-MM-DD HH24:MI:SS.US'), payload->>'id'
      from raw_events_v1
      """)
    #expect(
      view.rows.map(\.values) == [
        ["00000000-0000-4000-8000-000000000001", "2026-01-01 10:00:00.500000", "1"]
      ])
    // A line's ingestion time is its batch's (one transaction, one now()).
    let ingestedAt = try database.connection.execute(
      """
      select count(*) from raw_events_v1 as v
      where v.ingestion_timestamp = (select b.ingested_at at time zone 'UTC' from ingest_batches b)
      """)
    #expect(ingestedAt.scalar == "1")
    // The append-only trigger's own error (insufficient_privilege), not any failure.
    expectPostgresError(.insufficientPrivilege, "delete") {
      try database.connection.execute("delete from raw_events")
    }
    expectPostgresError(.insufficientPrivilege, "update") {
      try database.connection.execute("update raw_events set batch_id = 0")
    }
    expectPostgresError(.insufficientPrivilege, "truncate") {
      try database.connection.execute("truncate raw_events")
    }
    // A database migrated before a comment-only edit of 0001 stays valid; any other
    // recorded checksum means the migration changed, and is refused.
    try database.connection.execute(
      "update schema_migrations set checksum = 'c327f97dec8ec77f' where version = 1")
    #expect(try Schema.migrate(database.connection).isEmpty)
    try database.connection.execute(
      "update schema_migrations set checksum = '0123' where version = 1")
    let current = String(fnv1a64(Array(try Schema.migrations()[0].sql.utf8)), radix: 16)
    #expect(
      throws: WarehouseError.migrationChanged(
        name: "0001_raw_events", recorded: "0123", now: current)
    ) { try Schema.migrate(database.connection) }
  }

  @Test("no database reachable: exit 3 with a clear message")
  func databaseUnavailable() throws {
    var environment = ProcessInfo.processInfo.environment
    environment["DATABASE_URL"] = "postgresql://nobody@/none?host=/nonexistent-socket-dir"
    let result = try chaoslake(["ingest", "-"], environment: environment)
    #expect(result.status == 3)
    #expect(result.stderr.contains("cannot connect to PostgreSQL"))
  }
}

/// A generated stream as the bytes `chaoslake generate` writes.
func jsonl(seed: UInt64, events: Int, profile: String) -> [UInt8] {
  var bytes: [UInt8] = []
  let options = GeneratorOptions(
    seed: seed, events: events, profile: ChaosProfile.preset(named: profile)!)
  for delivery in StreamGenerator(options: options) {
    bytes += delivery.bytes
    bytes.append(0x0A)
  }
  return bytes
}
