/// Decoding of string values located by `JSONScanner` (already validated).
package enum JSONStrings {
  /// The UTF-8 bytes of the string whose contents (between the quotes) are `range`.
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, escaped: Bool)
    -> [UInt8]
  {
    guard escaped else { return Array(bytes[range]) }
    var out: [UInt8] = []
    out.reserveCapacity(range.count)
    var index = range.lowerBound
    while index < range.upperBound {
      // the bytes up to the next escape, copied as one run (a double-encoded payload is
      // mostly such runs)
      var end = index
      while end < range.upperBound, bytes[end] != UInt8(ascii: "\\") { end += 1 }
      if end > index {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
        index = end
        continue
      }
      let code = bytes[index + 1]
      index += 2
      switch code {
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = hex(bytes, index)
        index += 4
        if (0xD800...0xDBFF).contains(scalar) {
          let low = hex(bytes, index + 2)
          index += 6
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        appendUTF8(scalar, to: &out)
      default: out.append(code)  // \" \\ \/
      }
    }
    return out
  }

  /// The decoded bytes of the string token at `token` (its quotes included).
  package static func decode(_ bytes: UnsafeBufferPointer<UInt8>, token: Range<Int>) -> [UInt8] {
    let contents = (token.lowerBound + 1)..<(token.upperBound - 1)
    return decode(bytes, contents, escaped: bytes[contents].contains(UInt8(ascii: "\\")))
  }

  static func decodeString(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, escaped: Bool)
    -> String
  {
    if !escaped {
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
    return String(decoding: decode(bytes, range, escaped: true), as: UTF8.self)
  }

  private static func hex(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> UInt32 {
    var value: UInt32 = 0
    for offset in 0..<4 {
      let byte = bytes[start + offset]
      let digit: UInt32 =
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        default: UInt32(byte - UInt8(ascii: "A") + 10)
        }
      value = value << 4 | digit
    }
    return value
  }

  static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case 0..<0x80: out.append(UInt8(scalar))
    case 0x80..<0x800:
      out.append(UInt8(0xC0 | (scalar >> 6)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
      out.append(UInt8(0xE0 | (scalar >> 12)))
      out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
      out.append(UInt8(0xF0 | (scalar >> 18)))
      out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
      out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    }
  }

  /// Appends `bytes` (valid UTF-8) as a JSON string literal: `"`, `\\` and control
  /// characters escaped, everything else as it is.
  package static func appendLiteral(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var clean = bytes.startIndex
    for index in bytes.indices {
      let byte = bytes[index]
      guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
        continue
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[clean..<index]))
      if byte < 0x20 {
        out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 0xF)])
      } else {
        out.append(UInt8(ascii: "\\"))
        out.append(byte)
      }
      clean = index + 1
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[clean...]))
    out.append(UInt8(ascii: "\""))
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
