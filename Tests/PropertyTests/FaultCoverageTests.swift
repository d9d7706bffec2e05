import ChaosOracle
import ExportFormat
import Foundation
import Testing

/// What each fault is meant to do to the line it touches.
enum Intent {
  /// The line fails exactly this rule, unless an identical or conflicting twin decides it.
  case breaks(ReasonCode)
  /// At least one touched line gets this status (knock-on effects may spare others).
  case usually(LineStatus)
  /// The line stays valid: never rejected by a parsing or validation rule.
  case survivable
  /// No status of its own is intended (it shapes history instead).
  case shapesHistory
  /// A value at the edge of its type: checked against what it must do to the outputs.
  case edge

  static func of(_ kind: FaultKind) -> Intent {
    switch kind {
    case .malformedJSON, .truncatedJSON, .invalidUTF8, .nulByte: .breaks(.malformedJSON)
    case .invalidEventID: .breaks(.invalidEventID)
    case .badTimestamp: .breaks(.badTimestamp)
    case .missingProductID: .breaks(.missingProductID)
    case .missingOrderID: .breaks(.missingOrderID)
    case .unparseablePrice, .foreignCurrency: .breaks(.unparseablePrice)
    case .negativePrice: .breaks(.negativePrice)
    case .nullCategory: .breaks(.nullCategory)
    case .invalidQuantity: .breaks(.invalidQuantity)
    case .unknownEventType: .breaks(.unknownEventType)
    case .inventoryError: .breaks(.inventoryError)
    case .neverCreatedProduct: .breaks(.orphanEvent)
    case .conflictingDuplicate: .breaks(.conflictingDuplicate)
    case .exactReplay: .usually(.duplicate)
    case .resentOrder: .usually(.invalid(.duplicateOrder))
    case .discontinuedProductEvent: .usually(.invalid(.orphanEvent))
    case .sameTimestampTie: .shapesHistory
    case .extremeMoney, .extremeNumber, .extremeUnicode, .extremeCSV, .extremeTime,
      .orderAtStateInstant, .orderIDMoved, .stateAtEarlierInstant:
      .edge
    case .schemaV2, .doubleEncodedPayload, .naiveTimestamp, .offsetTimestamp,
      .epochMillisTimestamp, .numericStringPrice, .extraKeys, .outOfOrder, .lateDelivery:
      .survivable
    }
  }
}

/// Reasons that only rules about the line's own content give (as opposed to knock-on
/// effects of other lines: conflicts, duplicate orders, orphans).
let contentReasons: Set<ReasonCode> = [
  .malformedJSON, .invalidEventID, .unknownEventType, .badTimestamp, .inventoryError,
  .missingProductID, .missingOrderID, .unparseablePrice, .negativePrice, .nullCategory,
  .invalidQuantity,
]

/// Checks every line touched by `kind` against the fault's intent; returns a failure text.
func checkIntent(_ kind: FaultKind, deliveries: [Delivery], prediction: ExportFiles) -> String? {
  let statuses = prediction.statuses.map(\.status)
  let touched = deliveries.indices.filter { deliveries[$0].faults.contains { $0.kind == kind } }
  guard !touched.isEmpty else { return "\(kind.rawValue) was never applied" }
  func describe(_ index: Int) -> String {
    "line \(index + 1) [\(statuses[index])]: \(String(decoding: deliveries[index].bytes.prefix(300), as: UTF8.self))"
  }
  switch Intent.of(kind) {
  case .breaks:
    let groupDecided: Set<LineStatus> = [.duplicate, .invalid(.conflictingDuplicate)]
    for index in touched {
      // A line broken twice gets the reason of the rule that comes first.
      let reasons = deliveries[index].faults.compactMap { fault -> ReasonCode? in
        if case .breaks(let reason) = Intent.of(fault.kind) { reason } else { nil }
      }
      guard let expected = reasons.min(by: { precedence($0) < precedence($1) }),
        statuses[index] != .invalid(expected)
      else { continue }
      let ruleFirst = expected == .malformedJSON || expected == .invalidEventID
      if ruleFirst || !groupDecided.contains(statuses[index]) {
        return "\(kind.rawValue) should give \(expected.rawValue): " + describe(index)
      }
    }
  case .usually(let status):
    if !touched.contains(where: { statuses[$0] == status }) {
      return "no \(kind.rawValue) line got \(status)"
    }
  case .survivable:
    let onlySurvivable = touched.filter { index in
      deliveries[index].faults.allSatisfy {
        if case .survivable = Intent.of($0.kind) { true } else { false }
      }
    }
    for index in onlySurvivable {
      if let reason = statuses[index].reason, contentReasons.contains(reason) {
        return "\(kind.rawValue) should keep the line valid: " + describe(index)
      }
    }
  case .shapesHistory:
    return checkTieBreak(touched: touched, deliveries: deliveries, prediction: prediction)
  case .edge:
    return checkEdge(kind, touched: touched, deliveries: deliveries, prediction: prediction)
  }
  return nil
}

/// What each edge-value fault must do to the oracle's outputs, so a generator that stopped
/// producing the extreme value would be noticed.
func checkEdge(
  _ kind: FaultKind, touched: [Int], deliveries: [Delivery], prediction: ExportFiles
) -> String? {
  let statuses = touched.map { prediction.statuses[$0].status }
  switch kind {
  case .orderAtStateInstant:
    let starts = Set(prediction.history.map { "\($0.productID)@\($0.validFrom.microseconds)" })
    let atStart = touched.contains { index in
      let truth = deliveries[index].truth
      guard prediction.statuses[index].status == .accepted, let product = truth.productID,
        let time = truth.time
      else { return false }
      return starts.contains("\(product)@\(time.microseconds)")
    }
    guard atStart, statuses.contains(.invalid(.orphanEvent)) else {
      return "order_at_state_instant: needs an accepted order at a version's start and one "
        + "at a tombstone's (an orphan)"
    }
  case .stateAtEarlierInstant:
    // Touched lines share their product and instant with a line delivered before them; among
    // those pairs each kind of state event must occur at least once.
    var kinds: Set<String> = []
    for index in touched {
      let truth = deliveries[index].truth
      guard let product = truth.productID, let time = truth.time, let type = truth.eventType
      else { return "state_at_earlier_instant: a touched line has no product, time or type" }
      let paired = deliveries[..<index].contains { other in
        !other.truth.isMalformed && other.truth.productID == product && other.truth.time == time
          && other.truth.eventID != truth.eventID
      }
      // The earlier line may itself have been delayed past this one (late delivery).
      guard paired else { continue }
      let detail = deliveries[index].faults.first { $0.kind == kind }?.detail ?? ""
      kinds.insert(
        type == .productCreated
          ? (detail.hasPrefix("a reactivation") ? "reactivation" : "category change")
          : type.rawValue)
    }
    let wanted: Set<String> = [
      "price_updated", "product_discontinued", "category change", "reactivation",
    ]
    guard wanted.isSubset(of: kinds) else {
      return "state_at_earlier_instant: kinds seen \(kinds.sorted()), wanted \(wanted.sorted())"
    }
  case .orderIDMoved:
    let moved = touched.contains { index in
      guard let orderID = deliveries[index].truth.orderID else { return false }
      return deliveries.indices.contains { other in
        other < index && prediction.statuses[other].status == .invalid(.duplicateOrder)
          && deliveries[other].truth.orderID.map { $0.hasSameCodePoints(as: orderID) } == true
      }
    }
    guard moved else {
      return "order_id_moved: no earlier-delivered order lost its id to a later-delivered one"
    }
  case .extremeMoney:
    guard prediction.sales.contains(where: { $0.revenue.value > Int128(Int64.max) }) else {
      return "extreme_money: no day's revenue went past 64-bit cents"
    }
  case .extremeNumber:
    guard statuses.contains(.invalid(.malformedJSON)),
      statuses.contains(where: { $0 != .invalid(.malformedJSON) })
    else { return "extreme_number: needs lines that fit numeric and lines that do not" }
  case .extremeUnicode:
    let history = prediction.history
    let twins = zip(history, history.dropFirst()).contains { earlier, later in
      earlier.productID == later.productID
        && earlier.attributes.category == later.attributes.category
        && !earlier.attributes.category.hasSameCodePoints(as: later.attributes.category)
    }
    guard twins else {
      return "extreme_unicode: no product has consecutive versions whose categories are "
        + "canonically equivalent but different"
    }
  case .extremeCSV:
    let hostile = prediction.history.contains {
      $0.attributes.category.unicodeScalars.contains { ["\"", ",", "\r", "\n"].contains($0) }
    }
    guard hostile else { return "extreme_csv: no category needs CSV quoting" }
  case .extremeTime:
    let years = Set(prediction.history.map(\.validFrom.date.year))
    guard years.contains(1), statuses.contains(.invalid(.badTimestamp)) else {
      return "extreme_time: needs a version from year 1 and a time just outside the range"
    }
  default:
    return "\(kind.rawValue) is not an edge-value fault"
  }
  return nil
}

/// For each accepted tie line: the accepted state events of its product at that instant,
/// applied in `event_id` order to the state just before, must give the version that holds
/// the instant in the oracle's history. Fails too when no tie's outcome depended on the
/// order, as then the check would prove nothing.
func checkTieBreak(touched: [Int], deliveries: [Delivery], prediction: ExportFiles) -> String? {
  func holding(_ product: Int64, _ instant: Instant) -> ProductAttributes? {
    prediction.history.first {
      $0.productID == product && $0.validFrom <= instant
        && ($0.validTo.map { instant < $0 } ?? true)
    }?.attributes
  }
  func apply(_ truth: LineTruth, to state: ProductAttributes?) -> ProductAttributes? {
    switch (truth.eventType, truth.price) {
    case (.productCreated, .valid(let price)):
      return ProductAttributes(price: price, category: truth.category ?? "", isDeleted: false)
    case (.priceUpdated, .valid(let price)):
      return state.map { ProductAttributes(price: price, category: $0.category, isDeleted: false) }
    case (.productDiscontinued, _):
      return state.map {
        ProductAttributes(price: $0.price, category: $0.category, isDeleted: true)
      }
    default:
      return state
    }
  }
  var orderMattered = 0
  for index in touched where prediction.statuses[index].status == .accepted {
    let truth = deliveries[index].truth
    guard let product = truth.productID, let instant = truth.time else { continue }
    let tied = deliveries.indices.filter {
      prediction.statuses[$0].status == .accepted && deliveries[$0].truth.productID == product
        && deliveries[$0].truth.time == instant && deliveries[$0].truth.eventType != .orderPlaced
    }
    .map { deliveries[$0].truth }
    .sorted { ($0.eventID?.description ?? "") < ($1.eventID?.description ?? "") }
    let before = holding(product, Instant(microseconds: instant.microseconds - 1))
    let expected = tied.reduce(before) { apply($1, to: $0) }
    guard holding(product, instant) == expected else {
      return "tie at \(instant.exportText) for product \(product) not broken by event_id "
        + "(line \(index + 1))"
    }
    if tied.reversed().reduce(before, { apply($1, to: $0) }) != expected { orderMattered += 1 }
  }
  return orderMattered > 0 ? nil : "no same_timestamp_tie line had an outcome that depends on order"
}

/// A reason's place in the rules' order.
func precedence(_ reason: ReasonCode) -> Int { ReasonCode.allCases.firstIndex(of: reason) ?? 0 }

/// Checks the generator's claims about each line against an independent reading of its
/// bytes with Foundation's JSON parser.
func checkBytes(_ delivery: Delivery) -> String? {
  let truth = delivery.truth
  let text = String(decoding: delivery.bytes.prefix(300), as: UTF8.self)
  let kinds = Set(delivery.faults.map(\.kind))
  if kinds.contains(.invalidUTF8), isValidUTF8(delivery.bytes) {
    return "invalid_utf8 line is valid UTF-8: \(text)"
  }
  if kinds.contains(.truncatedJSON) || kinds.contains(.invalidUTF8),
    ForeignReading(delivery.bytes).object != nil
  {
    return "broken line still parses: \(text)"
  }
  if kinds.contains(.nulByte),
    !delivery.bytes.contains(0) && !text.contains("\\u0000")
  {
    return "nul_byte line holds no NUL: \(text)"
  }
  guard !truth.isMalformed else { return nil }
  // Foundation's reader turns numbers at numeric's limits into doubles, or refuses them.
  if kinds.contains(.extremeNumber) { return nil }
  let reading = ForeignReading(delivery.bytes)
  guard let object = reading.object else { return "valid line does not parse: \(text)" }
  guard reading.payload != nil else { return "valid line has no object payload: \(text)" }
  if let id = truth.eventID {
    guard let written = object["event_id"] as? String, written.lowercased() == id.description else {
      return "event_id differs from the truth: \(text)"
    }
  } else if let written = object["event_id"] as? String, looksLikeUUID(written) {
    return "an invalid event_id looks like a UUID: \(text)"
  }
  if let type = truth.eventType, object["event_type"] as? String != type.rawValue {
    return "event_type differs from the truth: \(text)"
  }
  if truth.eventType == nil, let written = object["event_type"] as? String,
    EventType(rawValue: written) != nil
  {
    return "an unknown event_type is a known one: \(text)"
  }
  return nil
}

@Suite("Every fault is reachable and does what it is meant to")
struct FaultCoverageTests {
  @Test(
    "each preset hits every fault it enables, with the intended status",
    arguments: ChaosProfile.presetNames)
  func presetCoverage(profileName: String) {
    let profile = preset(profileName)
    let deliveries = generate(seed: 11, events: 20_000, profile: profile)
    let prediction = Oracle.predict(deliveries.map(\.truth))
    let statuses = prediction.statuses.map(\.status)
    if profileName == "none" {
      #expect(deliveries.allSatisfy { $0.faults.isEmpty })
      #expect(statuses.allSatisfy { $0 == .accepted })
    }
    if profileName == "heavy" {
      // Lines broken twice exist, and the checks below hold them to the earlier rule.
      let twice = deliveries.filter {
        $0.faults.filter { $0.kind.family == .breaking }.count >= 2
      }
      #expect(twice.count >= 10, "\(twice.count) lines carry two breaking faults")
    }
    for kind in profile.enabledFaults {
      let failure = checkIntent(kind, deliveries: deliveries, prediction: prediction)
      #expect(failure == nil, "\(failure ?? "")\nreplay: swift test --filter FaultCoverageTests")
    }
    for delivery in deliveries {
      let failure = checkBytes(delivery)
      #expect(failure == nil, "\(failure ?? "")")
      if failure != nil { break }
    }
  }

  @Test("each fault kind alone does what it is meant to", arguments: FaultKind.allCases)
  func singleFault(kind: FaultKind) {
    let rate = kind == .discontinuedProductEvent ? 0.05 : 0.3
    for seed in 1...3 as ClosedRange<UInt64> {
      let deliveries = generate(seed: seed, events: 1_500, profile: only(kind, rate: rate))
      let prediction = Oracle.predict(deliveries.map(\.truth))
      let failure = checkIntent(kind, deliveries: deliveries, prediction: prediction)
      #expect(failure == nil, "seed \(seed): \(failure ?? "")")
      let byteFailure = deliveries.lazy.compactMap(checkBytes).first
      #expect(byteFailure == nil, "seed \(seed): \(byteFailure ?? "")")
    }
  }

  @Test("seed-compatible writes only what the original producer wrote")
  func seedCompatibleShape() {
    let deliveries = generate(seed: 5, events: 3_000, profile: preset("seed-compatible"))
    for delivery in deliveries {
      let reading = ForeignReading(delivery.bytes)
      let type = reading.string("event_type")
      #expect(["product_created", "price_updated", "inventory_error"].contains(type))
      #expect(reading.object?["payload"] is String, "payload is double-encoded")
      let stamp = reading.string("event_timestamp") ?? ""
      #expect(!stamp.hasSuffix("Z") && !stamp.contains("+") && stamp.contains("T"))
      #expect(reading.payload?["schema_version"] == nil)
      if type == "inventory_error" {
        #expect((reading.payload?["price"] as? NSNumber)?.intValue == -50)
        #expect(reading.payload?["category"] is NSNull)
      }
      if type == "price_updated" { #expect(reading.payload?["old_price"] != nil) }
    }
  }
}
