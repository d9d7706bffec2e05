import ExportFormat

/// How strictly another pipeline's history is held to the oracle's, since its semantics may
/// legitimately differ from event-time history (a dbt snapshot stamps versions with the
/// time the snapshot ran, not the event's).
package enum ComparisonLevel: String, CaseIterable, Sendable {
  /// Versions and their times, as for chaoslake's own engines.
  case exact
  /// Per product, the sequence of (price, category, is_deleted) states; times ignored. A
  /// lost or invented state is a failure, a shifted time is not.
  case versions
  /// Only each product's current state.
  case final
}

/// A version's tracked attributes as another pipeline reports them: its price or category
/// may be NULL, a wrong output that compares unequal to every true state.
package struct ReportedAttributes: Sendable, Hashable, CustomStringConvertible {
  package var price: Cents?
  package var category: String?
  package var isDeleted: Bool

  package init(price: Cents?, category: String?, isDeleted: Bool) {
    self.price = price
    self.category = category
    self.isDeleted = isDeleted
  }

  package init(_ attributes: ProductAttributes) {
    self.init(
      price: attributes.price, category: attributes.category, isDeleted: attributes.isDeleted)
  }

  /// Categories compare by code points, as `ProductAttributes` do.
  package static func == (lhs: ReportedAttributes, rhs: ReportedAttributes) -> Bool {
    guard lhs.price == rhs.price, lhs.isDeleted == rhs.isDeleted else { return false }
    switch (lhs.category, rhs.category) {
    case (nil, nil): return true
    case (let left?, let right?): return left.hasSameCodePoints(as: right)
    default: return false
    }
  }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(price)
    hasher.combine(isDeleted)
    hasher.combine(category.map { Array($0.unicodeScalars.map(\.value)) })
  }

  /// `109.95 books`, with `NULL` for what the pipeline left empty, and `(deleted)`.
  package var description: String {
    "\(price?.exportText ?? "NULL") \(category ?? "NULL")\(isDeleted ? " (deleted)" : "")"
  }
}

/// One version as another pipeline reports it (the columns its history query returns).
package struct ReportedVersion: Sendable, Hashable {
  package var productID: Int64
  package var attributes: ReportedAttributes
  package var validFrom: Instant?
  package var validTo: Instant?

  package init(
    productID: Int64, attributes: ReportedAttributes, validFrom: Instant?, validTo: Instant?
  ) {
    self.productID = productID
    self.attributes = attributes
    self.validFrom = validFrom
    self.validTo = validTo
  }

  package init(
    productID: Int64, attributes: ProductAttributes, validFrom: Instant?, validTo: Instant?
  ) {
    self.init(
      productID: productID, attributes: ReportedAttributes(attributes), validFrom: validFrom,
      validTo: validTo)
  }
}

/// What a pipeline kept of the true history at one level.
package struct LevelResult: Sendable {
  package var level: ComparisonLevel
  /// True versions (or, for `final`, products) the level counts.
  package var expectedCount: Int
  package var kept: Int
  /// True versions the pipeline does not have, in product and version order.
  package var lost: [HistoryRow]
  /// Versions the pipeline has that the truth does not.
  package var invented: [ReportedVersion]

  package var passed: Bool { lost.isEmpty && invented.isEmpty }

  /// "versions: kept 50 of 1,937 versions; 1,887 lost, 0 invented".
  package var summary: String {
    let unit = level == .final ? "products' current states" : "versions"
    return "\(level.rawValue): kept \(grouped(kept)) of \(grouped(expectedCount)) \(unit); "
      + "\(grouped(lost.count)) lost, \(grouped(invented.count)) invented"
  }
}

/// Compares another pipeline's history with the oracle's at a level.
package enum HistoryLevels {
  package static func compare(
    expected: [HistoryRow], actual: [ReportedVersion], level: ComparisonLevel
  ) -> LevelResult {
    switch level {
    case .exact: exact(expected, actual)
    case .versions: versions(expected, actual)
    case .final: final(expected, actual)
    }
  }

  /// Each true version must be reported with its product, attributes and both times.
  private static func exact(_ expected: [HistoryRow], _ actual: [ReportedVersion]) -> LevelResult {
    var unmatched: [ReportedVersion: Int] = [:]
    for version in actual { unmatched[version, default: 0] += 1 }
    var lost: [HistoryRow] = []
    for row in expected {
      let key = ReportedVersion(
        productID: row.productID, attributes: row.attributes, validFrom: row.validFrom,
        validTo: row.validTo)
      if let count = unmatched[key], count > 0 {
        unmatched[key] = count - 1
      } else {
        lost.append(row)
      }
    }
    let invented = actual.filter { version in
      guard let count = unmatched[version], count > 0 else { return false }
      unmatched[version] = count - 1
      return true
    }
    return LevelResult(
      level: .exact, expectedCount: expected.count, kept: expected.count - lost.count, lost: lost,
      invented: invented)
  }

  /// Per product, the longest common subsequence of state sequences: what is kept in order.
  private static func versions(_ expected: [HistoryRow], _ actual: [ReportedVersion])
    -> LevelResult
  {
    let truth = Dictionary(grouping: expected, by: \.productID)
    let reported = Dictionary(grouping: actual, by: \.productID)
    var lost: [HistoryRow] = []
    var invented: [ReportedVersion] = []
    for product in Set(truth.keys).union(reported.keys).sorted() {
      let want = (truth[product] ?? []).sorted { $0.version < $1.version }
      let got = collapse(inTimeOrder(reported[product] ?? []))
      let matched = commonSubsequence(
        want.map { ReportedAttributes($0.attributes) }, got.map(\.attributes))
      lost += want.indices.filter { !matched.left.contains($0) }.map { want[$0] }
      invented += got.indices.filter { !matched.right.contains($0) }.map { got[$0] }
    }
    return LevelResult(
      level: .versions, expectedCount: expected.count, kept: expected.count - lost.count,
      lost: lost, invented: invented)
  }

  /// Each product's current state must be the truth's current state.
  private static func final(_ expected: [HistoryRow], _ actual: [ReportedVersion]) -> LevelResult {
    let truth = Dictionary(grouping: expected, by: \.productID).compactMapValues {
      $0.max { $0.version < $1.version }
    }
    let reported = Dictionary(grouping: actual, by: \.productID).compactMapValues {
      inTimeOrder($0).last
    }
    var lost: [HistoryRow] = []
    var invented: [ReportedVersion] = []
    for product in Set(truth.keys).union(reported.keys).sorted() {
      switch (truth[product], reported[product]) {
      case (let want?, let got?) where ReportedAttributes(want.attributes) == got.attributes:
        continue
      case (let want?, let got):
        lost.append(want)
        if let got { invented.append(got) }
      case (nil, let got?): invented.append(got)
      case (nil, nil): continue
      }
    }
    return LevelResult(
      level: .final, expectedCount: truth.count, kept: truth.count - lost.count, lost: lost,
      invented: invented)
  }

  /// Versions by `validFrom` (unknown first), the current one (no `validTo`) last.
  private static func inTimeOrder(_ versions: [ReportedVersion]) -> [ReportedVersion] {
    versions.enumerated().sorted { left, right in
      let a = left.element
      let b = right.element
      if (a.validTo == nil) != (b.validTo == nil) { return b.validTo == nil }
      let fromA = a.validFrom?.microseconds ?? Int64.min
      let fromB = b.validFrom?.microseconds ?? Int64.min
      return fromA != fromB ? fromA < fromB : left.offset < right.offset
    }.map(\.element)
  }

  /// Drops a version equal to the one before it: a pipeline that versions on an attribute
  /// the contract does not track (a title, say) has not invented a price version.
  private static func collapse(_ versions: [ReportedVersion]) -> [ReportedVersion] {
    var result: [ReportedVersion] = []
    for version in versions where result.last?.attributes != version.attributes {
      result.append(version)
    }
    return result
  }

  /// Indices of a longest common subsequence of `left` and `right`.
  static func commonSubsequence(_ left: [ReportedAttributes], _ right: [ReportedAttributes])
    -> (left: Set<Int>, right: Set<Int>)
  {
    let n = left.count
    let m = right.count
    guard n > 0, m > 0 else { return ([], []) }
    var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
    for i in stride(from: n - 1, through: 0, by: -1) {
      for j in stride(from: m - 1, through: 0, by: -1) {
        table[i][j] =
          left[i] == right[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
      }
    }
    var i = 0
    var j = 0
    var matchedLeft = Set<Int>()
    var matchedRight = Set<Int>()
    while i < n, j < m {
      if left[i] == right[j] {
        matchedLeft.insert(i)
        matchedRight.insert(j)
        i += 1
        j += 1
      } else if table[i + 1][j] >= table[i][j + 1] {
        i += 1
      } else {
        j += 1
      }
    }
    return (matchedLeft, matchedRight)
  }
}

/// `1937` as `1,937`.
func grouped(_ number: Int) -> String {
  let digits = String(number.magnitude)
  var out = ""
  for (index, character) in digits.enumerated() {
    if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
    out.append(character)
  }
  return (number < 0 ? "-" : "") + out
}
