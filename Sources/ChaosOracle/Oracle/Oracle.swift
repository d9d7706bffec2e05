import ExportFormat

/// Predicts exactly what a perfect pipeline outputs for a list of deliveries, from what the
/// generator knows each line means. It never parses the emitted bytes.
///
/// It works on any sub-list of what the generator emitted (the shrinker removes lines and
/// asks again): every rule is recomputed from the lines given.
public enum Oracle {
  /// The five export files for `lines`, in delivery order (line 1 first).
  public static func predict(_ lines: [LineTruth]) -> ExportFiles {
    var classifier = Classification(lines: lines)
    classifier.run()
    let statuses = classifier.statuses.map { $0 ?? .accepted }
    return ExportFiles(
      statuses: statuses.enumerated().map { StatusRow(line: $0.offset + 1, status: $0.element) },
      history: classifier.history,
      quality: qualityRows(lines: lines, statuses: statuses),
      volatility: volatilityRows(history: classifier.history),
      sales: classifier.sales)
  }

  static func qualityRows(lines: [LineTruth], statuses: [LineStatus]) -> [QualityRow] {
    var rows: [CivilDate: QualityRow] = [:]
    var unknown = QualityRow(eventDate: nil)
    for (line, status) in zip(lines, statuses) {
      if let date = line.eventDate {
        rows[date, default: QualityRow(eventDate: date)].count(status)
      } else {
        unknown.count(status)
      }
    }
    var result = rows.keys.sorted().map { rows[$0]! }
    if unknown.delivered > 0 { result.append(unknown) }
    return result
  }

  static func volatilityRows(history: [HistoryRow]) -> [VolatilityRow] {
    var result: [VolatilityRow] = []
    var start = 0
    while start < history.count {
      var end = start
      while end < history.count, history[end].productID == history[start].productID { end += 1 }
      let versions = history[start..<end]
      var changes = 0
      var lastChange: Instant?
      for index in versions.indices.dropFirst()
      where versions[index].attributes.price != versions[index - 1].attributes.price {
        changes += 1
        lastChange = versions[index].validFrom
      }
      if let lastChange {
        let prices = versions.map(\.attributes.price)
        result.append(
          VolatilityRow(
            productID: history[start].productID, priceVersions: 1 + changes,
            minPrice: prices.min()!, maxPrice: prices.max()!, lastChangeAt: lastChange))
      }
      start = end
    }
    return result
  }
}

/// The classification rules, applied in the SPEC's order over all lines at once.
private struct Classification {
  let lines: [LineTruth]
  /// `nil` until a rule decides; `nil` at the end means accepted.
  var statuses: [LineStatus?]
  var history: [HistoryRow] = []
  var sales: [SalesRow] = []

  init(lines: [LineTruth]) {
    self.lines = lines
    statuses = Array(repeating: nil, count: lines.count)
  }

  mutating func run() {
    let candidates = groupByEventID()
    var passing: [Int] = []
    for index in candidates {
      if let reason = Self.firstFailingRule(lines[index]) {
        statuses[index] = .invalid(reason)
      } else {
        passing.append(index)
      }
    }
    let orders = passing.filter { lines[$0].eventType == .orderPlaced }
    let firstOrders = markDuplicateOrders(orders)
    let stateEvents = passing.filter { lines[$0].eventType!.isStateEvent }
    buildHistory(stateEvents)
    placeOrders(firstOrders)
  }

  /// Rules 1–3: returns the lines that go on to rules 4–13 (the first of each group of
  /// identical deliveries), marking malformed, bad ids, conflicts and duplicates.
  private mutating func groupByEventID() -> [Int] {
    var groups: [EventID: [Int]] = [:]
    var order: [EventID] = []
    for (index, line) in lines.enumerated() {
      if line.isMalformed {
        statuses[index] = .invalid(.malformedJSON)
      } else if let id = line.eventID {
        if groups[id] == nil { order.append(id) }
        groups[id, default: []].append(index)
      } else {
        statuses[index] = .invalid(.invalidEventID)
      }
    }
    var candidates: [Int] = []
    for id in order {
      let members = groups[id]!
      let content = lines[members[0]].contentID
      if members.contains(where: { lines[$0].contentID != content }) {
        for index in members { statuses[index] = .invalid(.conflictingDuplicate) }
      } else {
        candidates.append(members[0])
        for index in members.dropFirst() { statuses[index] = .duplicate }
      }
    }
    return candidates.sorted()
  }

  /// Rules 4–11 for one line.
  static func firstFailingRule(_ line: LineTruth) -> ReasonCode? {
    guard let type = line.eventType else { return .unknownEventType }
    guard line.time != nil else { return .badTimestamp }
    if type == .inventoryError { return .inventoryError }
    guard line.productID != nil else { return .missingProductID }
    if type == .orderPlaced, line.orderID == nil { return .missingOrderID }
    if type == .productCreated || type == .priceUpdated {
      switch line.price {
      case .unparseable, .notApplicable: return .unparseablePrice
      case .valid(let price) where price.value < 0: return .negativePrice
      case .valid: break
      }
    }
    if type == .productCreated, line.category == nil { return .nullCategory }
    if type == .orderPlaced, line.quantity == nil { return .invalidQuantity }
    return nil
  }

  /// Event-time order with the `event_id` tie-break.
  private func eventOrder(_ a: Int, _ b: Int) -> Bool {
    (lines[a].time!, lines[a].eventID!) < (lines[b].time!, lines[b].eventID!)
  }

  /// Rule 12: of the orders sharing an `order_id`, all but the earliest are duplicates.
  private mutating func markDuplicateOrders(_ orders: [Int]) -> [Int] {
    var byOrderID: [CodePointKey: [Int]] = [:]
    for index in orders {
      byOrderID[CodePointKey(lines[index].orderID!), default: []].append(index)
    }
    var kept: [Int] = []
    for index in orders {
      let group = byOrderID[CodePointKey(lines[index].orderID!)]!
      let earliest = group.min(by: eventOrder)!
      if earliest == index {
        kept.append(index)
      } else {
        statuses[index] = .invalid(.duplicateOrder)
      }
    }
    return kept
  }

  /// Rule 13 for state events, and the SCD2 history they build.
  private mutating func buildHistory(_ events: [Int]) {
    var byProduct: [Int64: [Int]] = [:]
    for index in events { byProduct[lines[index].productID!, default: []].append(index) }
    for productID in byProduct.keys.sorted() {
      var versions: [(attributes: ProductAttributes, from: Instant, eventID: EventID)] = []
      var active = false
      for index in byProduct[productID]!.sorted(by: eventOrder) {
        let line = lines[index]
        let current = versions.last?.attributes
        let next: ProductAttributes
        switch line.eventType! {
        case .productCreated:
          guard case .valid(let price) = line.price else { continue }
          next = ProductAttributes(price: price, category: line.category!, isDeleted: false)
          active = true
        case .priceUpdated:
          guard active, let current, case .valid(let price) = line.price else {
            statuses[index] = .invalid(.orphanEvent)
            continue
          }
          next = ProductAttributes(price: price, category: current.category, isDeleted: false)
        case .productDiscontinued:
          guard active, let current else {
            statuses[index] = .invalid(.orphanEvent)
            continue
          }
          next = ProductAttributes(
            price: current.price, category: current.category, isDeleted: true)
          active = false
        default: continue
        }
        if next == current { continue }
        if let last = versions.last, last.from == line.time! {
          versions[versions.count - 1] = (next, last.from, line.eventID!)
          if versions.count >= 2, versions[versions.count - 2].attributes == next {
            versions.removeLast()
          }
        } else {
          versions.append((next, line.time!, line.eventID!))
        }
      }
      for (offset, version) in versions.enumerated() {
        history.append(
          HistoryRow(
            productID: productID, version: offset + 1, attributes: version.attributes,
            validFrom: version.from,
            validTo: offset + 1 < versions.count ? versions[offset + 1].from : nil,
            eventID: version.eventID.description))
      }
    }
  }

  /// Rule 13 for orders (an order needs an active version at its time) and the sales mart.
  private mutating func placeOrders(_ orders: [Int]) {
    var versionsByProduct: [Int64: ArraySlice<HistoryRow>] = [:]
    var start = 0
    while start < history.count {
      var end = start
      while end < history.count, history[end].productID == history[start].productID { end += 1 }
      versionsByProduct[history[start].productID] = history[start..<end]
      start = end
    }
    struct SalesKey: Hashable, Comparable {
      var date: CivilDate
      var productID: Int64
      static func < (a: SalesKey, b: SalesKey) -> Bool {
        (a.date, a.productID) < (b.date, b.productID)
      }
    }
    var totals: [SalesKey: SalesRow] = [:]
    for index in orders {
      let line = lines[index]
      let time = line.time!
      guard let versions = versionsByProduct[line.productID!],
        let version = versions.version(at: time), !version.attributes.isDeleted
      else {
        statuses[index] = .invalid(.orphanEvent)
        continue
      }
      let key = SalesKey(date: time.date, productID: line.productID!)
      var row =
        totals[key]
        ?? SalesRow(
          eventDate: key.date, productID: key.productID, orders: 0, units: 0, revenue: .zero)
      row.orders += 1
      row.units += Int64(line.quantity!)
      row.revenue = row.revenue + Int64(line.quantity!) * version.attributes.price
      totals[key] = row
    }
    sales = totals.keys.sorted().map { totals[$0]! }
  }
}

extension ArraySlice where Element == HistoryRow {
  /// The version of one product's history (sorted by `validFrom`) whose
  /// `[validFrom, validTo)` holds `time`, if any (binary search).
  func version(at time: Instant) -> HistoryRow? {
    var low = startIndex
    var high = endIndex
    while low < high {
      let middle = (low + high) / 2
      if self[middle].validFrom <= time { low = middle + 1 } else { high = middle }
    }
    guard low > startIndex else { return nil }
    let candidate = self[low - 1]
    return candidate.validTo.map { time < $0 } ?? true ? candidate : nil
  }
}
