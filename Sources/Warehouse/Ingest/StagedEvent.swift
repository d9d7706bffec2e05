import ExportFormat
import Pipeline

/// Staging, done once at the edge: a raw line read by the pipeline's own parser
/// (`EnvelopeReader`, rules 4–11 from `LineRules`) into the typed row of `stg_events`.
///
/// Ingest writes it in the transaction that appends the line to raw, so the models never
/// parse JSON; `run --reparse` rewrites every row from `raw_line` after a rules change.
enum StagedEvent {
  /// The columns, in the order `encode` writes them.
  static let copyStatement = """
    copy stg_events (seq, is_json, event_id, event_type, event_time, event_date, product_id,
      order_id, price_cents, category, quantity, content_reason) from stdin (format binary)
    """
  static let fieldCount = 12
  /// Where the value of `seq`, the first field, starts in a row `encode` writes: after the
  /// row's field count (2 bytes) and the field's length (4 bytes).
  static let seqValueOffset = 6

  /// Appends the staged row of raw line `seq` to a binary COPY.
  static func encode(
    _ line: UnsafeBufferPointer<UInt8>, seq: Int64, into out: inout BinaryCopyEncoder
  ) {
    let event = EnvelopeReader.read(line)
    out.row(fieldCount: fieldCount)
    out.int8(seq)
    out.bool(!event.isMalformed)
    if let id = event.eventID { out.uuid(high: id.high, low: id.low) } else { out.null() }
    out.optionalText(event.eventType?.rawValue)
    if let time = event.time {
      out.timestamptz(unixMicroseconds: time.microseconds)
    } else {
      out.null()
    }
    if let date = event.eventDate {
      out.date(daysSinceUnixEpoch: date.daysSinceEpoch)
    } else {
      out.null()
    }
    if let product = event.productID { out.int8(product) } else { out.null() }
    out.optionalText(event.orderID)
    // Prices the parser accepts are below 10^12 cents, so they always fit bigint.
    if case .valid(let cents) = event.price, let value = Int64(exactly: cents.value) {
      out.int8(value)
    } else {
      out.null()
    }
    out.optionalText(event.category)
    if let quantity = event.quantity { out.int4(quantity) } else { out.null() }
    out.optionalText(LineRules.firstFailure(event)?.rawValue)
  }
}
