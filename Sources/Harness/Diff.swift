import ExportFormat

/// A readable comparison of expected and actual export files.
package struct Comparison: Sendable {
  package struct FileDifference: Sendable {
    package var file: String
    /// One readable sentence per difference, most telling first.
    package var details: [String]
  }

  package var differences: [FileDifference]

  package var isMatch: Bool { differences.isEmpty }

  /// Compares the files present in `expected` (a subset of the five) with `actual`.
  /// `lines` (the delivered lines) lets status differences show the line itself.
  package init(expected: [String: String], actual: [String: String], lines: [[UInt8]] = []) {
    differences = []
    for file in ExportFiles.fileNames {
      // Byte for byte: String's == would call canonically equivalent texts equal.
      guard let want = expected[file], let got = actual[file], !want.utf8.elementsEqual(got.utf8)
      else { continue }
      let wantRows = CSV.parse(want) ?? []
      let gotRows = CSV.parse(got) ?? []
      let details: [String]
      switch file {
      case "status.csv": details = Self.statusDetails(wantRows, gotRows, lines: lines)
      case "history.csv": details = Self.historyDetails(wantRows, gotRows)
      case "quality_daily.csv": details = Self.qualityDetails(wantRows, gotRows)
      default:
        details = Self.rowDetails(wantRows, gotRows, keyColumns: file == "sales_daily.csv" ? 2 : 1)
      }
      differences.append(
        FileDifference(
          file: file, details: details.isEmpty ? ["files differ in formatting"] : details))
    }
  }

  /// The diff as text, at most `limit` details per file.
  package func report(limit: Int = 15) -> String {
    guard !isMatch else { return "all compared files match\n" }
    var text = ""
    for difference in differences {
      text += "\(difference.file): \(difference.details.count) difference(s)\n"
      for detail in difference.details.prefix(limit) { text += "  " + detail + "\n" }
      if difference.details.count > limit {
        text += "  … and \(difference.details.count - limit) more\n"
      }
    }
    return text
  }

  private static func header(_ rows: [[String]]) -> [String] { rows.first ?? [] }

  private static func statusDetails(_ want: [[String]], _ got: [[String]], lines: [[UInt8]])
    -> [String]
  {
    var details: [String] = []
    let gotByLine = Dictionary(got.dropFirst().map { ($0[0], $0) }, uniquingKeysWith: { $1 })
    for row in want.dropFirst() {
      let other = gotByLine[row[0]]
      guard other != row else { continue }
      let describe = { (r: [String]?) in
        r.map { $0[2].isEmpty ? $0[1] : "\($0[1]): \($0[2])" } ?? "nothing"
      }
      var detail = "line \(row[0]): expected \(describe(row)), got \(describe(other))"
      if let number = Int(row[0]), number >= 1, number <= lines.count {
        detail += "\n      " + preview(lines[number - 1])
      }
      details.append(detail)
    }
    if got.count > want.count { details.append("\(got.count - want.count) extra status row(s)") }
    return details
  }

  private static func historyDetails(_ want: [[String]], _ got: [[String]]) -> [String] {
    // Versions are matched by product and causing event: a version with the same event
    // but other bounds or attributes has shifted.
    func key(_ row: [String]) -> String { row[0] + " " + row[7] }
    func show(_ row: [String]) -> String {
      "product \(row[0]) v\(row[1]) \(row[2]) \(row[3])\(row[4] == "true" ? " (deleted)" : "") "
        + "[\(row[5]), \(row[6].isEmpty ? "current" : row[6])) by \(row[7])"
    }
    var details: [String] = []
    let wantByKey = Dictionary(want.dropFirst().map { (key($0), $0) }, uniquingKeysWith: { $1 })
    let gotByKey = Dictionary(got.dropFirst().map { (key($0), $0) }, uniquingKeysWith: { $1 })
    for row in want.dropFirst() {
      if let other = gotByKey[key(row)] {
        if other != row {
          details.append("shifted: expected \(show(row))\n      got      \(show(other))")
        }
      } else {
        details.append("missing: \(show(row))")
      }
    }
    for row in got.dropFirst() where wantByKey[key(row)] == nil {
      details.append("extra:   \(show(row))")
    }
    return details
  }

  private static func qualityDetails(_ want: [[String]], _ got: [[String]]) -> [String] {
    var details: [String] = []
    let columns = header(want)
    func totals(_ rows: [[String]]) -> [Int] {
      var sums = Array(repeating: 0, count: columns.count)
      for row in rows.dropFirst() {
        for index in 1..<min(row.count, columns.count) where index != 5 {
          sums[index] += Int(row[index]) ?? 0
        }
      }
      return sums
    }
    let wantTotals = totals(want)
    let gotTotals = totals(got)
    for index in 1..<columns.count where index != 5 && wantTotals[index] != gotTotals[index] {
      details.append(
        "\(columns[index]): expected \(wantTotals[index]) in all, got \(gotTotals[index])")
    }
    return details + rowDetails(want, got, keyColumns: 1)
  }

  private static func rowDetails(_ want: [[String]], _ got: [[String]], keyColumns: Int) -> [String]
  {
    func key(_ row: [String]) -> String { row.prefix(keyColumns).joined(separator: " ") }
    let columns = header(want)
    var details: [String] = []
    let wantByKey = Dictionary(want.dropFirst().map { (key($0), $0) }, uniquingKeysWith: { $1 })
    let gotByKey = Dictionary(got.dropFirst().map { (key($0), $0) }, uniquingKeysWith: { $1 })
    for row in want.dropFirst() {
      guard let other = gotByKey[key(row)] else {
        details.append("missing row \(key(row).isEmpty ? "(unknown date)" : key(row))")
        continue
      }
      let changed = zip(columns, zip(row, other)).filter { $0.1.0 != $0.1.1 }
        .map { "\($0.0) expected \($0.1.0), got \($0.1.1)" }
      if !changed.isEmpty {
        details.append(
          "row \(key(row).isEmpty ? "(unknown date)" : key(row)): "
            + changed.joined(separator: "; "))
      }
    }
    for row in got.dropFirst() where wantByKey[key(row)] == nil {
      details.append("extra row \(key(row).isEmpty ? "(unknown date)" : key(row))")
    }
    return details
  }

  private static func preview(_ line: [UInt8]) -> String {
    let text = String(decoding: line.prefix(160), as: UTF8.self)
      .replacingOccurrences(of: "\u{0}", with: "\\0")
    return line.count > 160 ? text + "…" : text
  }
}
