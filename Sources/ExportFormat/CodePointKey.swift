/// A string compared, hashed and ordered by its Unicode scalars, the way PostgreSQL's
/// `text` and `jsonb` compare (byte for byte in UTF-8).
///
/// Swift's `String ==` uses canonical equivalence: `"café"` written with U+00E9 equals
/// `"cafe\u{301}"`. The contract says those are different categories and different order
/// ids, so every key and comparison of line data goes through this type.
package struct CodePointKey: Hashable, Comparable, Sendable, CustomStringConvertible {
  package let text: String

  package init(_ text: String) { self.text = text }

  package static func == (lhs: CodePointKey, rhs: CodePointKey) -> Bool {
    lhs.text.utf8.elementsEqual(rhs.text.utf8)
  }

  package func hash(into hasher: inout Hasher) {
    // One call over the UTF-8 bytes: combining byte by byte costs a hash round each.
    var text = text
    text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
  }

  /// UTF-8 byte order, which is code point order.
  package static func < (lhs: CodePointKey, rhs: CodePointKey) -> Bool {
    lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
  }

  package var description: String { text }
}

extension String {
  /// Whether the two strings hold the same Unicode scalars (not merely canonically
  /// equivalent ones).
  package func hasSameCodePoints(as other: String) -> Bool { utf8.elementsEqual(other.utf8) }
}
