import ExportFormat

/// What the edge-value lines remember between two of them.
struct EdgeState: Sendable {
  /// The second spelling of a category or order id whose first was just sent.
  var pendingTwin: UnicodeTwin?
  /// A product created at year 1 that still waits for its update at year 9999.
  var pendingLongLived: Int64?
  /// A product just given a price at the limit: big orders go to it.
  var lastMaxPriced: Int64?
  var counter: Int64 = 0

  enum UnicodeTwin: Sendable {
    case category(productID: Int64, spelling: String)
    case order(orderID: String, productID: Int64)
  }
}

/// Extra lines whose values sit at the edges of their types (SPEC "Edge values"). Each
/// line's truth says what it means, so the oracle predicts them like any other.
extension StreamGenerator {
  /// "é" composed (U+00E9) and decomposed (e + U+0301): canonically equivalent, different
  /// code points, so different strings to `jsonb` and `text`.
  static let composedAcute = "\u{E9}"
  static let decomposedAcute = "e\u{301}"

  /// Prices at the contract's limit and orders of 2^31-1 units, aimed at the product just
  /// priced at the limit: a day's revenue far past 64-bit cents.
  mutating func extremeMoneyLine() -> Draft? {
    let index = FaultKind.extremeMoney.index
    guard world.activeCount > 0 else { return nil }
    if streams[index].chance(0.4) {
      guard let product = drawProduct(with: index) else { return nil }
      let price = streams[index].pick([
        Cents(999_999_999_999 as Int64), Cents(999_999_999_998 as Int64),
        Cents(999_999_999_900 as Int64),
      ])
      edges.lastMaxPriced = product.snapshot.id
      var draft = newDraft(
        kind: .extremeMoney, time: world.now,
        action: .priceUpdated(
          productID: product.snapshot.id, old: product.snapshot.price, new: price))
      draft.log(.extremeMoney, "product \(product.snapshot.id) priced \(price.exportText)")
      return draft
    }
    let lastMaxPriced = edges.lastMaxPriced.flatMap { world.product(id: $0) }
    guard let target = lastMaxPriced?.isActive == true ? lastMaxPriced : drawProduct(with: index)
    else { return nil }
    edges.counter += 1
    let quantity = streams[index].pick([Int32.max, Int32.max - 1])
    let orderID = "ord-max-\(edges.counter)"
    var draft = newDraft(
      kind: .extremeMoney, time: world.now,
      action: .orderPlaced(orderID: orderID, productID: target.snapshot.id, quantity: quantity))
    draft.log(.extremeMoney, "\(orderID): \(quantity) units of product \(target.snapshot.id)")
    return draft
  }

  /// An earlier well-formed event sent again under a new event_id, carrying one number at
  /// PostgreSQL numeric's limits (it still fits) or just past them (malformed_json),
  /// in the envelope or the payload (inside a double-encoded payload too).
  mutating func extremeNumberLine() -> Draft? {
    let index = FaultKind.extremeNumber.index
    let candidates = recent.indices.filter {
      !recent[$0].truth.isMalformed && recent[$0].lineRewrite == nil && !recent[$0].bytesDamaged
        && recent[$0].payload.map { if case .object = $0 { true } else { false } } ?? false
    }
    guard !candidates.isEmpty else { return nil }
    var copy = recent[streams[index].pick(candidates)]
    copy.faults = []
    let eventID = EventID.random(&streams[index])
    copy.eventIDText = .string(eventID.description)
    copy.truth.eventID = eventID
    copy.truth.contentID = nextContentID
    let (literal, fits) = streams[index].pick(Self.numericLimits)
    let inPayload = streams[index].chance(0.6)
    if inPayload {
      copy.setPayload("measurement", .number(literal))
    } else {
      copy.extraMembers.append(("measurement", .number(literal)))
    }
    if !fits {
      copy.truth = .malformed
    }
    let shown =
      literal.count > 24 ? "\(literal.prefix(12))… (\(literal.count) characters)" : literal
    copy.log(
      .extremeNumber,
      "\(shown) in the \(inPayload ? "payload" : "envelope"): \(fits ? "fits" : "does not fit") numeric"
    )
    return copy
  }

  /// Numeric literals at and just past what `numeric` stores, with whether they fit.
  static let numericLimits: [(literal: String, fits: Bool)] = [
    ("0e1073741822", true), ("-0e+1073741822", true), ("1e-16383", true), ("-1e-16383", true),
    ("9.99e131071", true), ("-9.99e131071", true), ("0e-16383", true), ("1.5e-16382", true),
    ("0." + String(repeating: "0", count: 16_383), true),
    ("0e1073741823", false), ("1e1073741823", false), ("0e-1073741822", false),
    ("1e-16384", false), ("0.0e-16383", false), ("1e131072", false), ("10e131071", false),
    ("0." + String(repeating: "0", count: 16_384), false),
  ]

  /// A category or order id sent in one spelling now and in the canonically equivalent
  /// other spelling on the next such line: two categories (a new version), two orders.
  mutating func extremeUnicodeLine() -> Draft? {
    let index = FaultKind.extremeUnicode.index
    if let twin = edges.pendingTwin {
      edges.pendingTwin = nil
      switch twin {
      case .category(let productID, let spelling):
        guard let product = world.product(id: productID) else { return nil }
        return categoryLine(product.snapshot, category: spelling, kind: .extremeUnicode)
      case .order(let orderID, let productID):
        var draft = newDraft(
          kind: .extremeUnicode, time: world.now,
          action: .orderPlaced(orderID: orderID, productID: productID, quantity: 1))
        draft.log(.extremeUnicode, "order id \(Self.describe(orderID))")
        return draft
      }
    }
    guard let product = drawProduct(with: index)?.snapshot else { return nil }
    let composedFirst = streams[index].chance(0.5)
    let (first, second) =
      composedFirst
      ? (Self.composedAcute, Self.decomposedAcute) : (Self.decomposedAcute, Self.composedAcute)
    if streams[index].chance(0.5) {
      let base = product.category + " caf"
      edges.pendingTwin = .category(productID: product.id, spelling: base + second)
      return categoryLine(product, category: base + first, kind: .extremeUnicode)
    }
    edges.counter += 1
    let base = "ord-caf\(edges.counter)-"
    edges.pendingTwin = .order(orderID: base + second, productID: product.id)
    var draft = newDraft(
      kind: .extremeUnicode, time: world.now,
      action: .orderPlaced(orderID: base + first, productID: product.id, quantity: 1))
    draft.log(.extremeUnicode, "order id \(Self.describe(base + first))")
    return draft
  }

  /// A re-publication of a live product under a category that CSV must quote with care.
  mutating func extremeCSVLine() -> Draft? {
    let index = FaultKind.extremeCSV.index
    guard let product = drawProduct(with: index)?.snapshot else { return nil }
    let category = streams[index].pick(Self.csvHostileCategories)
    return categoryLine(product, category: category, kind: .extremeCSV)
  }

  static let csvHostileCategories = [
    "x\"\u{301}y", "a,b", "\"quoted\"", "line\r\nbreak", "cr\ronly", "lf\nonly", "tab\there",
    "comma, and \"quote\"", "\u{301}", "\",\u{301}", String(repeating: "\",", count: 2_000),
    " leading and trailing ",
  ]

  /// A product created at the first microsecond of year 1 (or just before it, after the
  /// offset: bad_timestamp) and, on the next such line, repriced at the last microsecond of
  /// year 9999 (or just after it). Ids count down from 2^63-1, the largest product id.
  mutating func extremeTimeLine() -> Draft? {
    let index = FaultKind.extremeTime.index
    if let productID = edges.pendingLongLived {
      edges.pendingLongLived = nil
      let (timestamp, instant) = streams[index].pick(Self.lastInstants)
      var draft = newDraft(
        kind: .extremeTime, time: world.now,
        action: .priceUpdated(
          productID: productID, old: Cents(1_000 as Int64), new: Cents(1_234 as Int64)))
      draft.timestamp = timestamp
      draft.truth.time = instant
      draft.log(.extremeTime, "product \(productID) repriced at \(timestamp.text())")
      return draft
    }
    edges.counter += 1
    let productID = Int64.max - edges.counter
    let (timestamp, instant) = streams[index].pick(Self.firstInstants)
    let snapshot = ProductSnapshot(
      id: productID, title: "Long-lived", description: "from year 1 to 9999", category: "edge",
      price: Cents(1_000 as Int64), ratingTenths: 40, ratingCount: 1)
    var draft = newDraft(kind: .extremeTime, time: world.now, action: .created(snapshot))
    draft.timestamp = timestamp
    draft.truth.time = instant
    if instant != nil { edges.pendingLongLived = productID }
    draft.log(.extremeTime, "product \(productID) created at \(timestamp.text())")
    return draft
  }

  /// Timestamps around the first instant of year 1, with the UTC instant each stands for
  /// (`nil`: outside years 1-9999 once the offset is applied).
  static let firstInstants: [(JSONText, Instant?)] = [
    (.string("0001-01-01T00:00:00Z"), Instant(year: 1, month: 1, day: 1)),
    (.string("0001-01-01T01:00:00+01:00"), Instant(year: 1, month: 1, day: 1)),
    (.string("0001-01-01 00:00:00.000001"), Instant(year: 1, month: 1, day: 1, microsecond: 1)),
    (.integer(-62_135_596_800_000 as Int64), Instant(year: 1, month: 1, day: 1)),
    (.string("0001-01-01T00:30:00+01:00"), nil),
    (.string("0001-01-01T00:00:00+00:01"), nil),
    (.integer(-62_135_596_800_001 as Int64), nil),
  ]

  /// Timestamps around the last instant of year 9999.
  static let lastInstants: [(JSONText, Instant?)] = [
    (
      .string("9999-12-31T23:59:59.999999Z"),
      Instant(
        year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999_999)
    ),
    (
      .string("9999-12-31T22:59:59.999999-01:00"),
      Instant(
        year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999_999)
    ),
    (
      .integer(253_402_300_799_999 as Int64),
      Instant(
        year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, microsecond: 999_000)
    ),
    (.string("9999-12-31T23:30:00-01:00"), nil),
    (.string("9999-12-31T23:59:59-00:01"), nil),
    (.integer(253_402_300_800_000 as Int64), nil),
  ]

  /// A `product_created` re-publishing `product` with another category.
  private mutating func categoryLine(_ product: ProductSnapshot, category: String, kind: FaultKind)
    -> Draft
  {
    var snapshot = product
    snapshot.category = category
    var draft = newDraft(kind: kind, time: world.now, action: .created(snapshot))
    draft.log(kind, "product \(product.id) category \(Self.describe(category))")
    return draft
  }

  /// A string for the fault log: non-ASCII and control characters as `U+XXXX`.
  static func describe(_ text: String) -> String {
    let shown = text.unicodeScalars.prefix(40).map { scalar in
      scalar.value >= 0x20 && scalar.value < 0x7F
        ? String(scalar) : "U+" + String(scalar.value, radix: 16, uppercase: true)
    }
    return "\"" + shown.joined() + (text.unicodeScalars.count > 40 ? "…" : "") + "\""
  }
}
