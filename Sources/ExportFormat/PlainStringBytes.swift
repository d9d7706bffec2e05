/// Where a run of plain string bytes starting at `start` ends, read eight at a time: the
/// first quote, backslash, byte below 0x20 or byte from 0x80 up (and 0x7F, when
/// `stoppingAtDelete`), or the first position fewer than eight bytes before `end`, from
/// where the caller goes on byte by byte. The JSON scanner (which accepts 0x7F) and the
/// generator's string writer (which escapes it) share it.
///
/// A byte of `word ^ pattern` is zero where `word` holds the pattern's byte; for bytes below
/// 0x80, `(x - n) & ~x & highs` flags those below n, and non-ASCII is flagged by its own
/// high bit. A borrow only runs upward, past a byte already flagged, so the lowest flag of a
/// word is exact.
@inline(__always) package func plainStringBytesEnd(
  in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, stoppingAtDelete: Bool
) -> Int {
  guard let base = bytes.baseAddress else { return start }
  let ones: UInt64 = 0x0101_0101_0101_0101
  let highs: UInt64 = 0x8080_8080_8080_8080
  var index = start
  while end - index >= 8 {
    let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
    let quote = word ^ (ones &* 0x22)
    let backslash = word ^ (ones &* 0x5C)
    var special =
      ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
      | ((word &- ones &* 0x20) & ~word) | word
    if stoppingAtDelete {
      let delete = word ^ (ones &* 0x7F)
      special |= (delete &- ones) & ~delete
    }
    guard special & highs == 0 else { return index + (special & highs).trailingZeroBitCount >> 3 }
    index += 8
  }
  return index
}
