import ExportFormat

/// Strings numbered in order of first appearance, compared by code point (as `CodePointKey`
/// does): the engine keeps each category and `order_id` once.
struct TextTable: Sendable {
  private(set) var texts: [String] = []
  private var numbers: [CodePointKey: Int32] = [:]

  /// The number of `text`, assigned on first sight.
  mutating func number(_ text: String) -> Int32 {
    let next = Int32(truncatingIfNeeded: texts.count)
    // One hash per call: the defaulted subscript finds the key's bucket once, inserting
    // `next` there when the key is new (most order_ids are).
    let number = Self.assign(&numbers[CodePointKey(text), default: next])
    if number == next { texts.append(text) }
    return number
  }

  @inline(__always) private static func assign(_ slot: inout Int32) -> Int32 { slot }

  subscript(number: Int32) -> String { texts[Int(number)] }
}
