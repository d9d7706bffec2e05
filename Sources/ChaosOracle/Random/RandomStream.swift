import ExportFormat

/// A deterministic pseudo-random stream (xoshiro256**, seeded through SplitMix64).
///
/// The generator never uses Swift's `random(in:using:)`: its algorithm is not part of the
/// language contract, and the same seed must give the same bytes on every toolchain. Every
/// mapping from random bits to a range is written here.
package struct RandomStream: Sendable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// A stream for `seed`.
  package init(seed: UInt64) {
    var mixer = SplitMix64(state: seed)
    s0 = mixer.next()
    s1 = mixer.next()
    s2 = mixer.next()
    s3 = mixer.next()
  }

  /// An independent stream for one component, derived from the root seed and the
  /// component's name, so that turning one component on or off leaves the others unchanged.
  package init(seed: UInt64, component: String) {
    var mixer = SplitMix64(state: seed ^ fnv1a64(component.utf8))
    self.init(seed: mixer.next())
  }

  package mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  /// A uniform integer in `0..<bound` (Lemire's method with rejection, so no modulo bias).
  package mutating func below(_ bound: UInt64) -> UInt64 {
    precondition(bound > 0)
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return product.high
  }

  /// A uniform integer in `range`.
  package mutating func int(in range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(below(UInt64(range.upperBound - range.lowerBound) + 1))
  }

  /// A uniform `Int64` in `range`.
  package mutating func int64(in range: ClosedRange<Int64>) -> Int64 {
    range.lowerBound + Int64(below(UInt64(range.upperBound - range.lowerBound) + 1))
  }

  /// `true` with probability `probability` (exact 53-bit comparison, no float arithmetic
  /// on the random bits).
  package mutating func chance(_ probability: Double) -> Bool {
    let draw = next() >> 11
    if probability <= 0 { return false }
    if probability >= 1 { return true }
    return draw < UInt64(probability * 9_007_199_254_740_992.0)
  }

  /// One element of a non-empty array.
  package mutating func pick<T>(_ choices: [T]) -> T {
    choices[index(below: choices.count)]
  }

  /// One index of `count` (at least 1) elements: the draw `pick` makes, for lists that are
  /// not at hand as an array.
  package mutating func index(below count: Int) -> Int {
    Int(below(UInt64(count)))
  }

  /// An index chosen with the given non-negative integer weights (at least one positive).
  package mutating func weightedIndex(_ weights: [Int]) -> Int {
    let total = weights.reduce(0, +)
    precondition(total > 0)
    var draw = Int(below(UInt64(total)))
    for (index, weight) in weights.enumerated() {
      if draw < weight { return index }
      draw -= weight
    }
    return weights.count - 1
  }
}

/// SplitMix64, used only to expand seeds.
struct SplitMix64 {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
  (x << k) | (x >> (64 - k))
}
