import ExportFormat

/// The whole pipeline in memory: append delivered lines (raw), run, export.
///
/// Runs are incremental in the shape the PostgreSQL engine follows: a run reads only the
/// lines past the watermark and recomputes only what they touch — their `event_id` groups,
/// the `order_id`s and products concerned — so any split of the same lines into batches
/// gives the same result as one batch.
public struct MemoryEngine: Sendable {
  /// Every delivered line, byte for byte, in delivery order (line n at index n - 1).
  public private(set) var raw = LineStore()
  /// Lines processed by the last run.
  public private(set) var watermark = 0

  private var parsed: [ParsedEvent] = []
  private var statuses: [LineStatus] = []

  // Rules 1–3: the first line of each event_id, the later ones where there are any, and
  // the groups whose envelopes differ. Every other group's rules 4–13 apply to its first
  // line, its candidate.
  private var firstOfGroup = EventKeyTable()
  private var restOfGroup: [EventKey: [Int]] = [:]
  private var conflicted: Set<EventKey> = []
  private var identities: [Int: [UInt8]] = [:]

  // Rule 12, per order_id (numbered in order of appearance): the orders passing rules
  // 1–11 and the one kept.
  private var orderNumbers: [CodePointKey: Int] = [:]
  private var ordersPassing: [[Int]] = []
  private var orderKept: [Int?] = []

  // Rule 13 and history, per product.
  private var stateEvents: [Int64: [Int]] = [:]
  private var keptOrders: [Int64: [Int]] = [:]
  private var history: [Int64: [Version]] = [:]
  private var sales: [Int64: [CivilDate: SalesRow]] = [:]

  public init() {}

  /// What one run did.
  public struct RunSummary: Sendable, Hashable {
    public var linesRead: Int
    public var productsRebuilt: Int
  }

  /// Appends delivered lines (each without its `\n`) to raw.
  public mutating func append(_ lines: some Sequence<[UInt8]>) {
    for line in lines { raw.append(line) }
  }

  /// Appends the lines of JSONL text (split at `\n`; a last line without one counts).
  public mutating func append(jsonl text: [UInt8]) {
    raw.append(jsonl: text)
  }

  /// Transforms what raw holds past the watermark into statuses, history and marts.
  @discardableResult
  public mutating func run() -> RunSummary {
    let fresh = watermark..<raw.count
    parsed.reserveCapacity(raw.count)
    statuses.reserveCapacity(raw.count)
    firstOfGroup.reserveCapacity(raw.count)
    raw.forEachLine(in: fresh) { _, line in parsed.append(EnvelopeReader.read(line)) }

    var dirtyGroups: [EventKey] = []
    var revisited: Set<EventKey> = []  // groups from earlier runs that got new lines
    for index in fresh {
      let event = parsed[index]
      guard !event.isMalformed else {
        statuses.append(.invalid(.malformedJSON))
        continue
      }
      guard let id = event.eventID else {
        statuses.append(.invalid(.invalidEventID))
        continue
      }
      statuses.append(.duplicate)  // decided by regroup
      let first = firstOfGroup.insertIfAbsent(id, index)
      if first == index {
        dirtyGroups.append(id)
      } else {
        if first < watermark, revisited.insert(id).inserted { dirtyGroups.append(id) }
        restOfGroup[id, default: []].append(index)
      }
    }
    var changes = Changes()
    for id in dirtyGroups { regroup(id, &changes) }
    for order in changes.orders { reelect(order, &changes) }
    for product in changes.products { rebuild(product) }
    watermark = raw.count
    return RunSummary(linesRead: fresh.count, productsRebuilt: changes.products.count)
  }

  /// What a run must revisit after rules 1–3.
  private struct Changes {
    var orders: [Int] = []
    var ordersSeen: Set<Int> = []
    var products: Set<Int64> = []

    mutating func touch(order: Int) {
      if ordersSeen.insert(order).inserted { orders.append(order) }
    }
  }

  // MARK: - Rules 1–3: groups of deliveries sharing an event_id

  private mutating func identity(_ line: Int) -> [UInt8] {
    if let known = identities[line] { return known }
    let computed = CanonicalEnvelope.identity(of: raw[line])  // only for repeated event_ids
    identities[line] = computed
    return computed
  }

  private mutating func regroup(_ id: EventKey, _ changes: inout Changes) {
    let first = firstOfGroup[id]!
    guard let rest = restOfGroup[id] else {
      // The common case: a single delivery, its own candidate.
      admit(first, &changes)
      return
    }
    // Lines only ever join a group, so its candidate stays its first line until a conflict.
    let identity = identity(first)
    let conflicting = rest.contains { self.identity($0) != identity }
    let wasCandidate = first < watermark && !conflicted.contains(id)
    for line in rest { statuses[line] = conflicting ? .invalid(.conflictingDuplicate) : .duplicate }
    if conflicting {
      statuses[first] = .invalid(.conflictingDuplicate)
      conflicted.insert(id)
      if wasCandidate { withdraw(first, &changes) }
    } else if !wasCandidate {
      admit(first, &changes)
    }
  }

  /// Rules 4–11 for a candidate; a passing one joins its order_id or product.
  private mutating func admit(_ line: Int, _ changes: inout Changes) {
    let event = parsed[line]
    if let reason = LineRules.firstFailure(event) {
      statuses[line] = .invalid(reason)
      return
    }
    statuses[line] = .accepted
    if event.eventType == .orderPlaced {
      let order = orderNumber(event.orderID!)
      ordersPassing[order].append(line)
      changes.touch(order: order)
    } else {
      stateEvents[event.productID!, default: []].append(line)
      changes.products.insert(event.productID!)
    }
  }

  private mutating func withdraw(_ line: Int, _ changes: inout Changes) {
    let event = parsed[line]
    guard LineRules.firstFailure(event) == nil else { return }
    if event.eventType == .orderPlaced {
      let order = orderNumber(event.orderID!)
      ordersPassing[order].removeAll { $0 == line }
      changes.touch(order: order)
    } else {
      stateEvents[event.productID!]?.removeAll { $0 == line }
      changes.products.insert(event.productID!)
    }
  }

  private mutating func orderNumber(_ orderID: String) -> Int {
    let key = CodePointKey(orderID)
    if let number = orderNumbers[key] { return number }
    orderNumbers[key] = ordersPassing.count
    ordersPassing.append([])
    orderKept.append(nil)
    return ordersPassing.count - 1
  }

  // MARK: - Rule 12: one order per order_id

  private mutating func reelect(_ order: Int, _ changes: inout Changes) {
    let contenders = ordersPassing[order]
    let winner = contenders.min { a, b in
      (parsed[a].time!, parsed[a].eventID!) < (parsed[b].time!, parsed[b].eventID!)
    }
    for line in contenders where line != winner { statuses[line] = .invalid(.duplicateOrder) }
    let previous = orderKept[order]
    guard previous != winner else { return }
    if let previous {
      let product = parsed[previous].productID!
      keptOrders[product]?.removeAll { $0 == previous }
      changes.products.insert(product)
    }
    orderKept[order] = winner
    if let winner {
      let product = parsed[winner].productID!
      keptOrders[product, default: []].append(winner)
      changes.products.insert(product)
    }
  }

  // MARK: - Rule 13, SCD2 history and sales, per product

  private mutating func rebuild(_ product: Int64) {
    let events = (stateEvents[product] ?? []).map { line in
      let event = parsed[line]
      var price: Cents?
      if case .valid(let value) = event.price { price = value }
      return StateEvent(
        line: line, time: event.time!, eventID: event.eventID!, type: event.eventType!,
        price: price, category: event.category)
    }
    let (versions, orphans) = SCD2Builder.build(events)
    for event in events { statuses[event.line] = .accepted }
    for line in orphans { statuses[line] = .invalid(.orphanEvent) }
    history[product] = versions.isEmpty ? nil : versions
    var daily: [CivilDate: SalesRow] = [:]
    for line in keptOrders[product] ?? [] {
      let order = parsed[line]
      guard let version = SCD2Builder.version(at: order.time!, in: versions),
        !version.attributes.isDeleted
      else {
        statuses[line] = .invalid(.orphanEvent)
        continue
      }
      statuses[line] = .accepted
      let date = order.time!.date
      var row =
        daily[date]
        ?? SalesRow(eventDate: date, productID: product, orders: 0, units: 0, revenue: .zero)
      row.orders += 1
      row.units += Int64(order.quantity!)
      row.revenue = row.revenue + Int64(order.quantity!) * version.attributes.price
      daily[date] = row
    }
    sales[product] = daily.isEmpty ? nil : daily
  }

  // MARK: - Export

  /// The five export files of what the last run produced.
  public func export() -> ExportFiles {
    let processed = statuses.prefix(watermark)
    let statusRows = processed.enumerated().map {
      StatusRow(line: $0.offset + 1, status: $0.element)
    }
    var historyRows: [HistoryRow] = []
    var volatility: [VolatilityRow] = []
    for product in history.keys.sorted() {
      let versions = history[product]!
      for (index, version) in versions.enumerated() {
        historyRows.append(
          HistoryRow(
            productID: product, version: index + 1, attributes: version.attributes,
            validFrom: version.validFrom,
            validTo: index + 1 < versions.count ? versions[index + 1].validFrom : nil,
            eventID: version.eventID.description))
      }
      if let row = Marts.volatility(product: product, versions: versions) { volatility.append(row) }
    }
    let salesRows = sales.values.flatMap(\.values).sorted {
      ($0.eventDate, $0.productID) < ($1.eventDate, $1.productID)
    }
    return ExportFiles(
      statuses: statusRows, history: historyRows,
      quality: Marts.quality(
        dates: parsed.prefix(watermark).map(\.eventDate), statuses: Array(processed)),
      volatility: volatility, sales: salesRows)
  }
}
