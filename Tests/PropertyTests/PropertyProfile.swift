import Foundation

/// How hard the property suites push. The CI profile keeps `make test` within its time
/// budget; `CHAOSLAKE_PROPERTY_PROFILE=long` runs many more and larger cases.
enum PropertyProfile {
  static let isLong = ProcessInfo.processInfo.environment["CHAOSLAKE_PROPERTY_PROFILE"] == "long"

  /// Cases per property.
  static func cases(_ ci: Int) -> Int { isLong ? ci * 20 : ci }

  /// Upper bound of generated stream lengths.
  static var maxEvents: Int { isLong ? 5_000 : 600 }
}
