import PostgresClient

/// Stages raw lines again from their bytes: what `staging_backlog` lists (lines ingested
/// before staging moved to ingest, or every line after `run --reparse`).
///
/// Lines travel out and back by binary COPY in chunks, parsed in Swift in between, so
/// memory stays flat at any size. It runs inside the caller's transaction (a run's).
struct Restaging {
  let connection: Connection
  var chunkLines: Int64 = 100_000

  /// Empties `stg_events` and lists every raw line as waiting: a rules change re-derives
  /// staging from `raw_line`.
  func queueEverything() throws {
    try connection.executeScript(
      """
      truncate stg_events;
      delete from staging_backlog;
      insert into staging_backlog (after_seq, through_seq)
      select 0, max(seq) from raw_events having max(seq) > 0;
      """)
  }

  /// Stages every range `staging_backlog` lists, then empties it; returns the lines staged.
  @discardableResult
  func stageBacklog() throws -> Int64 {
    let ranges = try connection.execute(
      "select after_seq, through_seq from staging_backlog order by after_seq")
    var staged: Int64 = 0
    for range in ranges.rows {
      var after = try range.int64(0)
      let through = try range.int64(1)
      while after < through {
        let upTo = min(through, after + chunkLines)
        staged += try stage(after: after, through: upTo)
        after = upTo
      }
    }
    if !ranges.rows.isEmpty { try connection.execute("delete from staging_backlog") }
    return staged
  }

  /// Stages the raw lines with `after < seq <= through`.
  private func stage(after: Int64, through: Int64) throws -> Int64 {
    var data: [UInt8] = []
    // COPY takes no parameters; the bounds are integers this process computed.
    try connection.copyOut(
      """
      copy (select seq, raw_line from raw_events where seq > \(after) and seq <= \(through)
        order by seq) to stdout (format binary)
      """
    ) { data.append(contentsOf: $0) }
    var lines: Int64 = 0
    try connection.copyIn(StagedEvent.copyStatement) { writer in
      var encoder = BinaryCopyEncoder()
      encoder.header()
      try BinaryCopyRows.forEach(in: data) { seq, line in
        StagedEvent.encode(line, seq: seq, into: &encoder)
        lines += 1
        try encoder.send(to: writer)
      }
      encoder.trailer()
      try encoder.send(to: writer, above: 0)
    }
    return lines
  }
}

/// Reads `(bigint, bytea)` rows of a binary COPY, checking every length against the data.
enum BinaryCopyRows {
  /// Calls `body` with each row's `seq` and the bytes of its line.
  static func forEach(
    in data: [UInt8], _ body: (Int64, UnsafeBufferPointer<UInt8>) throws -> Void
  ) throws {
    try data.withUnsafeBufferPointer { bytes in
      let signature = BinaryCopyEncoder.signature
      guard bytes.count >= signature.count + 8,
        bytes.prefix(signature.count).elementsEqual(signature)
      else { throw malformed("header") }
      var position = signature.count + 4
      let extensionLength = Int(int32(bytes, at: position))
      position += 4 + extensionLength
      while true {
        guard extensionLength >= 0, position + 2 <= bytes.count else { throw malformed("end") }
        let fields = Int16(bitPattern: UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1]))
        position += 2
        if fields == -1 { return }
        guard fields == 2 else { throw malformed("field count \(fields)") }
        guard position + 16 <= bytes.count, int32(bytes, at: position) == 8 else {
          throw malformed("seq")
        }
        var seq: Int64 = 0
        for offset in 4..<12 { seq = seq << 8 | Int64(bytes[position + offset]) }
        let length = Int(int32(bytes, at: position + 12))
        position += 16
        guard length >= 0, position + length <= bytes.count else { throw malformed("line") }
        try body(seq, UnsafeBufferPointer(rebasing: bytes[position..<position + length]))
        position += length
      }
    }
  }

  private static func int32(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int32 {
    Int32(
      bitPattern: UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
        | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3]))
  }

  private static func malformed(_ what: String) -> PostgresError {
    PostgresError(kind: .unexpectedResult, message: "binary COPY of raw lines: bad \(what)")
  }
}
