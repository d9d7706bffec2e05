import Foundation

extension Duration {
  /// The duration in seconds, fractions included.
  package var inSeconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }

  /// The duration as seconds with two decimals, for messages.
  package var secondsText: String { String(format: "%.2f", inSeconds) }
}
