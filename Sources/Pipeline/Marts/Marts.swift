import ExportFormat

/// The marts, computed from per-line statuses and the history.
enum Marts {
  /// `mart_data_quality_daily`: one row per event date, the unknown date last.
  static func quality(
    dates: some Sequence<CivilDate?>, statuses: some Sequence<LineStatus>
  ) -> [QualityRow] {
    var known: [CivilDate: QualityRow] = [:]
    var unknown = QualityRow(eventDate: nil)
    for (date, status) in zip(dates, statuses) {
      if let date {
        known[date, default: QualityRow(eventDate: date)].count(status)
      } else {
        unknown.count(status)
      }
    }
    return known.keys.sorted().map { known[$0]! } + (unknown.delivered > 0 ? [unknown] : [])
  }

  /// `mart_price_volatility` for one product; `nil` when its price never changed.
  static func volatility(product: Int64, versions: [Version]) -> VolatilityRow? {
    var changes = 0
    var lastChange: Instant?
    for (previous, version) in zip(versions, versions.dropFirst())
    where version.attributes.price != previous.attributes.price {
      changes += 1
      lastChange = version.validFrom
    }
    guard let lastChange else { return nil }
    let prices = versions.map(\.attributes.price)
    return VolatilityRow(
      productID: product, priceVersions: changes + 1, minPrice: prices.min()!,
      maxPrice: prices.max()!, lastChangeAt: lastChange)
  }
}
