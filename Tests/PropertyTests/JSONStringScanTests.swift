import Pipeline
import PropertyBased
import Testing

/// Pieces a string body is made of: plain text, each byte the scanner must stop at, escapes
/// good and bad, UTF-8 good and bad. Strings of them put every piece at every offset of the
/// scanner's eight-byte words.
private let pieces: [[UInt8]] = [
  Array("abcdefgh".utf8), Array("x".utf8), Array(" ".utf8), [0x7F], [0x01], [0x1F], [0x09],
  Array(#"\n"#.utf8), Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\/"#.utf8),
  Array(#"\u0041"#.utf8), Array(#"\ud83d\ude00"#.utf8), Array(#"\x"#.utf8),
  Array(#"\u0000"#.utf8), Array(#"\udc00"#.utf8), Array(#"\ud800"#.utf8), Array(#"\u12"#.utf8),
  Array("é".utf8), Array("€".utf8), Array("😀".utf8), [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80],
  [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], Array(#"\"#.utf8),
]

/// Whether `body` is a valid JSON string body as `jsonb` stores it, judged one byte at a time:
/// valid UTF-8, no raw control character, every escape well formed, no `\u0000`, surrogate
/// escapes in pairs, no unescaped quote (a lone backslash piece can leave one: the string
/// then ends early, and what follows it is never valid JSON).
private func referenceAccepts(_ body: [UInt8]) -> Bool {
  guard isValidUTF8(body), !body.contains(where: { $0 < 0x20 }) else { return false }
  func hex(_ at: Int) -> UInt32? {
    guard at + 4 <= body.count else { return nil }
    var value: UInt32 = 0
    for byte in body[at..<at + 4] {
      // One digit at a time: `UInt32(_:radix:)` over all four would also take a sign.
      guard let digit = UInt32(String(UnicodeScalar(byte)), radix: 16) else { return nil }
      value = value << 4 | digit
    }
    return value
  }
  var index = 0
  while index < body.count {
    guard body[index] == UInt8(ascii: "\\") else {
      if body[index] == UInt8(ascii: "\"") { return false }
      index += 1
      continue
    }
    guard index + 1 < body.count else { return false }
    let kind = body[index + 1]
    if Array(#""\/bfnrt"#.utf8).contains(kind) {
      index += 2
      continue
    }
    guard kind == UInt8(ascii: "u"), let unit = hex(index + 2), unit != 0 else { return false }
    index += 6
    if (0xDC00...0xDFFF).contains(unit) { return false }
    if (0xD800...0xDBFF).contains(unit) {
      guard index + 1 < body.count, body[index] == UInt8(ascii: "\\"),
        body[index + 1] == UInt8(ascii: "u"), let low = hex(index + 2),
        (0xDC00...0xDFFF).contains(low)
      else { return false }
      index += 6
    }
  }
  return true
}

@Suite("JSON strings: the word-at-a-time scan agrees with a byte-by-byte reading")
struct JSONStringScanTests {
  @Test("a string body is accepted exactly when the byte-by-byte reference accepts it")
  func agreesWithReference() async {
    let body = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...24)
    await propertyCheck(count: PropertyProfile.cases(2_000), input: body, Gen.int(in: 0...9)) {
      choice, padding in
      let text = choice.flatMap { pieces[$0] }
      // A varying key length moves the body across the scanner's words.
      let line =
        Array("{\"\(String(repeating: "k", count: padding))\": \"".utf8) + text
        + Array("\", \"payload\": {}}".utf8)
      let accepted = !EnvelopeReader.read(line).isMalformed
      #expect(
        accepted == referenceAccepts(text),
        "\(String(decoding: line, as: UTF8.self)) \(line)")
    }
  }
}
