/// One row of `status.csv`: the status of the delivered line at 1-based position `line`.
public struct StatusRow: Sendable, Hashable {
  public var line: Int
  public var status: LineStatus

  public init(line: Int, status: LineStatus) {
    self.line = line
    self.status = status
  }
}

/// Tracked attributes of a product version. Categories compare by code points (see
/// `CodePointKey`): two canonically equivalent spellings are two categories.
public struct ProductAttributes: Sendable, Hashable {
  public var price: Cents
  public var category: String
  public var isDeleted: Bool

  public init(price: Cents, category: String, isDeleted: Bool) {
    self.price = price
    self.category = category
    self.isDeleted = isDeleted
  }

  public static func == (lhs: ProductAttributes, rhs: ProductAttributes) -> Bool {
    lhs.price == rhs.price && lhs.isDeleted == rhs.isDeleted
      && lhs.category.hasSameCodePoints(as: rhs.category)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(price)
    hasher.combine(CodePointKey(category))
    hasher.combine(isDeleted)
  }
}

/// One SCD2 version of a product: a row of `history.csv`.
public struct HistoryRow: Sendable, Hashable {
  public var productID: Int64
  public var version: Int
  public var attributes: ProductAttributes
  public var validFrom: Instant
  /// `nil` for the current version.
  public var validTo: Instant?
  /// Lower-case UUID text of the event that caused the version.
  public var eventID: String

  public init(
    productID: Int64, version: Int, attributes: ProductAttributes, validFrom: Instant,
    validTo: Instant?, eventID: String
  ) {
    self.productID = productID
    self.version = version
    self.attributes = attributes
    self.validFrom = validFrom
    self.validTo = validTo
    self.eventID = eventID
  }
}

/// One row of `quality_daily.csv`; `eventDate` is `nil` for lines whose date is unknown.
public struct QualityRow: Sendable, Hashable {
  public var eventDate: CivilDate?
  public var delivered = 0
  public var accepted = 0
  public var duplicate = 0
  /// Invalid lines per reason; absent reasons count zero.
  public var invalidByReason: [ReasonCode: Int] = [:]

  public init(eventDate: CivilDate?) { self.eventDate = eventDate }

  public var invalid: Int { invalidByReason.values.reduce(0, +) }

  public mutating func count(_ status: LineStatus) {
    delivered += 1
    switch status {
    case .accepted: accepted += 1
    case .duplicate: duplicate += 1
    case .invalid(let reason): invalidByReason[reason, default: 0] += 1
    }
  }

  /// invalid / (delivered - duplicate), rounded half away from zero to 4 places, as text;
  /// empty when no line of the day counts towards the rate.
  public var errorRateText: String {
    let denominator = delivered - duplicate
    guard denominator > 0 else { return "" }
    // Exact integer arithmetic: ten-thousandths, rounded half away from zero (values are >= 0).
    let scaled = (invalid * 20_000 + denominator) / (2 * denominator)
    let fraction = scaled % 10_000
    return String(scaled / 10_000) + "." + String(pad(Int64(fraction), 4))
  }
}

/// One row of `volatility.csv`.
public struct VolatilityRow: Sendable, Hashable {
  public var productID: Int64
  public var priceVersions: Int
  public var minPrice: Cents
  public var maxPrice: Cents
  public var lastChangeAt: Instant

  public init(
    productID: Int64, priceVersions: Int, minPrice: Cents, maxPrice: Cents, lastChangeAt: Instant
  ) {
    self.productID = productID
    self.priceVersions = priceVersions
    self.minPrice = minPrice
    self.maxPrice = maxPrice
    self.lastChangeAt = lastChangeAt
  }

  public var priceRange: Cents { maxPrice - minPrice }
}

/// One row of `sales_daily.csv`.
public struct SalesRow: Sendable, Hashable {
  public var eventDate: CivilDate
  public var productID: Int64
  public var orders: Int
  public var units: Int64
  public var revenue: Cents

  public init(eventDate: CivilDate, productID: Int64, orders: Int, units: Int64, revenue: Cents) {
    self.eventDate = eventDate
    self.productID = productID
    self.orders = orders
    self.units = units
    self.revenue = revenue
  }
}

/// The five export files every engine and the oracle can write, so any two can be diffed.
public struct ExportFiles: Sendable, Hashable {
  public var statuses: [StatusRow]
  public var history: [HistoryRow]
  public var quality: [QualityRow]
  public var volatility: [VolatilityRow]
  public var sales: [SalesRow]

  public init(
    statuses: [StatusRow], history: [HistoryRow], quality: [QualityRow],
    volatility: [VolatilityRow], sales: [SalesRow]
  ) {
    self.statuses = statuses
    self.history = history
    self.quality = quality
    self.volatility = volatility
    self.sales = sales
  }

  public static let fileNames = [
    "status.csv", "history.csv", "quality_daily.csv", "volatility.csv", "sales_daily.csv",
  ]

  /// The files as `(name, contents)` pairs, in the order of `fileNames`.
  public func renderedFiles() -> [(name: String, contents: String)] {
    Self.fileNames.map { ($0, rendered($0)) }
  }

  /// The contents of the file called `name` (one of `fileNames`; empty for another name).
  public func rendered(_ name: String) -> String {
    var text = ""
    render(name) { text += $0 }
    return text
  }

  /// Renders the file called `name` (one of `fileNames`) in consecutive pieces of at most
  /// `rowsPerPiece` rows, so a writer that passes each piece on holds one piece, not a file.
  public func render(_ name: String, rowsPerPiece: Int = 65_536, into piece: (String) -> Void) {
    let size = Swift.max(1, rowsPerPiece)
    switch name {
    case "status.csv": Self.renderInPieces(statuses, size, Self.renderStatus, into: piece)
    case "history.csv": Self.renderInPieces(history, size, Self.renderHistory, into: piece)
    case "quality_daily.csv": piece(renderQuality())
    case "volatility.csv": piece(renderVolatility())
    case "sales_daily.csv": piece(renderSales())
    default: break
    }
  }

  /// `render` for one row type: the header with the first piece, one piece when empty.
  private static func renderInPieces<Row>(
    _ rows: [Row], _ size: Int, _ render: (ArraySlice<Row>, Bool) -> String,
    into piece: (String) -> Void
  ) {
    var start = 0
    repeat {
      let end = Swift.min(rows.count, start + size)
      piece(render(rows[start..<end], start == 0))
      start = end
    } while start < rows.count
  }

  /// The rendered files keyed by file name.
  public func renderedByName() -> [String: String] {
    Dictionary(uniqueKeysWithValues: renderedFiles().map { ($0.name, $0.contents) })
  }

  public func renderStatus() -> String { Self.renderStatus(statuses, header: true) }

  /// `status.csv` text for `rows`, with or without its header.
  public static func renderStatus(_ rows: some Collection<StatusRow>, header: Bool) -> String {
    var csv = CSVWriter(capacity: 24 * (rows.count + 1))
    if header { csv.record(["line", "status", "reason"]) }
    for row in rows {
      csv.field(row.line)
      csv.field(row.status.name)
      csv.field(row.status.reason?.rawValue ?? "")
      csv.endRecord()
    }
    return csv.text
  }

  public func renderHistory() -> String { Self.renderHistory(history, header: true) }

  /// `history.csv` text for `rows`, with or without its header: the file can be written in
  /// pieces, in order, in flat memory.
  public static func renderHistory(_ rows: some Collection<HistoryRow>, header: Bool) -> String {
    var csv = CSVWriter(capacity: 128 * (rows.count + 1))
    if header {
      csv.record([
        "product_id", "version", "price", "category", "is_deleted", "valid_from", "valid_to",
        "event_id",
      ])
    }
    for row in rows {
      csv.field(row.productID)
      csv.field(row.version)
      csv.field(row.attributes.price.exportText)
      csv.field(row.attributes.category)
      csv.field(row.attributes.isDeleted ? "true" : "false")
      csv.field(row.validFrom.exportText)
      csv.field(row.validTo?.exportText ?? "")
      csv.field(row.eventID)
      csv.endRecord()
    }
    return csv.text
  }

  public func renderQuality() -> String {
    var csv = CSVWriter()
    csv.record(
      ["event_date", "delivered", "accepted", "duplicate", "invalid", "error_rate"]
        + ReasonCode.allCases.map(\.rawValue))
    for row in quality {
      csv.field(row.eventDate?.isoText ?? "")
      csv.field(row.delivered)
      csv.field(row.accepted)
      csv.field(row.duplicate)
      csv.field(row.invalid)
      csv.field(row.errorRateText)
      for reason in ReasonCode.allCases { csv.field(row.invalidByReason[reason] ?? 0) }
      csv.endRecord()
    }
    return csv.text
  }

  public func renderVolatility() -> String {
    var csv = CSVWriter()
    csv.record([
      "product_id", "price_versions", "min_price", "max_price", "price_range", "last_change_at",
    ])
    for row in volatility {
      csv.field(row.productID)
      csv.field(row.priceVersions)
      csv.field(row.minPrice.exportText)
      csv.field(row.maxPrice.exportText)
      csv.field(row.priceRange.exportText)
      csv.field(row.lastChangeAt.exportText)
      csv.endRecord()
    }
    return csv.text
  }

  public func renderSales() -> String {
    var csv = CSVWriter(capacity: 48 * (sales.count + 1))
    csv.record(["event_date", "product_id", "orders", "units", "revenue"])
    for row in sales {
      csv.field(row.eventDate.isoText)
      csv.field(row.productID)
      csv.field(row.orders)
      csv.field(row.units)
      csv.field(row.revenue.exportText)
      csv.endRecord()
    }
    return csv.text
  }
}
