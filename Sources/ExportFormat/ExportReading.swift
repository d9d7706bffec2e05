import Foundation

/// Reading export files back (an oracle directory, or another engine's output).
extension ExportFiles {
  public struct ReadError: Error, CustomStringConvertible {
    public let description: String
  }

  /// Reads the five files from `directory`.
  public static func read(directory: String) throws -> ExportFiles {
    var texts: [String: String] = [:]
    for name in fileNames {
      let path = directory + "/" + name
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw ReadError(description: "cannot read \(path)")
      }
      texts[name] = text
    }
    return try read(texts: texts, source: directory)
  }

  /// Reads export files from their texts by file name; a file left out reads as empty.
  /// `source` names them in messages.
  public static func read(texts: [String: String], source: String) throws -> ExportFiles {
    func rows(_ name: String) throws -> [[String]] {
      guard let text = texts[name] else { return [] }
      guard let records = CSV.parse(text), !records.isEmpty else {
        throw ReadError(description: "\(source)/\(name) is not CSV")
      }
      return Array(records.dropFirst())
    }
    func fail(_ file: String, _ row: [String]) -> ReadError {
      ReadError(description: "\(source)/\(file): cannot read row \(row.joined(separator: ","))")
    }
    let statuses = try rows("status.csv").map { row -> StatusRow in
      guard row.count == 3, let line = Int(row[0]) else { throw fail("status.csv", row) }
      let status: LineStatus
      switch row[1] {
      case "accepted": status = .accepted
      case "duplicate": status = .duplicate
      default:
        guard let reason = ReasonCode(rawValue: row[2]) else { throw fail("status.csv", row) }
        status = .invalid(reason)
      }
      return StatusRow(line: line, status: status)
    }
    let history = try rows("history.csv").map { row -> HistoryRow in
      guard row.count == 8, let product = Int64(row[0]), let version = Int(row[1]),
        let price = Cents(exportText: row[2]), let from = Instant(exportText: row[5])
      else { throw fail("history.csv", row) }
      return HistoryRow(
        productID: product, version: version,
        attributes: ProductAttributes(price: price, category: row[3], isDeleted: row[4] == "true"),
        validFrom: from, validTo: row[6].isEmpty ? nil : Instant(exportText: row[6]),
        eventID: row[7])
    }
    let quality = try rows("quality_daily.csv").map { row -> QualityRow in
      guard row.count == 6 + ReasonCode.allCases.count else { throw fail("quality_daily.csv", row) }
      var quality = QualityRow(eventDate: row[0].isEmpty ? nil : CivilDate(isoText: row[0]))
      quality.delivered = Int(row[1]) ?? 0
      quality.accepted = Int(row[2]) ?? 0
      quality.duplicate = Int(row[3]) ?? 0
      for (offset, reason) in ReasonCode.allCases.enumerated() {
        if let count = Int(row[6 + offset]), count > 0 { quality.invalidByReason[reason] = count }
      }
      return quality
    }
    let volatility = try rows("volatility.csv").map { row -> VolatilityRow in
      guard row.count == 6, let product = Int64(row[0]), let versions = Int(row[1]),
        let low = Cents(exportText: row[2]), let high = Cents(exportText: row[3]),
        let last = Instant(exportText: row[5])
      else { throw fail("volatility.csv", row) }
      return VolatilityRow(
        productID: product, priceVersions: versions, minPrice: low, maxPrice: high,
        lastChangeAt: last)
    }
    let sales = try rows("sales_daily.csv").map { row -> SalesRow in
      guard row.count == 5, let date = CivilDate(isoText: row[0]), let product = Int64(row[1]),
        let orders = Int(row[2]), let units = Int64(row[3]), let revenue = Cents(exportText: row[4])
      else { throw fail("sales_daily.csv", row) }
      return SalesRow(
        eventDate: date, productID: product, orders: orders, units: units, revenue: revenue)
    }
    return ExportFiles(
      statuses: statuses, history: history, quality: quality, volatility: volatility, sales: sales)
  }
}

extension Cents {
  /// Parses the export form (`-3.50`): digits, a point, exactly two digits.
  public init?(exportText text: String) {
    let negative = text.hasPrefix("-")
    let parts = (negative ? String(text.dropFirst()) : text).split(
      separator: ".", omittingEmptySubsequences: false)
    // 36 digits stay far inside Int128 (about 1.7 × 10^38), so nothing below can overflow.
    guard parts.count == 2, parts[1].count == 2, (1...36).contains(parts[0].count),
      parts[0].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isASCII),
      let whole = Int128(parts[0]), let fraction = Int128(parts[1]), whole >= 0, fraction >= 0
    else { return nil }
    self.init((whole * 100 + fraction) * (negative ? -1 : 1))
  }
}

extension CivilDate {
  /// Parses `YYYY-MM-DD`.
  public init?(isoText text: String) {
    let parts = text.split(separator: "-")
    guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]),
      let day = Int(parts[2])
    else { return nil }
    self.init(year: year, month: month, day: day)
  }
}

extension Instant {
  /// Parses the export form `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
  public init?(exportText text: String) {
    let b = Array(text.utf8)
    guard b.count == 27, b[10] == UInt8(ascii: "T"), b[26] == UInt8(ascii: "Z"),
      let date = CivilDate(isoText: String(text.prefix(10)))
    else { return nil }
    func number(_ range: Range<Int>) -> Int? { Int(String(decoding: b[range], as: UTF8.self)) }
    guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
      let micro = number(20..<26)
    else { return nil }
    self.init(
      year: date.year, month: date.month, day: date.day, hour: hour, minute: minute, second: second,
      microsecond: micro)
  }
}
