import ExportFormat

/// One state event that passed rules 1–11, as the history builder sees it.
struct StateEvent {
  var line: Int
  var time: Instant
  var eventID: EventKey
  var type: EventType
  var price: Cents?
  var category: String?
}

/// One version of a product's history before numbering.
struct Version: Equatable {
  var attributes: ProductAttributes
  var validFrom: Instant
  var eventID: EventKey
}

/// Builds one product's SCD2 history from its state events, in any order.
///
/// Events apply in event-time order, ties broken by `event_id`. A create sets every
/// attribute (and reactivates), a price update keeps the category, a discontinue makes a
/// tombstone; an update or discontinue that meets no active version is an orphan. An event
/// that changes nothing makes no version; one at the same instant as the latest version
/// replaces it, and merges into the version before when they are then equal.
enum SCD2Builder {
  static func build(_ events: [StateEvent]) -> (versions: [Version], orphans: [Int]) {
    let ordered = events.sorted { ($0.time, $0.eventID) < ($1.time, $1.eventID) }
    var versions: [Version] = []
    var orphans: [Int] = []
    var isActive = false
    for event in ordered {
      let current = versions.last?.attributes
      let next: ProductAttributes
      switch event.type {
      case .productCreated:
        next = ProductAttributes(price: event.price!, category: event.category!, isDeleted: false)
        isActive = true
      case .priceUpdated:
        guard isActive, let current else {
          orphans.append(event.line)
          continue
        }
        next = ProductAttributes(price: event.price!, category: current.category, isDeleted: false)
      case .productDiscontinued:
        guard isActive, let current else {
          orphans.append(event.line)
          continue
        }
        next = ProductAttributes(price: current.price, category: current.category, isDeleted: true)
        isActive = false
      case .orderPlaced, .inventoryError:
        continue
      }
      guard next != current else { continue }
      if let latest = versions.last, latest.validFrom == event.time {
        versions[versions.count - 1] = Version(
          attributes: next, validFrom: event.time, eventID: event.eventID)
        if versions.count > 1, versions[versions.count - 2].attributes == next {
          versions.removeLast()
        }
      } else {
        versions.append(Version(attributes: next, validFrom: event.time, eventID: event.eventID))
      }
    }
    return (versions, orphans)
  }

  /// The version whose `[validFrom, next validFrom)` holds `time`, if any.
  static func version(at time: Instant, in versions: [Version]) -> Version? {
    var low = 0
    var high = versions.count
    while low < high {
      let middle = (low + high) / 2
      if versions[middle].validFrom <= time { low = middle + 1 } else { high = middle }
    }
    return low == 0 ? nil : versions[low - 1]
  }
}
