import ExportFormat

/// The whole pipeline in memory: append delivered lines (raw), run, export.
///
/// Runs are incremental in the shape the PostgreSQL engine follows: a run reads only the
/// lines past the watermark and recomputes only what they touch — their `event_id` groups,
/// the `order_id`s and products concerned — so any split of the same lines into batches
/// gives the same result as one batch.
public struct MemoryEngine: Sendable {
  /// Every delivered line, byte for byte, in delivery order (line n at index n - 1).
  public private(set) var raw: [[UInt8]] = []
  /// Lines processed by the last run.
  public private(set) var watermark = 0

  private var parsed: [ParsedEvent] = []
  private var statuses: [LineStatus] = []
  private var groups: [EventKey: [Int]] = [:]
  private var identities: [Int: [UInt8]] = [:]
  /// The line each group's rules 4–13 apply to (absent for conflicting groups).
  private var candidates: [EventKey: Int] = [:]
  /// Orders passing rules 1–11, by `order_id`.
  private var ordersByOrderID: [String: Set<Int>] = [:]
  /// The order kept for each `order_id` (rule 12).
  private var keptOrders: [String: Int] = [:]
  private var keptOrdersByProduct: [Int64: Set<Int>] = [:]
  /// State events passing rules 1–11, by product.
  private var stateEventsByProduct: [Int64: Set<Int>] = [:]
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
    raw.append(contentsOf: lines)
  }

  /// Transforms what raw holds past the watermark into statuses, history and marts.
  @discardableResult
  public mutating func run() -> RunSummary {
    let fresh = watermark..<raw.count
    var dirtyGroups: Set<EventKey> = []
    parsed.reserveCapacity(raw.count)
    statuses.reserveCapacity(raw.count)
    for index in fresh {
      let event = raw[index].withUnsafeBufferPointer { EnvelopeReader.read($0) }
      parsed.append(event)
      if event.isMalformed {
        statuses.append(.invalid(.malformedJSON))
      } else if let id = event.eventID {
        statuses.append(.duplicate)  // decided below
        groups[id, default: []].append(index)
        dirtyGroups.insert(id)
      } else {
        statuses.append(.invalid(.invalidEventID))
      }
    }
    var dirtyOrders: Set<String> = []
    var dirtyProducts: Set<Int64> = []
    for id in dirtyGroups {
      regroup(id, dirtyOrders: &dirtyOrders, dirtyProducts: &dirtyProducts)
    }
    for orderID in dirtyOrders { reelect(orderID, dirtyProducts: &dirtyProducts) }
    for product in dirtyProducts { rebuild(product) }
    watermark = raw.count
    return RunSummary(linesRead: fresh.count, productsRebuilt: dirtyProducts.count)
  }

  // MARK: - Rules 1–3: groups of deliveries sharing an event_id

  private mutating func identity(_ line: Int) -> [UInt8] {
    if let known = identities[line] { return known }
    let computed = CanonicalEnvelope.identity(of: raw[line])
    identities[line] = computed
    return computed
  }

  private mutating func regroup(
    _ id: EventKey, dirtyOrders: inout Set<String>, dirtyProducts: inout Set<Int64>
  ) {
    let members = groups[id]!
    var conflicting = false
    if members.count > 1 {
      let first = identity(members[0])
      conflicting = members.dropFirst().contains { identity($0) != first }
    }
    // Lines only ever join a group, so its candidate is its first line until a conflict.
    let newCandidate = conflicting ? nil : members[0]
    let oldCandidate = candidates[id]
    for line in members where line != newCandidate {
      statuses[line] = conflicting ? .invalid(.conflictingDuplicate) : .duplicate
    }
    guard oldCandidate != newCandidate else { return }
    if let oldCandidate {
      withdraw(oldCandidate, dirtyOrders: &dirtyOrders, dirtyProducts: &dirtyProducts)
    }
    candidates[id] = newCandidate
    if let newCandidate {
      admit(newCandidate, dirtyOrders: &dirtyOrders, dirtyProducts: &dirtyProducts)
    }
  }

  private mutating func admit(
    _ line: Int, dirtyOrders: inout Set<String>, dirtyProducts: inout Set<Int64>
  ) {
    let event = parsed[line]
    if let reason = LineRules.firstFailure(event) {
      statuses[line] = .invalid(reason)
      return
    }
    statuses[line] = .accepted
    if event.eventType == .orderPlaced {
      ordersByOrderID[event.orderID!, default: []].insert(line)
      dirtyOrders.insert(event.orderID!)
    } else {
      stateEventsByProduct[event.productID!, default: []].insert(line)
      dirtyProducts.insert(event.productID!)
    }
  }

  private mutating func withdraw(
    _ line: Int, dirtyOrders: inout Set<String>, dirtyProducts: inout Set<Int64>
  ) {
    let event = parsed[line]
    guard LineRules.firstFailure(event) == nil else { return }
    if event.eventType == .orderPlaced {
      ordersByOrderID[event.orderID!]?.remove(line)
      dirtyOrders.insert(event.orderID!)
    } else {
      stateEventsByProduct[event.productID!]?.remove(line)
      dirtyProducts.insert(event.productID!)
    }
  }

  // MARK: - Rule 12: one order per order_id

  private mutating func reelect(_ orderID: String, dirtyProducts: inout Set<Int64>) {
    let contenders = ordersByOrderID[orderID] ?? []
    let winner = contenders.min { first, second in
      (parsed[first].time!, parsed[first].eventID!) < (
        parsed[second].time!, parsed[second].eventID!
      )
    }
    for line in contenders where line != winner { statuses[line] = .invalid(.duplicateOrder) }
    let previous = keptOrders[orderID]
    guard previous != winner else { return }
    if let previous {
      let product = parsed[previous].productID!
      keptOrdersByProduct[product]?.remove(previous)
      dirtyProducts.insert(product)
    }
    keptOrders[orderID] = winner
    if let winner {
      let product = parsed[winner].productID!
      keptOrdersByProduct[product, default: []].insert(winner)
      dirtyProducts.insert(product)
    }
  }

  // MARK: - Rule 13, SCD2 history and sales, per product

  private mutating func rebuild(_ product: Int64) {
    let events = (stateEventsByProduct[product] ?? []).map { line in
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
    for line in keptOrdersByProduct[product] ?? [] {
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
      row.revenue = row.revenue + Cents(Int64(order.quantity!) * version.attributes.price.value)
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
