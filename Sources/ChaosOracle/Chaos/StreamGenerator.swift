import ExportFormat
import HeapModule

/// Everything that determines a generated stream. Same options, same bytes.
public struct GeneratorOptions: Sendable, Hashable {
  public var seed: UInt64
  /// Number of delivered lines.
  public var events: Int
  public var products: Int
  public var days: Int
  public var profile: ChaosProfile
  public var start: Instant

  public static let defaultStart = Instant(year: 2026, month: 1, day: 1)!

  /// The most simulated days from `defaultStart` that stay inside year 9999.
  public static let maxDays = 2_900_000

  public init(
    seed: UInt64, events: Int, products: Int = 50, days: Int = 30,
    profile: ChaosProfile = .preset(named: "default")!, start: Instant = defaultStart
  ) {
    self.seed = seed
    self.events = events
    self.products = products
    self.days = days
    self.profile = profile
    self.start = start
  }
}

/// Bumped whenever a change alters the bytes generated for some options. Recorded in the
/// oracle's manifest and in scenario files, so a stale expectation is recognised as such.
public let generatorVersion = 6

/// The chaos generator: a lazy sequence of deliveries in delivery order.
///
/// Memory stays bounded whatever `events` is: the world keeps one record per product, the
/// injector a few hundred recent events, and the delivery queue only the delayed lines.
public struct StreamGenerator: Sequence, IteratorProtocol {
  public let options: GeneratorOptions
  var world: World
  var streams: [RandomStream]
  private var produced = 0
  /// The lines waiting for delivery, in delivery order; the heap orders small keys, and
  /// each line waits in `waiting` (a slot freed on delivery is reused), so a sift moves
  /// three integers, not a line with its truth and faults.
  private var queue = Heap<Pending>()
  private var waiting: [Delivery?] = []
  private var freeSlots: [Int] = []
  var recent: [Draft] = []
  var recentOrders: [(orderID: String, productID: Int64, quantity: Int32, time: Instant)] = []
  /// State the edge-value extra lines carry from one line to the next.
  var edges = EdgeState()
  private var extraOrderNumber = 1
  private let slotsPerDay: Int
  /// The profile's rate of each fault, by `FaultKind.index` (drawn dozens of times a line).
  private let rates: [Double]
  /// `FaultKind`'s lists, held here: a static is checked for initialisation at every use.
  private let extraLineKinds = FaultKind.extraLineKinds
  private let breakingKinds = FaultKind.breakingKinds

  private struct Pending: Comparable {
    var key: Int
    var sequence: Int
    var slot: Int
    static func < (lhs: Pending, rhs: Pending) -> Bool {
      (lhs.key, lhs.sequence) < (rhs.key, rhs.sequence)
    }
    static func == (lhs: Pending, rhs: Pending) -> Bool {
      (lhs.key, lhs.sequence) == (rhs.key, rhs.sequence)
    }
  }

  public init(options: GeneratorOptions) {
    self.options = options
    // Extra lines take their share of the stream; the world's clock is stretched so that
    // its events still span all the days. Its catalog and choices do not depend on chaos.
    let extraRate = FaultKind.allCases.filter { $0.family == .extraLine }
      .map(options.profile.rate).reduce(0, +)
    world = World(
      seed: options.seed, products: options.products, days: options.days,
      plannedEvents: Int((Double(options.events) / (1 + extraRate)).rounded()),
      scheduleLength: options.events,
      start: options.start, mix: options.profile.mix)
    streams = FaultKind.allCases.map { RandomStream(seed: options.seed, component: $0.rawValue) }
    slotsPerDay = Swift.max(1, options.events / Swift.max(1, options.days))
    rates = FaultKind.ordered.map(options.profile.rate)
    precondition(breakingKinds.count <= 64, "hits are kept as the bits of a UInt64")
  }

  public mutating func next() -> Delivery? {
    while true {
      if let first = queue.min, produced >= options.events || first.key < produced {
        let slot = queue.removeMin().slot
        let delivery = waiting[slot]
        waiting[slot] = nil
        freeSlots.append(slot)
        return delivery
      }
      guard produced < options.events else { return nil }
      step()
    }
  }

  // MARK: - One world step: extra lines first, then the world event itself.

  private mutating func step() {
    for kind in extraLineKinds {
      guard draw(kind), produced < options.events, let draft = extraLine(kind) else { continue }
      emit(draft.render(), truth: draft.truth, faults: draft.faults)
    }
    guard produced < options.events else { return }
    let event = world.next()
    // Every breaking fault draws on every world event, so switching one on or off never
    // shifts another's random stream; the first hit that applies wins, and a second hit on
    // another field of the line breaks it too (the oracle then expects the rule that comes
    // first).
    // the hits as bits by position in breakingKinds (no array per event)
    var hits: UInt64 = 0
    for (position, kind) in breakingKinds.enumerated() where draw(kind) {
      hits |= 1 << UInt64(position)
    }
    let type = event.action.eventType
    let breaking = firstHit(hits) { $0.canBreak(type) }
    let second = breaking.flatMap { first in
      firstHit(hits) { $0.combines(with: first) && $0.canBreak(type) }
    }
    var format = chooseFormat(time: event.time, type: event.action.eventType)
    if breaking == .foreignCurrency { format.schemaV2 = true }
    var draft = EventWriter.draft(
      eventID: event.eventID, time: event.time, action: event.action, format: format,
      contentID: nextContentID)
    logFormat(format, into: &draft)
    if case .orderPlaced(let orderID, let productID, let quantity) = event.action {
      remember(order: (orderID, productID, quantity, event.time))
    }
    var bytes: [UInt8]
    var truth = draft.truth
    var faults = draft.faults
    switch breaking {
    case .truncatedJSON, .invalidUTF8, .nulByte:
      draft.bytesDamaged = true
      remember(draft)
      let (broken, detail): ([UInt8], String)
      switch breaking {
      case .truncatedJSON:
        (broken, detail) = ByteFaults.truncate(draft.render(), using: &streams[breaking!.index])
      case .invalidUTF8:
        (broken, detail) = ByteFaults.invalidUTF8(draft.render(), using: &streams[breaking!.index])
      default:
        (broken, detail) = ByteFaults.nulByte(draft.render(), using: &streams[breaking!.index])
      }
      bytes = broken
      truth = .malformed
      faults.append(FaultRecord(kind: breaking!, detail: detail))
    case let kind?:
      draft.breakJSON(with: kind, using: &streams[kind.index])
      if let second { draft.breakJSON(with: second, using: &streams[second.index]) }
      bytes = draft.render()
      truth = draft.truth
      faults = draft.faults
      remember(consume draft)
    case nil:
      bytes = draft.render()
      remember(consume draft)
    }
    emit(bytes, truth: truth, faults: faults)
  }

  var nextContentID: UInt64 { UInt64(produced + 1) }

  /// The first breaking fault among `hits` (bits by position in `breakingKinds`) that
  /// satisfies `condition`.
  private func firstHit(_ hits: UInt64, where condition: (FaultKind) -> Bool) -> FaultKind? {
    var rest = hits
    while rest != 0 {
      let kind = breakingKinds[rest.trailingZeroBitCount]
      if condition(kind) { return kind }
      rest &= rest - 1
    }
    return nil
  }

  private mutating func draw(_ kind: FaultKind) -> Bool {
    let index = kind.index
    let rate = rates[index]
    return rate > 0 && streams[index].chance(rate)
  }

  /// A product drawn from the active ones (or the discontinued ones) with fault `index`'s
  /// stream, as `pick` would draw from the list of them; nil when there is none.
  mutating func drawProduct(active: Bool = true, with index: Int) -> World.Product? {
    let count = active ? world.activeCount : world.discontinuedCount
    guard count > 0 else { return nil }
    let choice = streams[index].index(below: count)
    return active ? world.activeProduct(choice) : world.discontinuedProduct(choice)
  }

  /// Queues one line, after drawing its delivery delay.
  private mutating func emit(_ bytes: [UInt8], truth: LineTruth, faults: [FaultRecord]) {
    var faults = faults
    var delay = 0
    let late = draw(.lateDelivery)
    let shuffled = draw(.outOfOrder)
    if late {
      let days = streams[FaultKind.lateDelivery.index].int(in: 1...5)
      delay =
        days * slotsPerDay + Int(streams[FaultKind.lateDelivery.index].below(UInt64(slotsPerDay)))
      faults.append(FaultRecord(kind: .lateDelivery, detail: "about \(days) day(s) late"))
    } else if shuffled {
      delay = streams[FaultKind.outOfOrder.index].int(in: 1...20)
      faults.append(FaultRecord(kind: .outOfOrder, detail: "\(delay) line(s) late"))
    }
    let delivery = Delivery(bytes: bytes, truth: truth, faults: faults)
    let slot: Int
    if let free = freeSlots.popLast() {
      slot = free
      waiting[slot] = delivery
    } else {
      slot = waiting.count
      waiting.append(delivery)
    }
    queue.insert(Pending(key: produced + delay, sequence: produced, slot: slot))
    produced += 1
  }

  /// Keeps the last 256 world drafts (before byte-level damage) for replays and conflicts.
  private mutating func remember(_ draft: consuming Draft) {
    if recent.count < 256 { recent.append(draft) } else { recent[produced % 256] = draft }
  }

  private mutating func remember(
    order: (orderID: String, productID: Int64, quantity: Int32, time: Instant)
  ) {
    if recentOrders.count == 64 { recentOrders.removeFirst() }
    recentOrders.append(order)
  }

  // MARK: - Formats (survivable faults)

  mutating func chooseFormat(time: Instant, type: EventType?) -> LineFormat {
    var format = LineFormat()
    format.schemaV2 = draw(.schemaV2) && type != .inventoryError
    format.doubleEncoded = draw(.doubleEncodedPayload)
    let epoch = draw(.epochMillisTimestamp)
    let offset = draw(.offsetTimestamp)
    let naive = draw(.naiveTimestamp)
    if epoch, time.microseconds % 1000 == 0 {
      format.timestampStyle = .epochMillis
    } else if offset {
      let minutes = streams[FaultKind.offsetTimestamp.index].pick([
        -480, -300, -210, -180, 0, 60, 120, 330, 345, 540, 600, 840,
      ])
      format.timestampStyle = .offset(minutes: minutes)
    } else if naive {
      let spaced =
        options.profile.rate(.naiveTimestamp) < 1
        && streams[FaultKind.naiveTimestamp.index].chance(0.3)
      format.timestampStyle = spaced ? .naiveSpace : .pythonNaive
    }
    format.numericStringPrice = draw(.numericStringPrice)
    format.extraKeys = draw(.extraKeys)
    return format
  }

  mutating func logFormat(_ format: LineFormat, into draft: inout Draft) {
    let type = draft.truth.eventType
    if format.schemaV2 { draft.log(.schemaV2, "v2 payload") }
    if format.doubleEncoded { draft.log(.doubleEncodedPayload, "payload as a JSON string") }
    switch format.timestampStyle {
    case .utc: break
    case .pythonNaive, .naiveSpace: draft.log(.naiveTimestamp, "no zone")
    case .offset(let minutes): draft.log(.offsetTimestamp, "offset \(minutes) min")
    case .epochMillis: draft.log(.epochMillisTimestamp, "epoch milliseconds")
    }
    if format.numericStringPrice, !format.schemaV2,
      type == .productCreated || type == .priceUpdated
    {
      draft.log(.numericStringPrice, "price as a string")
    }
    if format.extraKeys {
      let stream = FaultKind.extraKeys.index
      draft.extraMembers.append(("trace_id", .string(String(streams[stream].next(), radix: 16))))
      if !format.schemaV2, streams[stream].chance(0.5) {
        draft.setPayload("currency", .string("EUR"))
        draft.log(.extraKeys, "trace_id; currency EUR in a v1 payload (ignored)")
      } else {
        draft.setPayload("promo", .bool(true))
        draft.log(.extraKeys, "trace_id; promo")
      }
    }
  }

  // MARK: - Extra lines

  mutating func newDraft(
    kind: FaultKind, time: Instant, action: WorldAction
  ) -> Draft {
    let eventID = EventID.random(&streams[kind.index])
    let format = chooseFormat(time: time, type: action.eventType)
    var draft = EventWriter.draft(
      eventID: eventID, time: time, action: action, format: format, contentID: nextContentID)
    logFormat(format, into: &draft)
    return draft
  }

  private mutating func extraLine(_ kind: FaultKind) -> Draft? {
    switch kind {
    case .exactReplay: replayLine()
    case .conflictingDuplicate: conflictingDuplicateLine()
    case .resentOrder: resentOrderLine()
    case .unknownEventType: unknownEventTypeLine()
    case .inventoryError: inventoryErrorLine()
    case .neverCreatedProduct: neverCreatedProductLine()
    case .discontinuedProductEvent: discontinuedProductLine()
    case .sameTimestampTie: sameTimestampTieLine()
    case .extremeMoney: extremeMoneyLine()
    case .extremeNumber: extremeNumberLine()
    case .extremeUnicode: extremeUnicodeLine()
    case .extremeCSV: extremeCSVLine()
    case .extremeTime: extremeTimeLine()
    case .orderAtStateInstant: orderAtStateInstantLine()
    case .orderIDMoved: orderIDMovedLine()
    case .stateAtEarlierInstant: stateAtEarlierInstantLine()
    default: nil
    }
  }

  /// A price update, discontinuation or order for a product that cannot take it.
  mutating func strayEvent(
    kind: FaultKind, productID: Int64, prefix: String, why: String
  ) -> Draft {
    let index = kind.index
    let action: WorldAction
    switch streams[index].below(3) {
    case 0:
      let price = Cents(Int64(streams[index].int(in: 100...50_000)))
      action = .priceUpdated(productID: productID, old: price, new: price + Cents(100))
    case 1:
      action = .discontinued(productID: productID)
    default:
      let orderID = prefix + zeroPadded(extraOrderNumber, 7)
      extraOrderNumber += 1
      action = .orderPlaced(orderID: orderID, productID: productID, quantity: 1)
    }
    var draft = newDraft(kind: kind, time: world.now, action: action)
    draft.log(kind, "\(action.eventType.rawValue) for product \(productID) (\(why))")
    return draft
  }
}

extension FaultKind {
  /// The position in declaration order: the index of this fault's random stream. Read from
  /// the case's tag, which Swift numbers in declaration order for an enum without payloads
  /// (a lookup by value would hash the raw string, dozens of times a line);
  /// `GeneratorDeterminismTests` checks it against `allCases`.
  var index: Int { withUnsafeBytes(of: self) { Int($0[0]) } }

  static let ordered = allCases
  static let extraLineKinds = ordered.filter { $0.family == .extraLine }
  static let breakingKinds = ordered.filter { $0.family == .breaking }

  /// Whether this breaking fault applies to an event of `type`.
  func canBreak(_ type: EventType) -> Bool {
    switch self {
    case .missingOrderID, .invalidQuantity: type == .orderPlaced
    case .unparseablePrice, .foreignCurrency, .negativePrice:
      type == .productCreated || type == .priceUpdated
    case .nullCategory: type == .productCreated
    case .malformedJSON, .truncatedJSON, .invalidUTF8, .nulByte, .invalidEventID, .badTimestamp,
      .missingProductID:
      true
    default: false
    }
  }
}

extension JSONText {
  /// The same value with `0` appended to decimal literals with one fraction digit
  /// (`12.5` → `12.50`):
  /// equal as `jsonb`, different as text.
  func appendingZeroToDecimals() -> JSONText {
    switch self {
    case .object(let members):
      .object(members.map { ($0.key, $0.value.appendingZeroToDecimals()) })
    case .array(let elements): .array(elements.map { $0.appendingZeroToDecimals() })
    // Only short fractions: `12.340` would test a reading of "at most 2 fractional digits"
    // (written or value) that the contract leaves open; see docs/decisions.md.
    case .number(let literal)
    where !literal.contains("e")
      && (literal.split(separator: ".").dropFirst().first?.count ?? 9) < 2:
      .number(literal + "0")
    case .pythonFloat(let cents) where cents.value.magnitude % 10 == 0:
      .number(cents.pythonFloatLiteral + "0")
    default: self
    }
  }
}
