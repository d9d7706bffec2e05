import ExportFormat

/// The whole pipeline in memory: append delivered lines (raw), run, export.
///
/// Runs are incremental in the shape the PostgreSQL engine follows: a run reads only the
/// lines past the watermark and recomputes only what they touch — their `event_id` groups,
/// the `order_id`s and products concerned — so any split of the same lines into batches
/// gives the same result as one batch.
///
/// Each line is read once into a 48-byte `LineRecord`; only the raw bytes of lines whose
/// `event_id` repeats are read again (rule 3 compares envelopes).
public struct MemoryEngine: Sendable {
  /// Every delivered line, byte for byte, in delivery order (line n at index n - 1).
  package private(set) var raw = LineStore()
  /// Lines processed by the last run.
  public private(set) var watermark = 0

  private var records: [LineRecord] = []
  private var statuses: [LineStatus] = []
  private var categories = TextTable()
  private var orderIDs = TextTable()

  // Rules 1–3: the first line of each event_id, the later ones where there are any (keyed
  // by the first line), and the groups whose envelopes differ. Every other group's rules
  // 4–13 apply to its first line, its candidate.
  private var firstOfGroup = EventKeyTable()
  private var restOfGroup: [Int: [Int]] = [:]
  private var conflicted: Set<Int> = []

  // Rule 12, per order_id number: the orders passing rules 1–11 (almost always one, so the
  // first is kept apart from the rest) and the one kept (-1: none).
  private var firstContender: [Int] = []
  private var moreContenders: [Int: [Int]] = [:]
  private var orderKept: [Int] = []
  /// The run that last queued each order for re-election.
  private var orderTouched: [Int] = []
  private var runNumber = 0

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

  /// Appends the lines of JSONL text held elsewhere (a mapped file), read in place when
  /// raw is empty: the engine then holds the input's bytes only while it reads them.
  package mutating func append(jsonl text: some ExternalBytes) {
    raw.append(jsonl: text)
  }

  /// Transforms what raw holds past the watermark into statuses, history and marts.
  @discardableResult
  public mutating func run() -> RunSummary {
    let fresh = watermark..<raw.count
    runNumber += 1
    read(fresh)

    var dirtyGroups: [Int] = []  // each by its first line
    var revisited: Set<Int> = []  // groups from earlier runs that got new lines
    firstOfGroup.reserveCapacity(raw.count) { records[$0].eventID }
    for line in fresh {
      let record = records[line]
      guard !record.isMalformed else {
        statuses.append(.invalid(.malformedJSON))
        continue
      }
      guard record.hasEventID else {
        statuses.append(.invalid(.invalidEventID))
        continue
      }
      statuses.append(.duplicate)  // decided by regroup
      let first = firstOfGroup.insertIfAbsent(record.eventID, line: line) { records[$0].eventID }
      if first == line {
        dirtyGroups.append(line)
      } else {
        if first < watermark, revisited.insert(first).inserted { dirtyGroups.append(first) }
        restOfGroup[first, default: []].append(line)
      }
    }
    var changes = Changes()
    for first in dirtyGroups { regroup(first, &changes) }
    for order in changes.orders { reelect(order, &changes) }
    for product in changes.products { rebuild(product) }
    watermark = raw.count
    return RunSummary(linesRead: fresh.count, productsRebuilt: changes.products.count)
  }

  /// Reads each new line once into its record; categories and order_ids get their numbers.
  private mutating func read(_ fresh: Range<Int>) {
    // Grown geometrically: reserving exactly `raw.count` every run would copy both arrays
    // whole on each of many small runs.
    if records.capacity < raw.count {
      records.reserveCapacity(Swift.max(raw.count, 2 * records.capacity))
      statuses.reserveCapacity(Swift.max(raw.count, 2 * statuses.capacity))
    }
    raw.forEachLine(in: fresh) { _, line in
      let event = EnvelopeReader.read(line)
      var text: Int32 = -1
      switch event.eventType {
      case .productCreated?: if let category = event.category { text = categories.number(category) }
      case .orderPlaced?: if let orderID = event.orderID { text = orderIDs.number(orderID) }
      default: break
      }
      records.append(LineRecord(event, text: text))
    }
    let orders = orderIDs.texts.count
    if firstContender.count < orders {
      let added = orders - firstContender.count
      firstContender += repeatElement(-1, count: added)
      orderKept += repeatElement(-1, count: added)
      orderTouched += repeatElement(0, count: added)
    }
  }

  /// What a run must revisit after rules 1–3.
  private struct Changes {
    var orders: [Int] = []
    var products: Set<Int64> = []
  }

  private mutating func touch(order: Int, _ changes: inout Changes) {
    guard orderTouched[order] != runNumber else { return }
    orderTouched[order] = runNumber
    changes.orders.append(order)
  }

  // MARK: - Rules 1–3: groups of deliveries sharing an event_id

  private func identity(_ line: Int) -> [UInt8] {
    CanonicalEnvelope.identity(of: raw[line])  // only for repeated event_ids
  }

  private mutating func regroup(_ first: Int, _ changes: inout Changes) {
    guard let rest = restOfGroup[first] else {
      // The common case: a single delivery, its own candidate.
      admit(first, &changes)
      return
    }
    // Lines only ever join a group, so its candidate stays its first line until a conflict.
    let identity = identity(first)
    let conflicting = rest.contains { self.identity($0) != identity }
    let wasCandidate = first < watermark && !conflicted.contains(first)
    for line in rest { statuses[line] = conflicting ? .invalid(.conflictingDuplicate) : .duplicate }
    if conflicting {
      statuses[first] = .invalid(.conflictingDuplicate)
      conflicted.insert(first)
      if wasCandidate { withdraw(first, &changes) }
    } else if !wasCandidate {
      admit(first, &changes)
    }
  }

  /// Rules 4–11 for a candidate; a passing one joins its order_id or product.
  private mutating func admit(_ line: Int, _ changes: inout Changes) {
    let record = records[line]
    if let reason = record.contentFailure {
      statuses[line] = .invalid(reason)
      return
    }
    statuses[line] = .accepted
    // Passing rules 7 and 8 means a product id, and for an order an order_id number.
    guard let product = record.productID else { return }
    if record.eventType == .orderPlaced {
      guard record.text >= 0 else { return }
      let order = Int(record.text)
      if firstContender[order] < 0 {
        firstContender[order] = line
      } else {
        moreContenders[order, default: []].append(line)
      }
      touch(order: order, &changes)
    } else {
      stateEvents[product, default: []].append(line)
      changes.products.insert(product)
    }
  }

  private mutating func withdraw(_ line: Int, _ changes: inout Changes) {
    let record = records[line]
    guard record.contentFailure == nil, let product = record.productID else { return }
    if record.eventType == .orderPlaced {
      guard record.text >= 0 else { return }
      let order = Int(record.text)
      if firstContender[order] == line {
        let rest = moreContenders.removeValue(forKey: order) ?? []
        firstContender[order] = rest.first ?? -1
        if rest.count > 1 { moreContenders[order] = Array(rest.dropFirst()) }
      } else {
        moreContenders[order]?.removeAll { $0 == line }
      }
      touch(order: order, &changes)
    } else {
      stateEvents[product]?.removeAll { $0 == line }
      changes.products.insert(product)
    }
  }

  // MARK: - Rule 12: one order per order_id

  private mutating func reelect(_ order: Int, _ changes: inout Changes) {
    var winner = firstContender[order] >= 0 ? firstContender[order] : nil
    if let more = moreContenders[order] {
      for line in more {
        if let best = winner, records[best].sortKey <= records[line].sortKey {
          statuses[line] = .invalid(.duplicateOrder)
        } else {
          if let best = winner { statuses[best] = .invalid(.duplicateOrder) }
          winner = line
        }
      }
    }
    let previous = orderKept[order] >= 0 ? orderKept[order] : nil
    guard previous != winner else { return }
    if let previous, let product = records[previous].productID {
      keptOrders[product]?.removeAll { $0 == previous }
      changes.products.insert(product)
    }
    orderKept[order] = winner ?? -1
    if let winner, let product = records[winner].productID {
      keptOrders[product, default: []].append(winner)
      changes.products.insert(product)
    }
  }

  // MARK: - Rule 13, SCD2 history and sales, per product

  private mutating func rebuild(_ product: Int64) {
    var events: [StateEvent] = []
    events.reserveCapacity(stateEvents[product]?.count ?? 0)
    for line in stateEvents[product] ?? [] {
      let record = records[line]
      guard let time = record.time, let type = record.eventType else { continue }
      events.append(
        StateEvent(
          line: line, time: time, eventID: record.eventID, type: type,
          price: type == .productDiscontinued ? nil : record.price,
          category: record.text >= 0 ? categories[record.text] : nil))
    }
    let (versions, orphans) = SCD2Builder.build(events)
    for event in events { statuses[event.line] = .accepted }
    for line in orphans { statuses[line] = .invalid(.orphanEvent) }
    history[product] = versions.isEmpty ? nil : versions
    // Orders arrive mostly in time order, so a product's orders of one day are summed in a
    // running row and stored when the day changes: one dictionary lookup per run of days,
    // not two per order.
    var daily: [CivilDate: SalesRow] = [:]
    var running: SalesRow?
    func store(_ row: SalesRow?) {
      guard let row else { return }
      guard var stored = daily[row.eventDate] else {
        daily[row.eventDate] = row
        return
      }
      stored.orders += row.orders
      stored.units += row.units
      stored.revenue = stored.revenue + row.revenue
      daily[row.eventDate] = stored
    }
    var runningDay: Int64 = 0
    for line in keptOrders[product] ?? [] {
      let order = records[line]
      guard let time = order.time, let version = SCD2Builder.version(at: time, in: versions),
        !version.attributes.isDeleted
      else {
        statuses[line] = .invalid(.orphanEvent)
        continue
      }
      statuses[line] = .accepted
      let day = (time.microseconds - time.microsecondOfDay) / Instant.microsecondsPerDay
      var row: SalesRow
      if let current = running, day == runningDay {
        row = current
      } else {
        store(running)
        runningDay = day
        row = SalesRow(
          eventDate: time.date, productID: product, orders: 0, units: 0, revenue: .zero)
      }
      row.orders += 1
      row.units += order.quantity
      row.revenue = row.revenue + order.quantity * version.attributes.price
      running = row
    }
    store(running)
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
      guard let versions = history[product] else { continue }
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
        dates: records.prefix(watermark).lazy.map(\.eventDate), statuses: processed),
      volatility: volatility, sales: salesRows)
  }
}
