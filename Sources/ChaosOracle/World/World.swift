import ExportFormat

/// Which kinds of behaviour the simulated catalog shows. The original producer only
/// created products and moved prices; later releases added the rest.
public struct WorldMix: Sendable, Hashable {
  public var orders = true
  public var discontinuations = true
  public var reactivations = true
  public var categoryChanges = true
  /// Price updates that repeat the current price (no-change events).
  public var republishes = true

  public init() {}

  /// Only what the original Python producer emitted: creations and price updates.
  public static let seedCompatible: WorldMix = {
    var mix = WorldMix()
    mix.orders = false
    mix.discontinuations = false
    mix.reactivations = false
    mix.categoryChanges = false
    mix.republishes = false
    return mix
  }()
}

/// The full description of a product at one moment, as a `product_created` carries it.
struct ProductSnapshot: Sendable, Hashable {
  var id: Int64
  var title: String
  var description: String
  var category: String
  var price: Cents
  var ratingTenths: Int
  var ratingCount: Int
}

/// What happened in the simulated business.
enum WorldAction: Sendable, Hashable {
  case created(ProductSnapshot)
  case priceUpdated(productID: Int64, old: Cents, new: Cents)
  case discontinued(productID: Int64)
  case orderPlaced(orderID: String, productID: Int64, quantity: Int32)

  var eventType: EventType {
    switch self {
    case .created: .productCreated
    case .priceUpdated: .priceUpdated
    case .discontinued: .productDiscontinued
    case .orderPlaced: .orderPlaced
    }
  }

  var productID: Int64 {
    switch self {
    case .created(let snapshot): snapshot.id
    case .priceUpdated(let id, _, _), .discontinued(let id), .orderPlaced(_, let id, _): id
    }
  }
}

/// One event of the ground truth, in event-time order.
struct WorldEvent: Sendable, Hashable {
  var index: Int
  var eventID: EventID
  var time: Instant
  var action: WorldAction
}

/// The seeded catalog simulation: products are created, their prices random-walk, their
/// categories sometimes change, some are discontinued and some come back, and orders
/// reference live products. Event times strictly increase, spread over `days` days.
///
/// The world draws only from its own random stream, so chaos settings never change it.
struct World {
  struct Product {
    var snapshot: ProductSnapshot
    var isActive: Bool
    /// Price before the last price change (used to stage same-time ties that revert).
    var previousPrice: Cents
    var lastStateTime: Instant
  }

  static let categories = [
    "electronics", "jewelery", "men's clothing", "women's clothing", "home, garden",
    "toys \"deluxe\"", "books",
  ]
  private static let adjectives = [
    "Classic", "Slim", "Rugged", "Solid", "Premium", "Casual", "Wireless", "Vintage", "Compact",
  ]
  private static let nouns = [
    "Backpack", "T-Shirt", "Jacket", "Bracelet", "Ring", "Hard Drive", "Monitor", "Raincoat",
    "Lamp", "Novel",
  ]

  let productCount: Int
  let mix: WorldMix
  private let start: Instant
  private let span: Int64
  private let plannedEvents: Int
  /// The stream length the creation schedule is laid over (independent of chaos settings,
  /// unlike `plannedEvents`, so the catalog never depends on the profile).
  private let scheduleLength: Int
  private var stream: RandomStream
  private(set) var products: [Product] = []
  /// Positions in `products` of the active and of the discontinued products, ascending: the
  /// lists each step draws from, kept as products change instead of filtered every step.
  private var activePositions = RankedPositions()
  private var inactivePositions = RankedPositions()
  private var nextIndex = 0
  private var lastTime: Instant?
  private var nextOrderNumber = 1

  init(
    seed: UInt64, products: Int, days: Int, plannedEvents: Int, scheduleLength: Int,
    start: Instant, mix: WorldMix
  ) {
    productCount = max(1, products)
    self.mix = mix
    self.start = start
    self.plannedEvents = max(1, plannedEvents)
    self.scheduleLength = max(1, scheduleLength)
    span = Self.span(
      days: days, start: start, plannedEvents: self.plannedEvents,
      worldEvents: max(self.plannedEvents, self.scheduleLength))
    stream = RandomStream(seed: seed, component: "world")
  }

  /// Time of the most recent world event (the start before the first).
  var now: Instant { lastTime ?? start }

  /// How many products are active, and how many discontinued.
  var activeCount: Int { activePositions.count }
  var discontinuedCount: Int { inactivePositions.count }

  /// The `index`-th active product in creation order. Fault lines draw from these lists on
  /// every line; building them cost a pass over the catalog each time (with 10,000 products
  /// the generator ran 20 times slower than with 50).
  func activeProduct(_ index: Int) -> Product { products[activePositions.member(at: index)] }

  /// The `index`-th discontinued product in creation order.
  func discontinuedProduct(_ index: Int) -> Product {
    products[inactivePositions.member(at: index)]
  }

  /// The product with this id, if it was created: ids are creation positions from 1.
  func product(id: Int64) -> Product? {
    guard id >= 1, id <= Int64(products.count) else { return nil }
    return products[Int(id - 1)]
  }

  /// Where the product with this id stands among the active products, if it is active.
  func activeIndex(of id: Int64) -> Int? {
    guard let product = product(id: id), product.isActive else { return nil }
    return activePositions.membersBefore(Int(id - 1))
  }

  mutating func next() -> WorldEvent {
    let index = nextIndex
    nextIndex += 1
    let time = nextTime(index: index)
    let eventID = EventID.random(&stream)
    let action = nextAction(index: index, time: time)
    lastTime = time
    return WorldEvent(index: index, eventID: eventID, time: time, action: action)
  }

  /// The span the world's clock lays `plannedEvents` slots over: `days` days, or less where a
  /// stream of `worldEvents` would otherwise run past year 9999. When the chaos draws fewer
  /// extra lines than planned, the world's events run on past the planned slots at the same
  /// width, beyond `days` by up to the share of extra lines; near `GeneratorOptions.maxDays`
  /// that crossed into year 10000, which no timestamp can say. A day of room stays for the
  /// fault lines that shift a world event's time (a conflicting duplicate, 1 s later).
  static func span(days: Int, start: Instant, plannedEvents: Int, worldEvents: Int) -> Int64 {
    let requested = Int64(max(1, days)) * Instant.microsecondsPerDay
    guard let lastDay = Instant(year: 9999, month: 12, day: 31) else { return requested }
    let room = Int128(lastDay.microseconds) - Int128(start.microseconds)
    let widest = room * Int128(max(1, plannedEvents)) / Int128(max(1, worldEvents) + 1)
    return Int64(max(1, min(Int128(requested), widest)))
  }

  /// Where slot `index` of `slots` equal slots over `span` microseconds from `start` begins.
  /// The product runs in 128 bits: `span * index` leaves 64 bits for long streams (10^9
  /// events over a century is about 3 × 10^24).
  static func slotStart(index: Int, slots: Int, span: Int64, start: Instant) -> Int64 {
    start.microseconds + Int64(Int128(span) * Int128(index) / Int128(max(1, slots)))
  }

  private mutating func nextTime(index: Int) -> Instant {
    let width = max(1, span / Int64(plannedEvents))
    let slotStart = Self.slotStart(index: index, slots: plannedEvents, span: span, start: start)
    var candidate = slotStart + Int64(stream.below(UInt64(width)))
    // Some producers only have millisecond or second clocks: round up within the slot.
    let precision = stream.weightedIndex([3, 2, 1])
    let unit: Int64 = [1, 1000, 1_000_000][precision]
    let rounded = (candidate + unit - 1) / unit * unit
    if rounded < slotStart + width { candidate = rounded }
    if let lastTime, candidate <= lastTime.microseconds { candidate = lastTime.microseconds + 1 }
    return Instant(microseconds: candidate)
  }

  private mutating func nextAction(index: Int, time: Instant) -> WorldAction {
    let created = products.count
    let dueCreations =
      created < productCount
      && Int128(index) * 5 * Int128(productCount) >= Int128(created) * Int128(scheduleLength)
    if dueCreations || (activeCount == 0 && created < productCount) {
      return create(time: time)
    }
    // each case draws its product before it changes either list
    if activeCount == 0 {
      return reactivate(pickDiscontinued(), time: time)
    }
    let weights = [
      mix.orders ? 55 : 0,
      30,
      mix.categoryChanges ? 3 : 0,
      mix.discontinuations && activeCount > 1 ? 2 : 0,
      mix.reactivations && discontinuedCount > 0 ? 3 : 0,
      mix.republishes ? 2 : 0,
    ]
    switch stream.weightedIndex(weights) {
    case 0:
      let position = pickActive()
      let orderID = "ord-" + zeroPadded(nextOrderNumber, 8)
      nextOrderNumber += 1
      let quantity = Int32(stream.weightedIndex([0, 60, 25, 8, 4, 3]))
      return .orderPlaced(
        orderID: orderID, productID: products[position].snapshot.id, quantity: quantity)
    case 1:
      let position = pickActive()
      let old = products[position].snapshot.price
      let new = walk(old)
      setPrice(position, new, time: time)
      return .priceUpdated(productID: products[position].snapshot.id, old: old, new: new)
    case 2:
      let position = pickActive()
      var snapshot = products[position].snapshot
      let others = Self.categories.filter { $0 != snapshot.category }
      snapshot.category = stream.pick(others)
      products[position].snapshot = snapshot
      products[position].lastStateTime = time
      return .created(snapshot)
    case 3:
      let position = pickActive()
      setActive(position, false)
      products[position].lastStateTime = time
      return .discontinued(productID: products[position].snapshot.id)
    case 4:
      return reactivate(pickDiscontinued(), time: time)
    default:
      let position = pickActive()
      let price = products[position].snapshot.price
      products[position].lastStateTime = time
      return .priceUpdated(productID: products[position].snapshot.id, old: price, new: price)
    }
  }

  private mutating func create(time: Instant) -> WorldAction {
    let id = Int64(products.count + 1)
    let title = stream.pick(Self.adjectives) + " " + stream.pick(Self.nouns) + " #" + String(id)
    let snapshot = ProductSnapshot(
      id: id, title: title,
      description: "A " + title.lowercased() + " from the simulated catalog.",
      category: stream.pick(Self.categories), price: freshPrice(),
      ratingTenths: stream.int(in: 10...50), ratingCount: stream.int(in: 0...700))
    products.append(
      Product(
        snapshot: snapshot, isActive: true, previousPrice: snapshot.price, lastStateTime: time)
    )
    activePositions.appendPosition(member: true)
    inactivePositions.appendPosition(member: false)
    return .created(snapshot)
  }

  /// The position of an active (or discontinued) product, drawn as `pick` draws from a list.
  private mutating func pickActive() -> Int {
    activePositions.member(at: stream.index(below: activeCount))
  }

  private mutating func pickDiscontinued() -> Int {
    inactivePositions.member(at: stream.index(below: discontinuedCount))
  }

  /// Marks a product active or not, moving its position from one list to the other.
  private mutating func setActive(_ position: Int, _ active: Bool) {
    guard products[position].isActive != active else { return }
    products[position].isActive = active
    if active {
      inactivePositions.remove(position)
      activePositions.insert(position)
    } else {
      activePositions.remove(position)
      inactivePositions.insert(position)
    }
  }

  private mutating func reactivate(_ position: Int, time: Instant) -> WorldAction {
    setActive(position, true)
    if stream.chance(0.5) {
      setPrice(position, walk(products[position].snapshot.price), time: time)
    }
    products[position].lastStateTime = time
    return .created(products[position].snapshot)
  }

  private mutating func setPrice(_ position: Int, _ price: Cents, time: Instant) {
    products[position].previousPrice = products[position].snapshot.price
    products[position].snapshot.price = price
    products[position].lastStateTime = time
  }

  /// A realistic starting price, from 1.00 to about 750.00.
  private mutating func freshPrice() -> Cents {
    let base = stream.pick([500, 2_000, 10_000, 50_000] as [Int64])
    return Cents(max(100, base * Int64(stream.int(in: 20...150)) / 100))
  }

  /// One step of the price walk: up or down by 1 to 15 %, now and then a free promotion.
  private mutating func walk(_ price: Cents) -> Cents {
    if price.value == 0 { return freshPrice() }
    if stream.chance(0.002) { return .zero }
    var percent = stream.int(in: -15...14)
    if percent >= 0 { percent += 1 }
    let moved = price.value * Int128(100 + percent) / 100
    return Cents(moved == price.value ? moved + (percent > 0 ? 1 : -1) : max(1, moved))
  }
}

/// `value` in decimal, zero-padded on the left to `width` digits (order ids, once a line).
func zeroPadded(_ value: Int, _ width: Int) -> String {
  let digits = String(value)
  let padding = width - digits.utf8.count
  guard padding > 0 else { return digits }
  guard value >= 0, width <= 32 else {
    return String(repeating: "0", count: padding) + digits
  }
  return String(unsafeUninitializedCapacity: width) { text in
    var rest = value
    for position in stride(from: width - 1, through: 0, by: -1) {
      text[position] = UInt8(ascii: "0") + UInt8(rest % 10)
      rest /= 10
    }
    return width
  }
}
