import ExportFormat

/// The extra lines the generator adds beside the world's events: one function per kind.
extension StreamGenerator {
  /// An earlier line again: byte for byte, or the same envelope written differently (keys
  /// reordered, payload re-encoded, event_id upper-cased, decimals with a trailing zero).
  mutating func replayLine() -> Draft? {
    let index = FaultKind.exactReplay.index
    guard !recent.isEmpty else { return nil }
    var copy = streams[index].pick(recent)
    copy.faults = []
    let id = copy.truth.eventID.map { "\($0)" } ?? "an invalid id"
    guard !copy.truth.isMalformed, copy.truth.eventID != nil, copy.lineRewrite == nil else {
      copy.log(.exactReplay, "replays \(id) byte for byte")
      return copy
    }
    var changes: [String] = []
    copy.keyRotation += 1 + Int(streams[index].below(5))
    changes.append("keys reordered")
    if case .object = copy.payload, streams[index].chance(0.5) {
      copy.doubleEncoded.toggle()
      changes.append(copy.doubleEncoded ? "payload double-encoded" : "payload decoded")
    }
    if streams[index].chance(0.3), let text = copy.eventIDText?.stringValue {
      copy.eventIDText = .string(text.uppercased())
      changes.append("event_id upper-cased")
    }
    if streams[index].chance(0.3), let payload = copy.payload {
      copy.payload = payload.appendingZeroToDecimals()
      changes.append("decimals written with a trailing zero")
    }
    copy.log(.exactReplay, "replays \(id): " + changes.joined(separator: ", "))
    return copy
  }

  /// An earlier event_id reused with a different envelope (time, payload or source).
  mutating func conflictingDuplicateLine() -> Draft? {
    let index = FaultKind.conflictingDuplicate.index
    // Positions, not copies: a draft is a dozen strings and arrays.
    let candidates = recent.indices.filter {
      recent[$0].truth.eventID != nil && !recent[$0].truth.isMalformed
        && recent[$0].lineRewrite == nil && !recent[$0].bytesDamaged
    }
    guard !candidates.isEmpty else { return nil }
    var copy = recent[streams[index].pick(candidates)]
    copy.faults = []
    copy.truth.contentID = nextContentID
    let id = "\(copy.truth.eventID!)"
    switch streams[index].below(3) {
    case 0 where copy.truth.time != nil && copy.timestampStyle != .epochMillis:
      let shifted = Instant(microseconds: copy.truth.time!.microseconds + 1_000_000)
      copy.truth.time = shifted
      copy.timestamp = copy.timestampStyle.render(shifted)
      copy.log(.conflictingDuplicate, "reuses \(id) with a timestamp 1 s later")
    case 1 where copy.payload.map({ if case .object = $0 { true } else { false } }) ?? false:
      copy.setPayload("note", .string("resent with changes"))
      copy.log(.conflictingDuplicate, "reuses \(id) with another payload")
    default:
      copy.source += "-retry"
      copy.log(.conflictingDuplicate, "reuses \(id) with another source")
    }
    return copy
  }

  /// An order already sent, resent under a new event_id.
  mutating func resentOrderLine() -> Draft? {
    let index = FaultKind.resentOrder.index
    guard !recentOrders.isEmpty else { return nil }
    let order = streams[index].pick(recentOrders)
    var draft = newDraft(
      kind: .resentOrder, time: world.now,
      action: .orderPlaced(
        orderID: order.orderID, productID: order.productID, quantity: order.quantity))
    draft.log(.resentOrder, "resends \(order.orderID)")
    return draft
  }

  /// A price update whose event_type is not one of the five names.
  mutating func unknownEventTypeLine() -> Draft? {
    let index = FaultKind.unknownEventType.index
    let products = world.products
    let id = products.isEmpty ? 1 : streams[index].pick(products).snapshot.id
    let price = world.product(id: id)?.snapshot.price ?? Cents(999)
    var draft = newDraft(
      kind: .unknownEventType, time: world.now,
      action: .priceUpdated(productID: id, old: price, new: price))
    let name = streams[index].pick([
      "product_viewed", "Price_Updated", "price-updated", "PRODUCT_CREATED", "cart_abandoned",
      "product_created ", "",
    ])
    draft.eventTypeText = .string(name)
    draft.truth.eventType = nil
    draft.log(.unknownEventType, "event_type \"\(name)\"")
    return draft
  }

  /// The original producer's deliberate error event.
  mutating func inventoryErrorLine() -> Draft? {
    let index = FaultKind.inventoryError.index
    let products = world.products
    let id = products.isEmpty ? 1 : streams[index].pick(products).snapshot.id
    var format = chooseFormat(time: world.now, type: .inventoryError)
    format.schemaV2 = false
    var draft = EventWriter.inventoryError(
      eventID: EventID.random(&streams[index]), time: world.now, productID: id, format: format,
      contentID: nextContentID)
    logFormat(format, into: &draft)
    draft.log(.inventoryError, "product \(id), price -50, category null")
    return draft
  }

  /// An update or order for a product that was never created: one of the 1,000 ids above
  /// the catalog. A catalog within 1,000 of the largest id (2^63-1) leaves no such id.
  mutating func neverCreatedProductLine() -> Draft? {
    let index = FaultKind.neverCreatedProduct.index
    guard let catalog = Int64(exactly: world.productCount), catalog <= Int64.max - 1_000 else {
      return nil
    }
    let id = catalog + 1 + Int64(streams[index].below(1000))
    return strayEvent(
      kind: .neverCreatedProduct, productID: id, prefix: "ord-n", why: "never created")
  }

  /// An update or order for a discontinued product.
  mutating func discontinuedProductLine() -> Draft? {
    let index = FaultKind.discontinuedProductEvent.index
    guard let id = drawProduct(active: false, with: index)?.snapshot.id else { return nil }
    return strayEvent(
      kind: .discontinuedProductEvent, productID: id, prefix: "ord-d", why: "discontinued")
  }

  /// A price update at the exact instant of the product's last state event.
  mutating func sameTimestampTieLine() -> Draft? {
    let index = FaultKind.sameTimestampTie.index
    guard let product = drawProduct(with: index) else { return nil }
    let current = product.snapshot.price
    let choice = streams[index].below(3)
    let price =
      switch choice {
      case 0: product.previousPrice
      case 1: current
      default: Cents(Swift.max(1, current.value + Int128(streams[index].int(in: -500...500))))
      }
    var draft = newDraft(
      kind: .sameTimestampTie, time: product.lastStateTime,
      action: .priceUpdated(productID: product.snapshot.id, old: current, new: price))
    let what = ["back to the previous price", "the same price", "a new price"][Int(choice)]
    draft.log(
      .sameTimestampTie,
      "product \(product.snapshot.id) at \(product.lastStateTime.exportText), \(what)")
    return draft
  }

  /// An order at exactly the instant of its product's last state event: priced by the
  /// version that starts then (versions hold [valid_from, valid_to)), or an orphan when
  /// that event was a discontinuation.
  mutating func orderAtStateInstantLine() -> Draft? {
    let index = FaultKind.orderAtStateInstant.index
    let tombstone = streams[index].chance(0.25)
    guard let product = drawProduct(active: !tombstone, with: index) else { return nil }
    edges.counter += 1
    let orderID = "ord-tie-\(edges.counter)"
    var draft = newDraft(
      kind: .orderAtStateInstant, time: product.lastStateTime,
      action: .orderPlaced(orderID: orderID, productID: product.snapshot.id, quantity: 1))
    draft.log(
      .orderAtStateInstant,
      "\(orderID) for product \(product.snapshot.id) at \(product.lastStateTime.exportText)"
        + (tombstone ? " (its discontinuation)" : ""))
    return draft
  }

  /// A recent order's id used again, for another product, a microsecond before it: the
  /// later-delivered order sorts first and takes the id, so the earlier-delivered one
  /// becomes a duplicate order and its product's sales change after the fact.
  mutating func orderIDMovedLine() -> Draft? {
    let index = FaultKind.orderIDMoved.index
    guard !recentOrders.isEmpty, world.activeCount > 1 else { return nil }
    let order = streams[index].pick(recentOrders)
    // the active products other than the order's, in creation order
    let skipped = world.activeIndex(of: order.productID)
    var choice = streams[index].index(below: world.activeCount - (skipped == nil ? 0 : 1))
    if let skipped, choice >= skipped { choice += 1 }
    let product = world.activeProduct(choice)
    let time = Instant(microseconds: order.time.microseconds - 1)
    var draft = newDraft(
      kind: .orderIDMoved, time: time,
      action: .orderPlaced(orderID: order.orderID, productID: product.snapshot.id, quantity: 1))
    draft.log(
      .orderIDMoved,
      "\(order.orderID) moves from product \(order.productID) to \(product.snapshot.id), 1 µs earlier"
    )
    return draft
  }

  /// A state event stamped with the exact instant of a recent line of its product (an order
  /// or another state event) and delivered after it: a price change, a discontinuation, or
  /// a creation (a category change, or a reactivation of a discontinued product). Split
  /// into two batches between the pair, the later run must judge the earlier line again
  /// from that instant on, not after it.
  mutating func stateAtEarlierInstantLine() -> Draft? {
    let index = FaultKind.stateAtEarlierInstant.index
    // The kind first: a reactivation needs a recent line of a product discontinued now,
    // which a line picked at random seldom is.
    var kind = streams[index].below(4)
    func usable(_ position: Int) -> Bool {
      let truth = recent[position].truth
      return !truth.isMalformed && truth.eventID != nil && truth.time != nil
        && truth.productID != nil && truth.eventType != nil
    }
    var candidates = recent.indices.filter {
      usable($0)
        && (kind != 3
          || recent[$0].truth.productID.flatMap { world.product(id: $0) }?.isActive == false)
    }
    if candidates.isEmpty, kind == 3 {
      kind = 2
      candidates = recent.indices.filter(usable)
    }
    guard !candidates.isEmpty else { return nil }
    let earlier = recent[streams[index].pick(candidates)].truth
    guard let time = earlier.time, let productID = earlier.productID,
      let earlierType = earlier.eventType,
      let product = world.product(id: productID)
    else { return nil }
    let action: WorldAction
    let what: String
    switch kind {
    case 0:
      let delta = Int64(streams[index].int(in: 1...500))
      action = .priceUpdated(
        productID: productID, old: product.snapshot.price,
        new: product.snapshot.price + Cents(delta))
      what = "a price change"
    case 1:
      action = .discontinued(productID: productID)
      what = "a discontinuation"
    default:
      var snapshot = product.snapshot
      let others = World.categories.filter { $0 != snapshot.category }
      if product.isActive, !others.isEmpty { snapshot.category = streams[index].pick(others) }
      action = .created(snapshot)
      what = product.isActive ? "a category change" : "a reactivation"
    }
    var draft = newDraft(kind: .stateAtEarlierInstant, time: time, action: action)
    draft.log(
      .stateAtEarlierInstant,
      "\(what) of product \(productID) at \(time.exportText), the instant of an earlier "
        + "\(earlierType.rawValue) (event \(earlier.eventID.map { "\($0)" } ?? "?"))")
    return draft
  }
}
