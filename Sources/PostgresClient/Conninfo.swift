/// Connection strings as messages may show them: with every password masked.
enum Conninfo {
  /// `conninfo` with its passwords replaced by `****`: a URL's (`postgresql://user:pw@…`) and
  /// any `password=` value (a URL's query or a `key=value` string, quoted or not).
  static func redacted(_ conninfo: String) -> String {
    var result = ""
    var start = conninfo.startIndex
    for range in passwordRanges(in: conninfo) {
      result += conninfo[start..<range.lowerBound]
      result += "****"
      start = range.upperBound
    }
    return result + conninfo[start...]
  }

  /// `message` with the passwords of `conninfos` masked, whether libpq quotes a whole
  /// connection string (a URL it cannot parse) or only the password (a bad `%` escape).
  static func redacting(_ conninfos: [String], in message: String) -> String {
    var text = message
    for conninfo in conninfos {
      let passwords = passwordRanges(in: conninfo).map { String(conninfo[$0]) }
      guard !passwords.isEmpty else { continue }
      text = text.replacing(conninfo, with: redacted(conninfo))
      // libpq quotes the token it rejects; a bare match could be any word of the message
      for password in passwords where !password.isEmpty {
        text = text.replacing("\"\(password)\"", with: "\"****\"")
      }
    }
    return text
  }

  /// Where the passwords are: a URL's userinfo after its first `:`, and each value of a
  /// `password` key (`password=…`, or `password = …` in a key=value string).
  static func passwordRanges(in text: String) -> [Range<String.Index>] {
    var ranges: [Range<String.Index>] = []
    if let scheme = text.firstRange(of: "://") {
      let rest = text[scheme.upperBound...]
      let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
      let authority = rest[..<authorityEnd]
      if let at = authority.lastIndex(of: "@"),
        let colon = authority[..<at].firstIndex(of: ":")
      {
        ranges.append(authority.index(after: colon)..<at)
      }
    }
    var searchFrom = text.startIndex
    while let key = text[searchFrom...].firstRange(of: "password") {
      searchFrom = key.upperBound
      var cursor = skippingSpaces(text, from: key.upperBound)
      guard cursor < text.endIndex, text[cursor] == "=" else { continue }
      cursor = skippingSpaces(text, from: text.index(after: cursor))
      let value = valueRange(text, from: cursor)
      ranges.append(value)
      searchFrom = value.upperBound
    }
    return ranges.sorted { $0.lowerBound < $1.lowerBound }
  }

  private static func skippingSpaces(_ text: String, from start: String.Index) -> String.Index {
    text[start...].firstIndex { $0 != " " } ?? text.endIndex
  }

  /// A value from `start`: quoted up to its closing quote (past backslash escapes), or up to
  /// a URL's next parameter or fragment, a space before the next key, or a quote around it.
  private static func valueRange(_ text: String, from start: String.Index) -> Range<String.Index> {
    guard start < text.endIndex, text[start] == "'" else {
      let end =
        text[start...].firstIndex { character in
          character == "&" || character == "#" || character == "\"" || character.isWhitespace
        } ?? text.endIndex
      return start..<end
    }
    var cursor = text.index(after: start)
    while cursor < text.endIndex, text[cursor] != "'" {
      if text[cursor] == "\\" { cursor = text.index(after: cursor) }
      if cursor < text.endIndex { cursor = text.index(after: cursor) }
    }
    if cursor < text.endIndex { cursor = text.index(after: cursor) }
    return start..<cursor
  }
}
