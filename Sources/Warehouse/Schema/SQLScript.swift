/// A `.sql` file cut into its statements, as psql cuts a script: at each semicolon outside
/// string literals, quoted identifiers, dollar-quoted bodies and comments.
///
/// Citus needs it: it sends a DDL statement's whole query string to the workers, so a
/// migration that alters a sharded table fails there when it comes as one multi-statement
/// string ("cannot insert multiple commands into a prepared statement").
struct SQLScript {
  /// The statements, each without its semicolon and trimmed; pieces holding only comments
  /// and white space are left out.
  let statements: [String]

  /// A script the cut would get wrong: an SQL-standard function body (`begin atomic … end`)
  /// holds semicolons that are not the ends of statements, and telling its `end` from a
  /// `case … end` takes the grammar.
  struct Unsupported: Error, CustomStringConvertible {
    let description: String
  }

  init(_ sql: String) throws {
    var cutter = Cutter(Array(sql.utf8))
    statements = try cutter.statements()
  }
}

/// The scanner behind `SQLScript`, over the script's UTF-8 bytes.
private struct Cutter {
  let bytes: [UInt8]
  var index = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  mutating func statements() throws -> [String] {
    var statements: [String] = []
    var start = 0
    var hasCode = false  // anything but comments and white space since `start`
    var previousWord: [UInt8] = []
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: ";"):
        if hasCode { statements.append(text(start..<index)) }
        index += 1
        start = index
        hasCode = false
        previousWord = []
        continue
      case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
        skipLineComment()
        continue
      case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
        skipBlockComment()
        continue
      case UInt8(ascii: "'"):
        skipQuoted(UInt8(ascii: "'"), backslashEscapes: precededByE())
      case UInt8(ascii: "\""):
        skipQuoted(UInt8(ascii: "\""), backslashEscapes: false)
      case UInt8(ascii: "$") where !precededByIdentifierByte():
        if !skipDollarQuoted() { index += 1 }
      case _ where isIdentifierStart(byte):
        let word = readWord()
        if lowercased(previousWord) == Array("begin".utf8)
          && lowercased(word) == Array("atomic".utf8)
        {
          throw SQLScript.Unsupported(
            description:
              "an SQL-standard function body (begin atomic … end) cannot be cut into "
              + "statements; write the function with a dollar-quoted body")
        }
        previousWord = word
        hasCode = true
        continue
      default:
        if !isWhiteSpace(byte) { previousWord = [] }
        index += 1
      }
      hasCode = hasCode || !isWhiteSpace(byte)
    }
    if hasCode { statements.append(text(start..<bytes.count)) }
    return statements
  }

  // MARK: - Pieces

  private func peek(_ offset: Int) -> UInt8? {
    index + offset < bytes.count ? bytes[index + offset] : nil
  }

  private mutating func skipLineComment() {
    while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
  }

  /// `/* … */`, nested as PostgreSQL nests them.
  private mutating func skipBlockComment() {
    var depth = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
        depth += 1
        index += 2
      } else if bytes[index] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
        depth -= 1
        index += 2
        if depth == 0 { return }
      } else {
        index += 1
      }
    }
  }

  /// A literal or quoted identifier from its opening quote; a doubled quote stands for one,
  /// and in an `E'…'` literal a backslash escapes the byte after it.
  private mutating func skipQuoted(_ quote: UInt8, backslashEscapes: Bool) {
    index += 1
    while index < bytes.count {
      let byte = bytes[index]
      if backslashEscapes, byte == UInt8(ascii: "\\") {
        index += 2
      } else if byte == quote {
        index += 1
        guard index < bytes.count, bytes[index] == quote else { return }
        index += 1
      } else {
        index += 1
      }
    }
  }

  /// `$tag$ … $tag$` from its first `$`; false (nothing skipped) when the `$` opens no
  /// dollar quote, as in a parameter `$1`.
  private mutating func skipDollarQuoted() -> Bool {
    var end = index + 1
    while end < bytes.count, bytes[end] != UInt8(ascii: "$") {
      let byte = bytes[end]
      let fits = end == index + 1 ? isIdentifierStart(byte) : isIdentifierByte(byte)
      guard fits else { return false }
      end += 1
    }
    guard end < bytes.count else { return false }
    let tag = Array(bytes[index...end])
    index = end + 1
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "$"), bytes[index...].starts(with: tag) {
        index += tag.count
        return true
      }
      index += 1
    }
    return true  // unterminated: the rest of the script is the body, as for the server
  }

  private mutating func readWord() -> [UInt8] {
    let start = index
    while index < bytes.count, isIdentifierByte(bytes[index]) { index += 1 }
    return Array(bytes[start..<index])
  }

  private func precededByE() -> Bool {
    guard index > 0, bytes[index - 1] | 0x20 == UInt8(ascii: "e") else { return false }
    return index == 1 || !isIdentifierByte(bytes[index - 2])
  }

  private func precededByIdentifierByte() -> Bool {
    index > 0 && isIdentifierByte(bytes[index - 1])
  }

  private func text(_ range: Range<Int>) -> String {
    String(decoding: bytes[range], as: UTF8.self).trimmingWhiteSpace()
  }
}

private func isIdentifierStart(_ byte: UInt8) -> Bool {
  (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    || byte == UInt8(ascii: "_") || byte >= 0x80
}

private func isIdentifierByte(_ byte: UInt8) -> Bool {
  isIdentifierStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    || byte == UInt8(ascii: "$")
}

private func isWhiteSpace(_ byte: UInt8) -> Bool {
  byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
}

private func lowercased(_ word: [UInt8]) -> [UInt8] {
  word.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
}

extension String {
  fileprivate func trimmingWhiteSpace() -> String {
    let scalars = unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[first...last])
  }
}
