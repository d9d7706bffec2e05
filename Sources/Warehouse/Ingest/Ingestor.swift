import ExportFormat
import Foundation
import Pipeline
import PostgresClient

/// What an ingest did.
public struct IngestSummary: Sendable, Hashable {
  /// Lines appended to raw by this run.
  public var linesAppended = 0
  /// Lines already in raw from an earlier run of the same input (skipped).
  public var linesAlreadyPresent = 0
  public var batchesAppended = 0
  public var bytesRead = 0
}

/// Appends a JSONL input to `raw_events`, streaming, in transactional batches, and stages
/// each line (`StagedEvent`: parsed once, here, into `stg_events`) in the same transaction.
///
/// Each batch is recorded (input identity, byte range, content hash) in the transaction that
/// appends its lines, so re-running the same input, or resuming after the process was
/// killed at any point, leaves raw exactly as one clean run: batches already recorded are
/// verified and skipped, a batch cut short by a crash was rolled back and is appended again.
/// The input is recognised by the content of its first 64 KiB.
public struct Ingestor {
  public var batchLines = 50_000
  public var batchBytes = 16 << 20
  public static let identityPrefix = 64 << 10

  private let connection: Connection

  public init(connection: Connection) { self.connection = connection }

  public struct InputChanged: Error, CustomStringConvertible {
    public let description: String
  }

  /// The longest line ingest appends. PostgreSQL keeps at most 1 GiB in one value, and a
  /// line is stored whole (`raw_line`); an endless line is stopped at this length, not when
  /// memory runs out.
  public var maximumLineBytes = 1_000_000_000

  /// A line longer than `maximumLineBytes`: the ingest stops before the batch it is in,
  /// having appended the batches before it (running it again resumes there).
  public struct LineTooLong: Error, CustomStringConvertible {
    public let name: String
    /// Where the line starts in the input.
    public let byteOffset: Int
    public let limit: Int

    public var description: String {
      "\(name): the line at byte \(byteOffset) is longer than \(limit) bytes, more than "
        + "PostgreSQL can keep in raw as one value; nothing from its batch on was appended"
    }
  }

  /// Ingests the JSONL file at `path` (recorded under its file name).
  public func ingest(file path: String) throws -> IngestSummary {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw InputFileError(path: path, failedTo: "cannot read", errno: errno)
    }
    defer { close(descriptor) }
    return try ingest(
      descriptor: descriptor, name: URL(fileURLWithPath: path).lastPathComponent)
  }

  /// Reads `descriptor` to its end (`name` is only recorded); `progress` is called after
  /// each batch with the lines appended so far.
  public func ingest(
    descriptor: Int32, name: String, progress: ((IngestSummary) -> Void)? = nil
  ) throws -> IngestSummary {
    var input = ChunkReader(
      descriptor: descriptor, name: name, maximumLineBytes: maximumLineBytes)
    var summary = IngestSummary()
    let head = try input.peek(Self.identityPrefix)
    let key = "fnv1a64:" + String(fnv1a64(head), radix: 16) + ":\(head.count)"

    // Every batch recorded is whole before it is verified or counted on (Citus).
    let layout = try Layout.detect(connection)
    try layout.settleInterruptedCommits(connection)
    // Earlier batches of this input: verify them byte for byte and skip past them.
    let recorded = try connection.execute(
      """
      select byte_start, byte_end, content_hash, ends_with_newline, line_count
      from ingest_batches where file_key = $1 order by byte_start
      """, [.text(key)])
    var position = 0
    var lastEndedWithNewline = true
    for row in recorded.rows {
      let start = try row.int(0)
      let end = try row.int(1)
      guard start == position else {
        throw InputChanged(description: "\(name): recorded batches have a gap at byte \(position)")
      }
      let bytes = try input.read(exactly: end - start)
      guard bytes.count == end - start, String(fnv1a64(bytes), radix: 16) == (try row.string(2))
      else {
        throw InputChanged(
          description:
            "\(name) differs from the input ingested before under the same identity "
            + "(bytes \(start)–\(end)); refusing to append to raw")
      }
      position = end
      lastEndedWithNewline = try row.bool(3)
      summary.linesAlreadyPresent += try row.int(4)
    }
    summary.bytesRead = position
    // The next batch is read and parsed while this one commits (BatchesAhead).
    let batches = BatchesAhead(
      reading: input, from: position, appending: lastEndedWithNewline, name: name,
      lines: batchLines, bytes: batchBytes)
    defer { batches.stop() }
    // A first load builds staging's lookup indexes once at its end (migration 0019) instead
    // of row by row. Every ingest ends by building any that are missing, on failure too, so
    // one killed in between is mended by the next ingest or run.
    try Self.changingStagingLookups(connection) {
      try connection.execute("select set_staging_lookups_aside()")
    }
    do {
      while let batch = try batches.next() {
        summary.bytesRead = batch.end
        try commit(batch, key: key, name: name, layout: layout, into: &summary)
        progress?(summary)
      }
    } catch {
      _ = try? Self.changingStagingLookups(connection) {
        try connection.execute("select build_staging_lookups()")
      }
      throw layout.explainingLostWorkers(error, connection)
    }
    try Self.changingStagingLookups(connection) {
      try connection.execute("select build_staging_lookups()")
    }
    return summary
  }

  /// Runs `body`, which drops or builds staging's lookup indexes, while no other session
  /// does: two ingests setting them aside or building them at once raced for the same
  /// index names, and on Citus deadlocked on the shards' locks.
  @discardableResult
  static func changingStagingLookups<T>(_ connection: Connection, _ body: () throws -> T)
    throws -> T
  {
    try connection.execute("select pg_advisory_lock(hashtext('chaoslake.staging_lookups'))")
    defer {
      _ = try? connection.execute(
        "select pg_advisory_unlock(hashtext('chaoslake.staging_lookups'))")
    }
    return try body()
  }

  private func commit(
    _ batch: consuming IngestBatch, key: String, name: String, layout: Layout,
    into summary: inout IngestSummary
  ) throws {
    var batch = batch  // its staged rows are numbered in place, then handed to COPY
    try connection.transaction {
      // One writer assigns positions at a time, so seq is gap-free in commit order even
      // when several ingests run at once.
      try connection.execute("select pg_advisory_xact_lock(hashtext('chaoslake.raw_events'))")
      let done = try connection.execute(
        "select content_hash from ingest_batches where file_key = $1 and byte_start = $2",
        [.text(key), .int(batch.start)])
      if let existing = done.scalar {
        // A concurrent ingest of the same input got there first.
        guard existing == String(batch.hash, radix: 16) else {
          throw InputChanged(description: "\(name): a concurrent ingest recorded other bytes")
        }
        summary.linesAlreadyPresent += batch.lineCount
        return
      }
      // On one node from the batches, not max(seq): a first load builds raw's key after its
      // last batch. On Citus from raw, whose key stays: reading every shard first gives the
      // transaction a connection per shard, which the COPY then streams over at once (one
      // per worker otherwise: 990,000 lines took 10.4-11.4 s instead of 8.0-9.0 s).
      let firstSeq = try connection.execute(
        layout == .citus
          ? "select coalesce(max(seq), 0) + 1 from raw_events"
          : "select coalesce(max(first_seq + line_count), 1) from ingest_batches"
      ).scalarInt64()
      let batchID = try connection.execute(
        """
        insert into ingest_batches
          (file_key, file_name, byte_start, byte_end, content_hash, ends_with_newline, first_seq, line_count)
        values ($1, $2, $3, $4, $5, $6, $7, $8)
        returning batch_id
        """,
        [
          .text(key), .text(name), .int(batch.start), .int(batch.end),
          .text(String(batch.hash, radix: 16)), .bool(batch.endsWithNewline),
          .int(firstSeq), .int(batch.lineCount),
        ]
      ).scalarInt64()
      try connection.copyIn(
        "copy raw_events (seq, raw_line, batch_id) from stdin (format binary)"
      ) { writer in
        var encoder = BinaryCopyEncoder()
        encoder.header()
        try batch.forEachLine { offset, line in
          encoder.row(fieldCount: 3)
          encoder.int8(firstSeq + Int64(offset))
          encoder.raw(line)
          encoder.int8(batchID)
          try encoder.send(to: writer)
        }
        encoder.trailer()
        try encoder.send(to: writer, above: 0)
      }
      let stagedRows = batch.takeStagedRows(numberedFrom: firstSeq)
      try connection.copyIn(StagedEvent.copyStatement) { writer in try writer.write(stagedRows) }
      summary.linesAppended += batch.lineCount
      summary.batchesAppended += 1
    }
  }
}
