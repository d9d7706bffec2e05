import ExportFormat
import Foundation
import Harness
import Testing
import Warehouse

/// Reason precedence, pair by pair: for every two rules i < j that one line can break
/// together, a line breaking both is invalid with reason i, on both engines. Swapping two
/// checks in either engine fails here.
@Suite("Reason precedence: a line breaking rules i and j gets i")
struct ReasonPrecedenceTests {
  /// The rules in precedence order, as the reasons they give (9 is two reasons).
  static let rules: [ReasonCode] = [
    .malformedJSON, .invalidEventID, .conflictingDuplicate, .unknownEventType, .badTimestamp,
    .inventoryError, .missingProductID, .missingOrderID, .unparseablePrice, .negativePrice,
    .nullCategory, .invalidQuantity, .duplicateOrder, .orphanEvent,
  ]

  struct Pair: CustomTestStringConvertible, Sendable {
    var first: ReasonCode
    var second: ReasonCode
    /// The event type of the line under test, one both rules apply to.
    var type: String
    var testDescription: String { "\(first.rawValue) before \(second.rawValue) (\(type))" }
  }

  /// Which event types a rule can break (nil: any, it sets the type itself or ignores it).
  static func types(_ reason: ReasonCode) -> Set<String>? {
    switch reason {
    case .missingOrderID, .invalidQuantity, .duplicateOrder: ["order_placed"]
    case .unparseablePrice, .negativePrice: ["product_created", "price_updated"]
    case .nullCategory: ["product_created"]
    case .orphanEvent: ["price_updated", "order_placed"]
    case .missingProductID: ["product_created", "price_updated", "order_placed", "inventory_error"]
    case .inventoryError: ["inventory_error"]
    default: nil
    }
  }

  /// Every ordered pair two rules of one line can break together.
  static let pairs: [Pair] = {
    var pairs: [Pair] = []
    for (index, first) in rules.enumerated() {
      for second in rules[(index + 1)...] {
        // One price cannot be unparseable and negative; an unknown type is no other type.
        if first == .unparseablePrice && second == .negativePrice { continue }
        if first == .unknownEventType && second == .inventoryError { continue }
        let shared: Set<String>? =
          switch (types(first), types(second)) {
          case (nil, nil): ["product_created"]
          case (nil, let only?), (let only?, nil): only
          case (let a?, let b?): a.intersection(b)
          }
        guard let type = shared?.sorted().first else { continue }
        pairs.append(Pair(first: first, second: second, type: type))
      }
    }
    return pairs
  }()

  /// The lines of a case: context first (a creation, an earlier order, an event_id twin),
  /// the line under test last.
  static func lines(for pair: Pair) -> [[UInt8]] {
    let reasons = [pair.first, pair.second]
    let type = pair.type
    let id = "00000000-0000-4000-8000-0000000000ff"
    var envelope: [String: Any] = [
      "event_id": id, "event_type": type, "event_timestamp": "2026-01-02T10:00:00Z",
      "source": "test",
    ]
    var payload: [String: Any] = ["id": 7]
    switch type {
    case "product_created": payload.merge(["price": "12.50", "category": "books"]) { $1 }
    case "price_updated": payload["new_price"] = "13.00"
    case "order_placed": payload.merge(["order_id": "o-1", "quantity": 2]) { $1 }
    case "inventory_error": payload.merge(["price": -50, "category": NSNull()]) { $1 }
    default: break
    }
    var context: [[String: Any]] = []
    // The product exists, active, before the line, unless the line must be an orphan.
    if !reasons.contains(.orphanEvent) {
      context.append([
        "event_id": "00000000-0000-4000-8000-000000000001", "event_type": "product_created",
        "event_timestamp": "2026-01-01T00:00:00Z", "source": "test",
        "payload": ["id": 7, "price": "10.00", "category": "books"],
      ])
    }
    var malformed = false
    for reason in reasons {
      switch reason {
      case .malformedJSON: malformed = true
      case .invalidEventID: envelope["event_id"] = "not-a-uuid"
      case .conflictingDuplicate:
        var twin = envelope
        twin["source"] = "another source"
        twin["payload"] = payload
        context.append(twin)
      case .unknownEventType: envelope["event_type"] = "product_viewed"
      case .badTimestamp: envelope["event_timestamp"] = "2026-02-30T10:00:00Z"
      case .inventoryError: envelope["event_type"] = "inventory_error"
      case .missingProductID: payload["id"] = 0
      case .missingOrderID: payload["order_id"] = ""
      case .unparseablePrice:
        payload[type == "price_updated" ? "new_price" : "price"] = "12,50"
      case .negativePrice: payload[type == "price_updated" ? "new_price" : "price"] = -5
      case .nullCategory: payload["category"] = NSNull()
      case .invalidQuantity: payload["quantity"] = 0
      case .duplicateOrder:
        context.append([
          "event_id": "00000000-0000-4000-8000-000000000002", "event_type": "order_placed",
          "event_timestamp": "2026-01-01T12:00:00Z", "source": "test",
          "payload": ["order_id": "o-1", "id": 7, "quantity": 1],
        ])
      case .orphanEvent: break  // no creation in the context
      }
    }
    envelope["payload"] = payload
    var line = json(envelope)
    if malformed { line += Array(" trailing".utf8) }  // no longer one JSON value
    return context.map(json) + [line]
  }

  static func json(_ object: [String: Any]) -> [UInt8] {
    let data =
      (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return Array(data)
  }

  @Test("every feasible pair of rules, on both engines", arguments: pairs)
  func pair(_ pair: Pair) throws {
    _ = try TestDatabase()
    let lines = Self.lines(for: pair)
    let postgres = try ScratchDatabase.run(conninfo: "", lines: lines, runAfter: [lines.count])
    let memory = try memoryEngine(lines, [lines.count])
    for (engine, files) in [("memory", memory), ("postgres", postgres)] {
      let status = files.statuses.last?.status
      let expected: LineStatus =
        pair.first == .conflictingDuplicate ? .invalid(.conflictingDuplicate) : .invalid(pair.first)
      #expect(
        status == expected,
        "\(engine): \(String(decoding: lines.last ?? [], as: UTF8.self))")
    }
  }

  @Test("the pairs cover every rule on both sides")
  func coverage() {
    let firsts = Set(Self.pairs.map(\.first))
    let seconds = Set(Self.pairs.map(\.second))
    #expect(Self.pairs.count >= 60)
    #expect(firsts.count >= 12 && seconds.count >= 12, "\(Self.pairs.count) pairs")
  }
}
