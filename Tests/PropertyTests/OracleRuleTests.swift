import ChaosOracle
import ExportFormat
import Testing

// Hand-built lines whose expected outcome is derived from the SPEC by hand, not by running
// the code.

private func id(_ n: UInt64) -> EventID { EventID(high: 0x4000, low: 0x8000_0000_0000_0000 + n) }

private func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Instant {
  Instant(year: 2026, month: 1, day: day, hour: hour, minute: minute)!
}

private func line(
  _ n: UInt64, _ type: EventType, _ time: Instant?, product: Int64? = 1, price: Int64? = nil,
  category: String? = "books", order: String? = nil, quantity: Int32? = 1, content: UInt64? = nil
) -> LineTruth {
  var truth = LineTruth()
  truth.eventID = id(n)
  truth.contentID = content ?? n
  truth.eventType = type
  truth.time = time
  truth.productID = product
  if type == .productCreated || type == .priceUpdated {
    truth.price = price.map { .valid(Cents($0)) } ?? .unparseable
  }
  truth.category = type == .productCreated ? category : nil
  if type == .orderPlaced {
    truth.orderID = order
    truth.quantity = quantity
  }
  return truth
}

private func statuses(_ lines: [LineTruth]) -> [LineStatus] {
  Oracle.predict(lines).statuses.map(\.status)
}

private func versions(_ lines: [LineTruth]) -> [String] {
  Oracle.predict(lines).history.map {
    "\($0.productID) v\($0.version) \($0.attributes.price.exportText) \($0.attributes.category)"
      + ($0.attributes.isDeleted ? " deleted" : "")
      + " [\($0.validFrom.exportText), \($0.validTo?.exportText ?? "-")) \($0.eventID.suffix(2))"
  }
}

@Suite("Oracle: SCD2 rules, worked by hand")
struct OracleHistoryRuleTests {
  @Test("a same-time event replaces the version before it, then merges with the one before")
  func sameTimeReplaceThenMerge() {
    let lines = [
      line(1, .productCreated, at(1, 9), price: 1000),
      line(2, .priceUpdated, at(2, 9), price: 1200),
      line(3, .priceUpdated, at(2, 9), price: 1000),
    ]
    #expect(statuses(lines) == [.accepted, .accepted, .accepted])
    #expect(versions(lines) == ["1 v1 10.00 books [2026-01-01T09:00:00.000000Z, -) 01"])
  }

  @Test("ties are broken by event_id, whatever the delivery order")
  func tieBreakByEventID() {
    let lines = [
      line(3, .priceUpdated, at(2, 9), price: 1200),
      line(2, .priceUpdated, at(2, 9), price: 1000),
      line(1, .productCreated, at(1, 9), price: 1000),
    ]
    // id 2 (10.00) applies first and changes nothing; id 3 then makes version 2.
    #expect(
      versions(lines) == [
        "1 v1 10.00 books [2026-01-01T09:00:00.000000Z, 2026-01-02T09:00:00.000000Z) 01",
        "1 v2 12.00 books [2026-01-02T09:00:00.000000Z, -) 03",
      ])
  }

  @Test("an event that changes nothing makes no version but is accepted")
  func noChangeEvent() {
    let lines = [
      line(1, .productCreated, at(1, 9), price: 1000),
      line(2, .priceUpdated, at(3, 9), price: 1000),
    ]
    #expect(statuses(lines) == [.accepted, .accepted])
    #expect(versions(lines).count == 1)
  }

  @Test("discontinue makes a tombstone; updates meet no active version; a create reactivates")
  func tombstoneAndReactivation() {
    let lines = [
      line(1, .productCreated, at(1, 9), price: 1000),
      line(2, .productDiscontinued, at(2, 9)),
      line(3, .priceUpdated, at(3, 9), price: 1100),
      line(4, .productDiscontinued, at(3, 10)),
      line(5, .productCreated, at(4, 9), price: 1500, category: "toys"),
      line(6, .orderPlaced, at(1, 12), order: "o-1", quantity: 2),
      line(7, .orderPlaced, at(2, 12), order: "o-2"),
      line(8, .orderPlaced, at(4, 9), order: "o-3", quantity: 3),
      line(9, .orderPlaced, at(1, 8), order: "o-4"),
    ]
    #expect(
      statuses(lines) == [
        .accepted, .accepted, .invalid(.orphanEvent), .invalid(.orphanEvent), .accepted,
        .accepted, .invalid(.orphanEvent), .accepted, .invalid(.orphanEvent),
      ])
    #expect(
      versions(lines) == [
        "1 v1 10.00 books [2026-01-01T09:00:00.000000Z, 2026-01-02T09:00:00.000000Z) 01",
        "1 v2 10.00 books deleted [2026-01-02T09:00:00.000000Z, 2026-01-04T09:00:00.000000Z) 02",
        "1 v3 15.00 toys [2026-01-04T09:00:00.000000Z, -) 05",
      ])
    let sales = Oracle.predict(lines).sales.map {
      "\($0.eventDate.isoText) \($0.productID) \($0.orders) \($0.units) \($0.revenue.exportText)"
    }
    // The order at the instant of the reactivation pays the new price.
    #expect(sales == ["2026-01-01 1 1 2 20.00", "2026-01-04 1 1 3 45.00"])
  }

  @Test("a discontinue and a create at the same instant merge back into one version")
  func discontinueThenRecreateAtSameInstant() {
    let lines = [
      line(1, .productCreated, at(1, 9), price: 1000),
      line(2, .productDiscontinued, at(2, 9)),
      line(3, .productCreated, at(2, 9), price: 1000),
    ]
    #expect(statuses(lines) == [.accepted, .accepted, .accepted])
    #expect(versions(lines) == ["1 v1 10.00 books [2026-01-01T09:00:00.000000Z, -) 01"])
  }

  @Test("an invalid creation turns the product's later events into orphans")
  func invalidCreationOrphans() {
    let lines = [
      line(1, .productCreated, at(1, 9), price: -500),
      line(2, .priceUpdated, at(2, 9), price: 1100),
      line(3, .orderPlaced, at(2, 10), order: "o-1"),
    ]
    #expect(
      statuses(lines) == [.invalid(.negativePrice), .invalid(.orphanEvent), .invalid(.orphanEvent)])
    #expect(versions(lines).isEmpty)
  }

  @Test("a price change keeps the category; a create changes both")
  func attributeCarryOver() {
    let lines = [
      line(1, .productCreated, at(1, 9), price: 1000, category: "books"),
      line(2, .priceUpdated, at(2, 9), price: 900),
      line(3, .productCreated, at(3, 9), price: 900, category: "toys"),
    ]
    let attributes = Oracle.predict(lines).history.map {
      "\($0.attributes.price.exportText) \($0.attributes.category)"
    }
    #expect(attributes == ["10.00 books", "9.00 books", "9.00 toys"])
  }
}

@Suite("Oracle: classification rules, worked by hand")
struct OracleClassificationRuleTests {
  @Test("a conflicting duplicate that arrives after its twin was accepted invalidates both")
  func conflictAfterAcceptance() {
    let lines = [
      line(1, .productCreated, at(1, 9), price: 1000),
      line(2, .priceUpdated, at(2, 9), price: 1200),
      line(1, .productCreated, at(1, 9), price: 1000, content: 99),
    ]
    #expect(
      statuses(lines) == [
        .invalid(.conflictingDuplicate), .invalid(.orphanEvent), .invalid(.conflictingDuplicate),
      ])
  }

  @Test("the first of identical deliveries is classified, later ones are duplicates")
  func exactDuplicates() {
    let lines = [
      line(1, .productCreated, at(1, 9), price: -1),
      line(1, .productCreated, at(1, 9), price: -1),
      line(1, .productCreated, at(1, 9), price: -1),
    ]
    #expect(statuses(lines) == [.invalid(.negativePrice), .duplicate, .duplicate])
  }

  @Test("of orders sharing an order_id, the earliest by time then event_id is kept")
  func duplicateOrders() {
    let lines = [
      line(1, .productCreated, at(1, 9), price: 1000),
      line(5, .orderPlaced, at(3, 9), order: "o-1"),
      line(4, .orderPlaced, at(2, 9), order: "o-1"),
      line(3, .orderPlaced, at(2, 9), order: "o-1"),
      line(2, .orderPlaced, at(1, 10), order: "o-1", quantity: nil),
    ]
    #expect(
      statuses(lines) == [
        .accepted, .invalid(.duplicateOrder), .invalid(.duplicateOrder), .accepted,
        .invalid(.invalidQuantity),
      ])
  }

  @Test("rules apply in the SPEC's order")
  func ruleOrder() {
    var unknownAndUntimed = line(1, .priceUpdated, nil, price: 100)
    unknownAndUntimed.eventType = nil
    var inventory = line(2, .inventoryError, at(1, 9), product: nil)
    inventory.price = .valid(Cents(-5000))
    var noID = line(3, .productCreated, nil, product: nil, price: nil, category: nil)
    noID.eventID = nil
    let lines = [
      unknownAndUntimed, inventory, noID,
      line(4, .productCreated, nil, product: nil),
      line(5, .orderPlaced, at(1, 9), product: nil, order: nil),
      line(6, .orderPlaced, at(1, 9), order: nil, quantity: nil),
      line(7, .productCreated, at(1, 9), price: nil, category: nil),
      line(8, .productCreated, at(1, 9), price: 0, category: nil),
      LineTruth.malformed,
    ]
    #expect(
      statuses(lines) == [
        .invalid(.unknownEventType), .invalid(.inventoryError), .invalid(.invalidEventID),
        .invalid(.badTimestamp), .invalid(.missingProductID), .invalid(.missingOrderID),
        .invalid(.unparseablePrice), .invalid(.nullCategory), .invalid(.malformedJSON),
      ])
  }
}

@Suite("Oracle: marts, worked by hand")
struct OracleMartTests {
  @Test("the daily quality mart counts per event date, unknown dates last, exact error rate")
  func qualityMart() {
    let lines = [
      line(1, .productCreated, at(1, 9), price: 1000),
      line(1, .productCreated, at(1, 9), price: 1000),
      line(2, .priceUpdated, at(1, 10), price: -1),
      line(3, .priceUpdated, at(1, 11), price: 1100),
      line(4, .priceUpdated, at(2, 9), price: -2),
      line(5, .priceUpdated, at(2, 10), price: -3),
      line(6, .priceUpdated, at(2, 11), price: 1300),
      line(7, .priceUpdated, nil, price: 1300),
      LineTruth.malformed,
    ]
    let files = Oracle.predict(lines)
    let header = files.renderQuality().split(separator: "\n")[0]
    #expect(
      header
        == "event_date,delivered,accepted,duplicate,invalid,error_rate,malformed_json,invalid_event_id,conflicting_duplicate,unknown_event_type,bad_timestamp,inventory_error,missing_product_id,missing_order_id,unparseable_price,negative_price,null_category,invalid_quantity,duplicate_order,orphan_event"
    )
    let rows = files.renderQuality().split(separator: "\n").dropFirst().map(String.init)
    #expect(
      rows == [
        // 1 invalid of 4 - 1 duplicate = 3 → 0.3333
        "2026-01-01,4,2,1,1,0.3333,0,0,0,0,0,0,0,0,0,1,0,0,0,0",
        // 2 of 3 → 0.6667 (rounded half away from zero)
        "2026-01-02,3,1,0,2,0.6667,0,0,0,0,0,0,0,0,0,2,0,0,0,0",
        ",2,0,0,2,1.0000,1,0,0,0,1,0,0,0,0,0,0,0,0,0",
      ])
  }

  @Test("volatility counts price versions only for products whose price changed")
  func volatilityMart() {
    let lines = [
      line(1, .productCreated, at(1, 9), product: 1, price: 1000),
      line(2, .priceUpdated, at(2, 9), product: 1, price: 1200),
      line(3, .productCreated, at(3, 9), product: 1, price: 1200, category: "toys"),
      line(4, .priceUpdated, at(4, 9), product: 1, price: 800),
      line(5, .productDiscontinued, at(5, 9), product: 1),
      line(6, .productCreated, at(1, 9), product: 2, price: 500),
      line(7, .productCreated, at(2, 9), product: 2, price: 500, category: "toys"),
    ]
    #expect(
      Oracle.predict(lines).renderVolatility()
        == """
        product_id,price_versions,min_price,max_price,price_range,last_change_at
        1,3,8.00,12.00,4.00,2026-01-04T09:00:00.000000Z

        """)
  }
}
