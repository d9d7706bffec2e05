import ChaosOracle
import Foundation
import Pipeline
import PostgresClient
import Testing

@Suite("Ingest into PostgreSQL raw", .serialized)
struct IngestTests {
  /// Every kind of bad input, as bytes.
  static let badInputs: [[UInt8]] = [
    Array(#"{"event_id": "x", "source": ""#.utf8) + [0xFF, 0xFE]
      + Array(#"", "payload": {}}"#.utf8),
    Array(#"{"source": "a"#.utf8) + [0x00] + Array(#"b", "payload": {}}"#.utf8),
    [0x00],
    Array(#"{"payload": {}, "blob": ""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 1 << 20)
      + Array(#""}"#.utf8),
    [],
    [],
    Array(#"{"payload": {}, "crlf": true}"#.utf8) + [0x0D],
    [0xEF, 0xBB, 0xBF] + Array(#"{"payload": {}}"#.utf8),
    Array(#"{"payload": {}, "deep": "#.utf8) + Array(repeating: UInt8(ascii: "["), count: 10_000)
      + Array(repeating: UInt8(ascii: "]"), count: 10_000) + [UInt8(ascii: "}")],
    Array(#"{"payload": {}, "huge": 1e131072}"#.utf8),
    Array(#"{"payload": {}, "big": 9e131071, "tiny": 1e-16383}"#.utf8),
    Array(
      #"{"event_id": "'); drop table raw_events; --", "source": "\"); drop table raw_events; --", "payload": "{\"id\": \"'); drop table raw_events; --\"}"}"#
        .utf8),
    Array(#"{"source": "\u0000", "payload": {}}"#.utf8),
    Array(#"{"source": "\ud800", "payload": {}}"#.utf8),
    Array("not json at all \\ \t tabs".utf8),
    Array(#"{"source": "é€😀", "payload": "{\"title\": \"caf\\u00e9\"}"}"#.utf8),
  ]

  static let expectedJSON: [Bool] = [
    false, false, false, true, false, false, true, false, false, false, true, true, false, false,
    false, true,
  ]

  @Test("every bad input kind round-trips byte for byte, and is_json says which are storable")
  func byteExactRoundTrip() throws {
    let database = try TestDatabase()
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("bad.jsonl")
    let bytes = Self.badInputs.flatMap { $0 + [0x0A] } + Array(#"{"last": "no newline"}"#.utf8)
    try Data(bytes).write(to: file)
    let result = try chaoslake(["ingest", file.path], environment: database.environment)
    #expect(result.status == 0, "\(result.stderr)")
    let stored = try database.rawLines()
    #expect(stored == jsonlLines(bytes))
    #expect(stored.count == Self.badInputs.count + 1)
    let json = try database.connection.execute("select is_json from raw_events order by seq").rows
      .map { $0[0] == "t" }
    #expect(Array(json.prefix(Self.expectedJSON.count)) == Self.expectedJSON)
    // The injection attempt is data: the table is still there, the text stored as given.
    let sourceText = try database.connection.execute(
      "select source from raw_events where seq = 12"
    ).scalar
    #expect(sourceText == "\"); drop table raw_events; --")
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
      ).rows.map { hexDecode($0[0]!) }
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
      "select event_id, event_timestamp, payload->>'id' from raw_events_v1")
    #expect(view.rows == [["00000000-0000-4000-8000-000000000001", "2026-01-01 10:00:00.5", "1"]])
    #expect(throws: PostgresError.self) {
      try database.connection.execute("delete from raw_events")
    }
    #expect(throws: PostgresError.self) {
      try database.connection.execute("update raw_events set source = 'x'")
    }
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
