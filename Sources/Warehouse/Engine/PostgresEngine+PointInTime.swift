import ExportFormat
import Foundation
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
    // Whole days, then microseconds of the day: each product the server computes stays
    // exact (`bigint * interval` goes through double precision, which rounds microseconds
    // more than about 285 years from 1970). On `timestamp`, so no time zone shifts a day.
    let (days, microsecondsOfDay) = Self.daysAndMicroseconds(instant)
    let row = try connection.execute(
      """
      select state, round(price, 2)::text, category,
        (extract(epoch from valid_from) * 1000000)::bigint,
        (extract(epoch from valid_to) * 1000000)::bigint, event_id
      from price_at($1, (timestamp '1970-01-01' + make_interval(days => $2::int)
        + $3::bigint * interval '1 microsecond') at time zone 'UTC')
      """, [.int(product), .int(days), .int(microsecondsOfDay)]
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

extension PostgresEngine {
  /// Days since 1970-01-01 (rounded down) and the microseconds left, `0..<86_400_000_000`.
  static func daysAndMicroseconds(_ instant: Instant) -> (days: Int64, microseconds: Int64) {
    let perDay: Int64 = 86_400_000_000
    let days = instant.microseconds / perDay - (instant.microseconds % perDay < 0 ? 1 : 0)
    return (days, instant.microseconds - days * perDay)
  }
}

extension PricePoint {
  /// The answer as one JSON object with every key (`null` when absent), money and times as
  /// strings in the export format so that no reader turns a price into binary floating point.
  public func jsonText(productID: Int64, at instant: Instant) -> String {
    let answer = JSONAnswer(
      productID: productID, at: instant.exportText, state: state.rawValue,
      price: price?.exportText, category: category, validFrom: validFrom?.exportText,
      validTo: validTo?.exportText, eventID: eventID)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Strings and integers only: encoding cannot fail.
    return (try? encoder.encode(answer)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }

  private struct JSONAnswer: Encodable {
    var productID: Int64
    var at: String
    var state: String
    var price: String?
    var category: String?
    var validFrom: String?
    var validTo: String?
    var eventID: String?

    enum CodingKeys: String, CodingKey {
      case productID = "product_id", at, state, price, category
      case validFrom = "valid_from", validTo = "valid_to", eventID = "event_id"
    }

    // Absent values are written as null, not left out, so every answer has every key.
    func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(productID, forKey: .productID)
      try container.encode(at, forKey: .at)
      try container.encode(state, forKey: .state)
      try container.encode(price, forKey: .price)
      try container.encode(category, forKey: .category)
      try container.encode(validFrom, forKey: .validFrom)
      try container.encode(validTo, forKey: .validTo)
      try container.encode(eventID, forKey: .eventID)
    }
  }

  /// The answer as one sentence, for people.
  public func sentence(productID: Int64, at instant: Instant) -> String {
    let prefix = "product \(productID) at \(instant.exportText)"
    switch state {
    case .active:
      return
        "\(prefix): \(price?.exportText ?? "?") (\(category ?? "?")), valid from "
        + "\(validFrom?.exportText ?? "?") to \(validTo?.exportText ?? "now")"
    case .discontinued:
      return "\(prefix): discontinued (since \(validFrom?.exportText ?? "?"))"
    case .didNotExist:
      return "\(prefix): did not exist"
    }
  }
}
