/// 64-bit FNV-1a, starting from `seed` (the standard offset basis by default), so a hash can
/// be continued over several pieces. Not cryptographic: the generator derives sub-seeds from
/// it, and ingest and migrations use it to notice changed content.
///
/// Inlinable so each caller gets it specialized for its byte sequence: called through the
/// generic entry point, ingest spent about 40 % of its time in witness-table calls here.
@inlinable
package func fnv1a64(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64
{
  var hash = seed
  for byte in bytes {
    hash ^= UInt64(byte)
    hash &*= 0x0000_0100_0000_01B3
  }
  return hash
}
