/// An exact amount of US cents. Prices are never binary floating point.
///
/// 128 bits, so money is exact at any magnitude the contract allows: a quantity up to
/// 2^31-1 times a price up to 10^10 - 0.01 is about 2.1 × 10^21 cents, and a day's revenue
/// can add up some 10^16 such orders before it nears the limit (about 1.7 × 10^38).
public struct Cents: Sendable, Hashable, Comparable, AdditiveArithmetic {
  public var value: Int128

  public init(_ value: Int128) { self.value = value }

  /// From a narrower integer amount of cents (`Int64`, `Int32`, …).
  public init<Amount: FixedWidthInteger & SignedInteger>(_ value: Amount) {
    self.value = Int128(value)
  }

  public static let zero = Cents(Int128(0))

  public static func + (lhs: Cents, rhs: Cents) -> Cents { Cents(lhs.value + rhs.value) }
  public static func - (lhs: Cents, rhs: Cents) -> Cents { Cents(lhs.value - rhs.value) }
  public static func < (lhs: Cents, rhs: Cents) -> Bool { lhs.value < rhs.value }

  /// `quantity` items at `price` each.
  public static func * (quantity: Int64, price: Cents) -> Cents {
    Cents(Int128(quantity) * price.value)
  }

  /// The amount with exactly two decimals: `109.95`, `-3.50`, `0.00`.
  public var exportText: String {
    let magnitude = value.magnitude
    let sign = value < 0 ? "-" : ""
    let fraction = magnitude % 100
    return sign + String(magnitude / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
  }
}
