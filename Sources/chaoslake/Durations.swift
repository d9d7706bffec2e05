import Foundation

extension Duration {
  /// The duration in seconds, fractions included.
  var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A duration as seconds with two decimals, for messages.
func seconds(_ duration: Duration) -> String { String(format: "%.2f", duration.inSeconds) }
