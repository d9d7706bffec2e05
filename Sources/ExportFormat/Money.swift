/// An exact amount of US cents. Prices are never binary floating point.
public struct Cents: Sendable, Hashable, Comparable, AdditiveArithmetic {
  public var value: Int64

  public init(_ value: Int64) { self.value = value }

  public static let zero = Cents(0)

  public static func + (lhs: Cents, rhs: Cents) -> Cents { Cents(lhs.value + rhs.value) }
  public static func - (lhs: Cents, rhs: Cents) -> Cents { Cents(lhs.value - rhs.value) }
  public static func < (lhs: Cents, rhs: Cents) -> Bool { lhs.value < rhs.value }

  /// The amount with exactly two decimals: `109.95`, `-3.50`, `0.00`.
  public var exportText: String {
    let magnitude = value.magnitude
    let sign = value < 0 ? "-" : ""
    let fraction = magnitude % 100
    return sign + String(magnitude / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
  }
}
