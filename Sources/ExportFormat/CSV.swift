/// RFC 4180 CSV as the export files use it: a field is quoted only when it holds a comma,
/// a double quote, CR or LF; a quote inside is doubled; every record ends with `\n`.
package enum CSV {
  package static func field(_ text: String) -> String {
    let needsQuotes = text.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
    guard needsQuotes else { return text }
    // Scalar by scalar: a quote followed by a combining mark is one Character, but still a
    // quote to every CSV reader.
    var quoted = "\""
    for scalar in text.unicodeScalars {
      if scalar == "\"" { quoted.unicodeScalars.append("\"") }
      quoted.unicodeScalars.append(scalar)
    }
    return quoted + "\""
  }

  package static func record(_ fields: [String]) -> String {
    var writer = CSVWriter()
    for value in fields { writer.field(value) }
    writer.endRecord()
    return writer.text
  }

  /// Splits CSV text into records of fields (the inverse of `record`), for reading export
  /// files back. Returns `nil` on a quoting error.
  package static func parse(_ text: String) -> [[String]]? {
    var records: [[String]] = []
    var fields: [String] = []
    var field = ""
    var inQuotes = false
    var fieldWasQuoted = false
    var iterator = Array(text.unicodeScalars).makeIterator()
    var pending: Unicode.Scalar? = iterator.next()
    while let scalar = pending {
      pending = iterator.next()
      if inQuotes {
        if scalar == "\"" {
          if pending == "\"" {
            field.unicodeScalars.append("\"")
            pending = iterator.next()
          } else {
            inQuotes = false
          }
        } else {
          field.unicodeScalars.append(scalar)
        }
        continue
      }
      switch scalar {
      case "\"":
        guard field.isEmpty, !fieldWasQuoted else { return nil }
        inQuotes = true
        fieldWasQuoted = true
      case ",":
        fields.append(field)
        field = ""
        fieldWasQuoted = false
      case "\n":
        fields.append(field)
        records.append(fields)
        fields = []
        field = ""
        fieldWasQuoted = false
      default:
        guard !fieldWasQuoted else { return nil }
        field.unicodeScalars.append(scalar)
      }
    }
    guard !inQuotes else { return nil }
    if !field.isEmpty || !fields.isEmpty || fieldWasQuoted {
      fields.append(field)
      records.append(fields)
    }
    return records
  }
}

/// Builds CSV text record by record, without an array per record.
package struct CSVWriter {
  package private(set) var text = ""
  private var atRecordStart = true

  package init(capacity: Int = 0) { text.reserveCapacity(capacity) }

  package mutating func field(_ value: String) {
    if !atRecordStart { text.append(",") }
    atRecordStart = false
    text.append(CSV.field(value))
  }

  package mutating func field<T: BinaryInteger>(_ value: T) { field(String(value)) }

  package mutating func endRecord() {
    text.append("\n")
    atRecordStart = true
  }

  package mutating func record(_ fields: [String]) {
    for value in fields { field(value) }
    endRecord()
  }
}
