import ExportFormat
import PostgresClient

/// The answer to "what was the price of product X at T?".
public struct PricePoint: Sendable, Hashable {
  /// What the product was at that instant.
  public enum State: String, Sendable, Hashable, CaseIterable {
    /// On sale, at `price` in `category`.
    case active
    /// Discontinued (a tombstone version holds the instant).
    case discontinued
    /// No version holds the instant: before the product's first creation.
    case didNotExist = "did_not_exist"
  }

  public var state: State
  /// Set when `state` is `active`.
  public var price: Cents?
  public var category: String?
  /// The holding version's interval and causing event, when one holds the instant.
  public var validFrom: Instant?
  public var validTo: Instant?
  public var eventID: String?
}

extension PostgresEngine {
  /// "What was the price of product X at T?", through the SQL function `price_at`.
  public func price(of product: Int64, at instant: Instant) throws -> PricePoint {
    let row = try connection.execute(
      """
      select state, round(price, 2)::text, category,
        (extract(epoch from valid_from) * 1000000)::bigint,
        (extract(epoch from valid_to) * 1000000)::bigint, event_id
      from price_at($1, timestamptz 'epoch' + $2::bigint * interval '1 microsecond')
      """, [.int(product), .int(instant.microseconds)]
    ).singleRow()
    let stateText = try row.string(0)
    guard let state = PricePoint.State(rawValue: stateText) else {
      throw PostgresError(
        kind: .unexpectedResult, message: "price_at: unknown state '\(stateText)'")
    }
    return PricePoint(
      state: state, price: try row.optionalCents(1),
      category: try row.optionalString(2),
      validFrom: try row.optionalInt64(3).map { Instant(microseconds: $0) },
      validTo: try row.optionalInt64(4).map { Instant(microseconds: $0) },
      eventID: try row.optionalString(5))
  }
}
