import ExportFormat

/// What must hold of any set of export files, whoever produced them: accounting and the
/// SCD2 invariants. Returns one text per violation.
func invariantViolations(_ files: ExportFiles) -> [String] {
  var problems: [String] = []
  // Accounting: every line exactly once, per day and in total.
  if files.statuses.map(\.line) != Array(files.statuses.indices.map { $0 + 1 }) {
    problems.append("status lines are not 1...n in order")
  }
  for row in files.quality where row.accepted + row.duplicate + row.invalid != row.delivered {
    problems.append("quality row \(row.eventDate?.isoText ?? "unknown") does not add up")
  }
  let delivered = files.quality.map(\.delivered).reduce(0, +)
  if delivered != files.statuses.count {
    problems.append("quality rows count \(delivered) lines, status has \(files.statuses.count)")
  }
  let accepted = files.statuses.filter { $0.status == .accepted }.count
  if files.quality.map(\.accepted).reduce(0, +) != accepted {
    problems.append("quality accepted differs from status")
  }
  // SCD2: per product versions 1...n, contiguous, valid_from < valid_to, one current row.
  var start = 0
  let history = files.history
  while start < history.count {
    var end = start
    while end < history.count, history[end].productID == history[start].productID { end += 1 }
    let versions = Array(history[start..<end])
    let product = versions[0].productID
    if versions.map(\.version) != Array(1...versions.count) {
      problems.append("product \(product): versions are not numbered 1...n")
    }
    for (index, version) in versions.enumerated() {
      let isLast = index == versions.count - 1
      if isLast, version.validTo != nil { problems.append("product \(product): no current row") }
      if !isLast {
        if version.validTo != versions[index + 1].validFrom {
          problems.append("product \(product) v\(version.version): gap or overlap")
        }
        if let to = version.validTo, !(version.validFrom < to) {
          problems.append("product \(product) v\(version.version): valid_from >= valid_to")
        }
        if version.attributes == versions[index + 1].attributes {
          problems.append("product \(product) v\(version.version): next version changes nothing")
        }
      }
    }
    start = end
  }
  if zip(history, history.dropFirst()).contains(where: { $0.productID > $1.productID }) {
    problems.append("history is not ordered by product")
  }
  return problems
}
